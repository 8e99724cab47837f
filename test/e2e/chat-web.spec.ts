/**
 * The web tools' cards end to end (compiled app, fake model process, a local test site): web_fetch shows
 * the page's title, final URL, status and size; the browser tools drive a real headless Chromium and the
 * screenshot shows as a thumbnail that links to the image in the workspace. The app runs with the test
 * switch that lets web_fetch reach loopback addresses (refused otherwise).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./chat-fixtures.ts";

test.use({ sageEnv: { SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE: "1" } });

let site: Server;
let siteUrl = "";

test.beforeAll(async () => {
  site = createServer((request, response) => {
    if (request.url === "/redirect") {
      response.writeHead(302, { location: "/article" });
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(
      "<!doctype html><title>Turnip Facts</title><body style='background:#c33'><h1>Turnips</h1><p>Roots all the way down.</p></body>",
    );
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => site.close(resolve));
});

test("web_fetch: the card names the page, where it ended up, status and size", async ({ chat, model }) => {
  await model.enqueue(
    { toolCalls: [{ name: "web_fetch", arguments: { url: `${siteUrl}/redirect` } }] },
    { text: "The page is about turnips." },
  );
  await chat.newChat();
  await chat.send("Read the article");
  const card = chat.toolCard("web_fetch");
  await card.getByTestId("approve-once").click();
  await expect(chat.lastAssistant()).toContainText("The page is about turnips.");
  await expect(card).toHaveAttribute("data-status", "completed");
  await card.getByRole("button", { name: /web_fetch/ }).click();
  await expect(card).toContainText("Turnip Facts");
  await expect(card).toContainText(`${siteUrl}/article · 200`);
  await expect(card).toContainText(/\d+ B/);
  const requests = await model.requests();
  expect(JSON.stringify(requests.at(-1)?.body?.messages)).toContain("Roots all the way down.");
});

test("browser: navigate, then a screenshot shown as a thumbnail", async ({ chat, model, page }) => {
  await model.enqueue(
    { toolCalls: [{ name: "browser_navigate", arguments: { url: `${siteUrl}/article` } }] },
    { toolCalls: [{ name: "browser_screenshot", arguments: {} }] },
    { text: "Took a look." },
  );
  await chat.newChat();
  await chat.send("Look at the article in the browser");
  // Opening a page asks first (the URL shown once); a screenshot of it does not.
  const navigate = chat.toolCard("browser_navigate");
  const approval = navigate.getByTestId("approval-prompt");
  await expect(approval).toContainText(`${siteUrl}/article`);
  await expect(approval.getByTestId("approval-title")).toHaveCount(0);
  await navigate.getByTestId("approve-once").click();
  await expect(chat.lastAssistant()).toContainText("Took a look.", { timeout: 30_000 });
  const shot = chat.toolCard("browser_screenshot");
  await expect(shot).toHaveAttribute("data-status", "completed");
  // Shown without opening the card.
  const thumbnail = shot.getByTestId("tool-image");
  await expect(thumbnail).toBeVisible();
  await expect
    .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(100);
  // The page really was rendered: the screenshot's pixels are the page's red background.
  const red = await thumbnail.evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d") as CanvasRenderingContext2D;
    context.drawImage(img, 0, 0);
    const [r, g, b] = context.getImageData(canvas.width - 5, canvas.height - 5, 1, 1).data;
    return [r, g, b];
  });
  expect(red).toEqual([204, 51, 51]);
  await expect(page.getByTestId("toast")).toHaveCount(0);
});
