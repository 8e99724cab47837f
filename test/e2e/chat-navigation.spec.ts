/**
 * Getting around, end to end (compiled app, fake model process): the command palette (Ctrl+K) finds a
 * chat by title and runs actions, Ctrl+N starts a chat, "?" lists the shortcuts; the agent switcher
 * starts chats with another agent (its system prompt reaches the model); `/compact` leaves a summary
 * that expands to show what it says.
 */
import { expect, TITLE, test } from "./chat-fixtures.ts";

test("palette, new chat and the shortcuts list, from the keyboard", async ({ chat, model, page }) => {
  await model.enqueue({ text: "Noted about turnips." });
  await chat.newChat();
  await chat.exchange("Tell me about turnips", "Noted about turnips.");
  await expect(page.getByTestId("chat-title")).toHaveText("Fake chat title");
  const turnips = await chat.sessionId();

  await page.keyboard.press("Control+n");
  await expect(page).not.toHaveURL(new RegExp(turnips));
  await expect(page.getByTestId("empty-state")).toBeVisible();

  await page.keyboard.press("Control+k");
  const palette = page.getByTestId("command-palette");
  await expect(palette).toBeVisible();
  await expect(page.getByTestId("palette-input")).toBeFocused();
  await page.keyboard.type("fake chat");
  await page.keyboard.press("Enter");
  await expect(palette).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/s/${turnips}`));
  await expect(chat.lastAssistant()).toContainText("Noted about turnips.");

  // The pointer resting over the list does not take the keyboard's choice away as the list filters.
  await page.keyboard.press("Control+k");
  await page.getByTestId("command-palette").getByRole("option").nth(3).hover();
  await page.keyboard.type("tools");
  await expect(page.getByTestId("command-palette").getByRole("option")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tools$/);

  // "?" outside a text field opens the list.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("?");
  const help = page.getByTestId("shortcuts-dialog");
  await expect(help).toBeVisible();
  await expect(help).toContainText("Ctrl+K");
  await expect(help).toContainText("Ctrl+N");
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
});

test("the agent switcher starts chats with another agent", async ({ chat, model, page }) => {
  await chat.api("/api/agents", {
    json: { name: "Turnip Expert", emoji: "🥕", systemPrompt: "You only talk about root vegetables." },
  });
  await page.reload();
  const switcher = page.getByTestId("agent-switcher");
  await expect(switcher).toBeVisible();
  await switcher.selectOption({ label: "🥕 Turnip Expert" });
  await chat.newChat();
  await expect(page.getByTestId("chat-view")).toContainText("Turnip Expert");
  await model.enqueue({ text: "Roots, always roots." });
  await chat.exchange("What do you know?", "Roots, always roots.");
  const last = (await model.requests()).at(-1);
  expect(JSON.stringify(last?.body?.messages?.[0])).toContain("You only talk about root vegetables.");
});

test("/compact leaves a summary that expands", async ({ chat, model, page }) => {
  await chat.newChat();
  for (const n of [1, 2, 3, 4]) {
    await model.enqueue({ text: `Answer number ${n}.` });
    await chat.exchange(`Question number ${n}`, `Answer number ${n}.`);
  }
  // The summary request offers no tools, so the fake answers it as a background request (with TITLE).
  await chat.send("/compact");
  const summary = page.getByTestId("compaction-part");
  await expect(summary).toBeVisible({ timeout: 15_000 });
  await expect(summary).toContainText("Earlier conversation summarised (2 messages)");
  await expect(summary).not.toContainText(TITLE);
  await summary.getByRole("button").click();
  await expect(summary.getByRole("button")).toHaveAttribute("aria-expanded", "true");
  await expect(summary).toContainText(TITLE);
  // The originals are still there above it.
  await expect(chat.messages("user").first()).toContainText("Question number 1");
});

test("/compact in a short chat says why nothing happened, and loses nothing", async ({
  chat,
  model,
  page,
}) => {
  await chat.newChat();
  await model.enqueue({ text: "Short answer." });
  await chat.exchange("A short question", "Short answer.");
  const before = (await model.requests()).length;

  await chat.send("/compact");
  const notice = page.getByTestId("turn-notice");
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute("data-code", "nothing-to-compact");
  await expect(notice).toContainText("Nothing to compact yet: the conversation is short.");
  await expect(notice).toContainText(
    /older than the newest 6, and this chat has 2 \(about [\d,]+ of [\d,]+ tokens\)/,
  );
  // An information line, not a red error box; the conversation is as it was; the model was not asked.
  await expect(notice.locator(".text-danger")).toHaveCount(0);
  await expect(page.getByTestId("compaction-part")).toHaveCount(0);
  await expect(chat.messages()).toHaveCount(2);
  await expect(chat.messages("user")).toHaveCount(1);
  await expect(chat.messages("user")).toContainText("A short question");
  expect((await model.requests()).length).toBe(before);

  // It can be closed, and the next turn clears it by itself.
  await page.getByTestId("turn-notice-dismiss").click();
  await expect(notice).toHaveCount(0);
  await chat.send("/compact");
  await expect(notice).toBeVisible();
  await model.enqueue({ text: "Another answer." });
  await chat.exchange("Next question", "Another answer.");
  await expect(notice).toHaveCount(0);
});

test("the slash menu marks the command Enter would pick, and the arrow keys move the mark", async ({
  chat,
  page,
}) => {
  await chat.newChat();
  await page.getByTestId("composer-input").fill("/");
  const options = page.getByTestId("slash-menu").getByRole("option");
  await expect(options.nth(1)).toBeVisible();
  const background = (index: number) =>
    options.nth(index).evaluate((element) => getComputedStyle(element).backgroundColor);
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  expect(await background(0)).not.toBe(await background(1));
  await page.keyboard.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  expect(await background(1)).not.toBe(await background(0));
});

test("an empty chat offers no export; once it has messages, Markdown and JSON are in its header", async ({
  chat,
  model,
  page,
}) => {
  await chat.newChat();
  await expect(page.getByTestId("composer-input")).toBeVisible();
  await expect(page.getByTestId("export-md")).toHaveCount(0);
  await expect(page.getByTestId("export-json")).toHaveCount(0);
  await expect(page.getByTestId("continue-new-chat")).toHaveCount(0);
  await model.enqueue({ text: "Something worth exporting." });
  await chat.exchange("Say something", "Something worth exporting.");
  await expect(page.getByTestId("export-md")).toBeVisible();
  await expect(page.getByTestId("export-json")).toBeVisible();
  await expect(page.getByTestId("continue-new-chat")).toBeVisible();
});

test("a chat address the server does not know says so and offers a new chat, with no message box", async ({
  chat,
  page,
}) => {
  await page.goto(`${chat.sage.baseURL}/s/ses_doesnotexist0000`);
  const missing = page.getByTestId("chat-missing");
  await expect(missing).toContainText("This chat does not exist");
  await expect(missing).toContainText("It may have been deleted");
  await expect(page.getByTestId("composer-input")).toHaveCount(0);
  await expect(page.getByTestId("chat-title")).toHaveCount(0);
  await missing.getByRole("button", { name: "New chat" }).click();
  await expect(page).toHaveURL(/\/s\/(?!ses_doesnotexist0000)[^/]+$/);
  await expect(page.getByTestId("composer-input")).toBeVisible();
  await expect(missing).toHaveCount(0);
});
