/**
 * Settings → General "Let web_fetch and the browser open local addresses", end to end (compiled app, fake model
 * process, a site on this computer): refused while off (the default), read once switched on, and the
 * switch is kept.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type RecordedRequest, test } from "./chat-fixtures.ts";

let site: Server;
let siteUrl = "";

test.beforeAll(async () => {
  site = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<title>Dev server</title><p>Local page body.</p>");
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
});
test.afterAll(async () => {
  await new Promise((resolve) => site.close(resolve));
});

const lastToolResult = (requests: RecordedRequest[]) =>
  JSON.stringify((requests.at(-1)?.body?.messages ?? []).filter((m) => m.role === "tool"));

test("local addresses: refused by default, read once allowed in Settings", async ({ chat, model, page }) => {
  const fetchOnce = async (answer: string) => {
    await model.enqueue(
      { toolCalls: [{ name: "web_fetch", arguments: { url: siteUrl } }] },
      { text: answer },
    );
    await chat.newChat();
    await chat.send("Read my dev server");
    await chat.toolCard("web_fetch").getByTestId("approve-once").click();
    await expect(chat.lastAssistant()).toContainText(answer);
    await chat.idle();
  };

  await fetchOnce("First try done.");
  await expect(chat.toolCard("web_fetch")).toHaveAttribute("data-status", "error");
  expect(lastToolResult(await model.requests())).not.toContain("Local page body.");

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("settings-nav-general").click();
  const toggle = page.getByTestId("setting-web-fetch-local");
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.reload();
  await expect(page.getByTestId("setting-web-fetch-local")).toBeChecked();

  await fetchOnce("Second try done.");
  await expect(chat.toolCard("web_fetch")).toHaveAttribute("data-status", "completed");
  expect(lastToolResult(await model.requests())).toContain("Local page body.");
});
