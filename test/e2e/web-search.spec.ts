/**
 * Web search in the window: choose SearXNG in Settings → General → Web search and give a local fake
 * instance's address (speaking SearXNG's JSON format); a chat's web_search call then lists the results,
 * whose titles link out. A key-based provider shows the key field, and a saved key is never shown back.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./chat-fixtures.ts";

let searxng: Server;
let searxngUrl = "";
const queries: string[] = [];

test.beforeAll(async () => {
  searxng = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== "/search" || url.searchParams.get("format") !== "json") {
      response.writeHead(403);
      response.end("Forbidden");
      return;
    }
    queries.push(url.searchParams.get("q") ?? "");
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        query: url.searchParams.get("q"),
        results: [
          { url: "https://turnips.example/facts", title: "Turnip facts", content: "Roots all the way down." },
          { url: "https://turnips.example/recipes", title: "Turnip recipes", content: "Roast them." },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => searxng.listen(0, "127.0.0.1", resolve));
  searxngUrl = `http://127.0.0.1:${(searxng.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => searxng.close(resolve));
});

test("choose SearXNG in Settings; the web_search card lists results that link out", async ({
  chat,
  model,
  page,
  sage,
}) => {
  await page.goto(`${sage.baseURL}/settings`);
  const section = page.getByTestId("web-search-settings");
  await section.getByTestId("setting-web-search-provider").selectOption("searxng");
  await expect(section.getByTestId("setting-web-search-key")).toHaveCount(0);
  await section.getByTestId("setting-web-search-url").fill(searxngUrl);
  await section.getByTestId("setting-web-search-url").blur();
  await expect
    .poll(async () => (await chat.api<{ webSearchUrl: string }>("/api/settings")).webSearchUrl)
    .toBe(searxngUrl);
  await page.screenshot({ path: test.info().outputPath("web-search-settings.png") });

  await model.enqueue(
    { toolCalls: [{ name: "web_search", arguments: { query: "turnip facts" } }] },
    { text: "Found turnip pages." },
  );
  await page.goto(sage.baseURL);
  await chat.newChat();
  await chat.send("Search for turnip facts");
  const card = chat.toolCard("web_search");
  await card.getByTestId("approve-once").click();
  await expect(chat.lastAssistant()).toContainText("Found turnip pages.");
  expect(queries).toEqual(["turnip facts"]);
  await card.getByRole("button", { name: /web_search/ }).click();
  const links = card.getByTestId("web-search-result");
  await expect(links).toHaveCount(2);
  await expect(links.first()).toHaveText("Turnip facts");
  await expect(links.first()).toHaveAttribute("href", "https://turnips.example/facts");
  await expect(links.first()).toHaveAttribute("target", "_blank");
  await expect(card).toContainText("Roots all the way down.");
  await page.screenshot({ path: test.info().outputPath("web-search-card.png") });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test("a key-based provider: the key is saved to the keychain and never shown back", async ({
  chat,
  page,
  sage,
}) => {
  await page.goto(`${sage.baseURL}/settings`);
  const section = page.getByTestId("web-search-settings");
  await section.getByTestId("setting-web-search-provider").selectOption("brave");
  const key = section.getByTestId("setting-web-search-key");
  await key.fill("brave-secret-key-1234");
  await section.getByTestId("setting-web-search-key-save").click();
  await expect(key).toHaveValue("");
  await expect(section).toContainText("A key is stored");
  const state = await chat.api<{ provider: string; hasKey: boolean }[]>("/api/settings/web-search");
  expect(state).toContainEqual({ provider: "brave", hasKey: true });
  await page.reload();
  await expect(page.getByTestId("web-search-settings")).toContainText("A key is stored");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  expect(await page.content()).not.toContain("brave-secret-key-1234");
});
