/**
 * Streaming end to end (compiled app, fake model process): reasoning then text arriving word by word,
 * Stop by the button and by Esc, a keyboard-only exchange, and a socket killed mid-reply that
 * reconnects and ends with the whole reply exactly once.
 */
import { expect, numberedWords, test, textOf } from "./chat-fixtures.ts";
import { killSocket, tapSockets } from "./socket-tap.ts";

const REASONING = "First I weigh the options, then I answer plainly.";

test("reasoning and text stream in; the thinking folds away when done", async ({ chat, model, page }) => {
  const words = numberedWords("w", 40);
  await model.enqueue({ reasoning: REASONING, text: words, tokenDelayMs: 60 });
  await chat.newChat();
  await chat.send("Stream something");

  const reply = chat.lastAssistant();
  const reasoning = reply.getByTestId("reasoning-part");
  await expect(reasoning).toBeVisible();
  await expect(reasoning.getByTestId("reasoning-text")).toContainText("weigh the options");
  await expect(reasoning.getByRole("button")).toContainText("Thinking");
  await expect(page.getByTestId("stop")).toBeVisible();

  // Part of the answer is on screen while the rest is still coming.
  await expect(reply).toContainText("w5 ");
  const partial = await textOf(reply);
  expect(partial).not.toContain("w39");
  await expect(page.getByTestId("stop")).toBeVisible();

  await expect(reply).toContainText("w39", { timeout: 15_000 });
  await chat.idle();
  await expect(reply.getByTestId("reasoning-text")).toHaveCount(0);
  await expect(reasoning.getByRole("button")).toHaveText(/Thought for \d+s/);
  await reasoning.getByRole("button").click();
  await expect(reasoning.getByTestId("reasoning-text")).toHaveText(REASONING);
  await expect(page.getByTestId("turn-footer")).toBeVisible();
  const text = (await textOf(reply.locator(".markdown").first())).trim();
  expect(text).toBe(words.join("").trim());
});

test("Stop ends a streaming reply and keeps what had arrived", async ({ chat, model, page }) => {
  await model.enqueue({ text: numberedWords("s", 200), tokenDelayMs: 50 });
  const sessionId = await chat.newChat();
  await chat.send("A long answer please");
  const reply = chat.lastAssistant();
  await expect(reply).toContainText("s10 ");
  await page.getByTestId("stop").click();

  await chat.idle();
  await expect(reply.getByText("Stopped", { exact: true })).toBeVisible();
  const kept = await textOf(reply);
  expect(kept).toContain("s10 ");
  expect(kept).not.toContain("s199");
  await page.waitForTimeout(1000);
  expect(await textOf(reply)).toBe(kept);

  const stored = await chat.api<{ messages: { info: { role: string; status: string } }[] }>(
    `/api/sessions/${sessionId}/messages?limit=50`,
  );
  expect(stored.messages.at(-1)?.info).toMatchObject({ role: "assistant", status: "stopped" });
  // The composer works again right away.
  await model.enqueue({ text: "Back again." });
  await chat.exchange("Still there?", "Back again.");
});

test("keyboard only: Tab reaches the composer, Enter sends, Esc stops", async ({ chat, model, page }) => {
  await model.enqueue(
    { text: "Quick answer by keyboard." },
    { text: numberedWords("k", 200), tokenDelayMs: 50 },
  );
  await page.keyboard.press("Control+n");
  await expect(page).toHaveURL(/\/s\/[^/]+$/);
  const composer = page.getByTestId("composer-input");
  await expect(composer).toBeFocused();

  // Move focus off the composer, then Tab until it is back there.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(composer).not.toBeFocused();
  for (let presses = 0; presses < 60; presses++) {
    if (await composer.evaluate((element) => element === document.activeElement)) break;
    await page.keyboard.press("Tab");
  }
  await expect(composer).toBeFocused();

  await page.keyboard.type("First question");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("second line");
  await page.keyboard.press("Enter");
  await expect(chat.messages("user").last().getByTestId("user-text")).toHaveText(
    "First question\nsecond line",
  );
  await expect(chat.lastAssistant()).toContainText("Quick answer by keyboard.");
  await chat.idle();
  await expect(composer).toBeFocused();

  await page.keyboard.type("Now a long one");
  await page.keyboard.press("Enter");
  await expect(chat.lastAssistant()).toContainText("k5 ");
  await page.keyboard.press("Escape");
  await chat.idle();
  await expect(chat.lastAssistant().getByText("Stopped", { exact: true })).toBeVisible();
  expect(await textOf(chat.lastAssistant())).not.toContain("k199");
});

test("Esc stops a turn when the focus is elsewhere on the page", async ({ chat, model, page }) => {
  await model.enqueue({ text: numberedWords("e", 200), tokenDelayMs: 50 });
  await chat.newChat();
  await chat.send("Go on for a while");
  await expect(chat.lastAssistant()).toContainText("e5 ");
  await page.getByTestId("search-input").focus();
  await page.keyboard.press("Escape");
  await chat.idle();
  await expect(chat.lastAssistant().getByText("Stopped", { exact: true })).toBeVisible();
});

test("a socket killed mid-reply reconnects; the reply ends up whole and exactly once", async ({
  chat,
  model,
  page,
}) => {
  const words = numberedWords("r", 60);
  await model.enqueue({ text: words, tokenDelayMs: 80 });
  await tapSockets(page);
  const sessionId = await chat.newChat();
  await chat.send("Keep talking while I drop off");
  const reply = chat.lastAssistant();
  await expect(reply).toContainText("r3 ");

  const status = page.getByTestId("connection-status");
  await killSocket(page, true);
  await expect(status).toHaveAttribute("data-state", "reconnecting");
  await expect(status).toContainText("Reconnecting");
  const before = (await textOf(reply)).length;
  await page.waitForTimeout(1500); // the server keeps streaming meanwhile, the page hears nothing
  expect((await textOf(reply)).length).toBe(before);
  await killSocket(page, false);
  await expect(status).toHaveAttribute("data-state", "connected", { timeout: 15_000 });

  await expect(reply).toContainText("r59", { timeout: 15_000 });
  await chat.idle();
  const expected = words.join("").trim();
  await expect(chat.messages("assistant")).toHaveCount(1);
  expect((await textOf(reply.locator(".markdown").first())).trim()).toBe(expected);
  const shown = await textOf(reply);
  expect(shown.split("r0 ").length - 1).toBe(1);
  expect(shown.split("r59").length - 1).toBe(1);

  // A reload shows the same, from the store.
  const stored = await chat.api<{
    messages: { info: { role: string }; parts: { type: string; text?: string }[] }[];
  }>(`/api/sessions/${sessionId}/messages?limit=50`);
  const assistant = stored.messages.filter((message) => message.info.role === "assistant");
  expect(assistant).toHaveLength(1);
  expect(assistant[0]?.parts.filter((part) => part.type === "text").map((part) => part.text)).toEqual([
    words.join(""),
  ]);
});
