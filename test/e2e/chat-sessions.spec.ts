/**
 * Sessions end to end (compiled app, fake model process): full-text search that opens a chat at the
 * matching message, renaming from the sidebar and the header, delete with undo, and message versions —
 * edit a question, regenerate an answer, switch between versions.
 */
import { expect, type RecordedRequest, TITLE, test } from "./chat-fixtures.ts";

/** A reply tall enough to push earlier messages out of view. */
function longReply(label: string): { text: string[] } {
  return { text: Array.from({ length: 30 }, (_, index) => `${label} line ${index}.\n\n`) };
}

function lastUserText(requests: RecordedRequest[]): string {
  const messages = requests.at(-1)?.body?.messages ?? [];
  return JSON.stringify(messages.filter((message) => message.role === "user"));
}

test("search finds a message and opens its chat there; jump to latest goes back down", async ({
  chat,
  model,
  page,
}) => {
  const word = "zephyrquartz";
  await model.enqueue({ text: "Noted, heliotrope." }, ...["one", "two", "three", "four"].map(longReply));
  const sessionId = await chat.newChat();
  await chat.exchange(`Remember the word ${word} for later`, "Noted, heliotrope.");
  for (const label of ["one", "two", "three", "four"])
    await chat.exchange(`Tell me ${label}`, `${label} line 29.`);
  await chat.newChat();
  await expect(page).not.toHaveURL(new RegExp(sessionId));

  await page.getByTestId("search-input").fill(word);
  const results = page.getByTestId("search-results");
  await expect(results).toBeVisible();
  const hit = results.getByTestId("search-hit").filter({ has: page.locator("mark") });
  await expect(hit).toHaveCount(1);
  await expect(hit.locator("mark")).toHaveText(word);
  await expect(hit).toContainText(TITLE);
  await hit.click();

  await expect(page).toHaveURL(new RegExp(`/s/${sessionId}\\?m=msg_`));
  await expect(results).toHaveCount(0);
  await expect(page.getByTestId("search-input")).toHaveValue("");
  const messageId = new URL(page.url()).searchParams.get("m") as string;
  const target = page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
  await expect(target).toBeInViewport();
  await expect(target.getByTestId("user-text")).toHaveText(`Remember the word ${word} for later`);

  // Far from the bottom: the button brings the newest message back.
  const jump = page.getByTestId("jump-to-latest");
  await expect(jump).toBeVisible();
  await jump.click();
  await expect(chat.lastAssistant()).toContainText("four line 29.");
  await expect(chat.lastAssistant().getByText("four line 29.")).toBeInViewport();
  await expect(jump).toBeHidden();

  // A hit in the chat that is open: the list moves up to it (here, the first answer).
  await page.getByTestId("search-input").fill("heliotrope");
  await results
    .getByTestId("search-hit")
    .filter({ has: page.locator("mark") })
    .click();
  await expect(page).toHaveURL(new RegExp(`/s/${sessionId}\\?m=msg_`));
  const answerId = new URL(page.url()).searchParams.get("m") as string;
  expect(answerId).not.toBe(messageId);
  const answer = page.locator(`[data-testid="message"][data-message-id="${answerId}"]`);
  await expect(answer).toBeInViewport();
  await expect(answer).toContainText("Noted, heliotrope.");
  await expect(jump).toBeVisible();

  // A word nobody wrote.
  await page.getByTestId("search-input").fill("nonexistentxyzzy");
  await expect(results).toContainText("No matches.");
  await page.getByTestId("search-input").press("Escape");
  await expect(results).toHaveCount(0);
});

test("switching chats in the sidebar shows each one's own transcript", async ({ chat, model, page }) => {
  await model.enqueue({ text: "Answer for the first chat." }, { text: "Answer for the second chat." });
  const first = await chat.newChat();
  await chat.exchange("Question one", "Answer for the first chat.");
  const second = await chat.newChat();
  await chat.exchange("Question two", "Answer for the second chat.");
  const rowOf = (id: string) => page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);

  for (const [id, text] of [
    [first, "Answer for the first chat."],
    [second, "Answer for the second chat."],
    [first, "Answer for the first chat."],
  ] as const) {
    await rowOf(id).getByTestId("session-title").click();
    await expect(page).toHaveURL(new RegExp(`/s/${id}$`));
    await expect(page.getByTestId("chat-view")).toHaveAttribute("data-session-id", id);
    await expect(chat.messages()).toHaveCount(2);
    await expect(chat.lastAssistant()).toContainText(text);
    await expect(rowOf(id).getByRole("link")).toHaveAttribute("aria-current", "page");
  }
});

test("rename from the sidebar menu and from the header; Escape cancels; it survives a reload", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "Sure." });
  const sessionId = await chat.newChat();
  await chat.exchange("Help me plan groceries", "Sure.");
  const row = page.locator(`[data-testid="session-row"][data-session-id="${sessionId}"]`);
  await expect(row.getByTestId("session-title")).toHaveText(TITLE);
  await expect(page.getByTestId("chat-title")).toHaveText(TITLE);

  await row.getByTestId("session-menu").click();
  await row.getByRole("menuitem", { name: "Rename" }).click();
  const rowInput = row.getByRole("textbox", { name: "Rename" });
  await expect(rowInput).toBeFocused();
  await rowInput.fill("Groceries plan");
  await rowInput.press("Enter");
  await expect(row.getByTestId("session-title")).toHaveText("Groceries plan");
  await expect(page.getByTestId("chat-title")).toHaveText("Groceries plan");

  await page.getByTestId("chat-title").dblclick();
  const headerInput = page.locator("header").getByRole("textbox", { name: "Rename" });
  await headerInput.fill("Something else");
  await headerInput.press("Escape");
  await expect(page.getByTestId("chat-title")).toHaveText("Groceries plan");

  await page.getByTestId("chat-title").dblclick();
  await headerInput.fill("Weekly groceries");
  await headerInput.press("Enter");
  await expect(page.getByTestId("chat-title")).toHaveText("Weekly groceries");
  await expect(row.getByTestId("session-title")).toHaveText("Weekly groceries");

  // A blank name changes nothing.
  await page.getByTestId("chat-title").dblclick();
  await headerInput.fill("   ");
  await headerInput.press("Enter");
  await expect(page.getByTestId("chat-title")).toHaveText("Weekly groceries");

  await page.reload();
  await expect(page.getByTestId("chat-title")).toHaveText("Weekly groceries");
  await expect(row.getByTestId("session-title")).toHaveText("Weekly groceries");
});

test("delete from the session menu, then Undo brings the chat back whole", async ({ chat, model, page }) => {
  await model.enqueue({ text: "Kept safe." });
  const sessionId = await chat.newChat();
  await chat.exchange("Something worth keeping", "Kept safe.");
  const row = page.locator(`[data-testid="session-row"][data-session-id="${sessionId}"]`);
  await expect(row).toBeVisible();

  await row.getByTestId("session-menu").click();
  await row.getByRole("menuitem", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  await expect(page).not.toHaveURL(new RegExp(sessionId));
  const toast = page.getByTestId("toast").filter({ hasText: "Chat deleted." });
  await expect(toast).toBeVisible();
  const listed = await chat.api<{ sessions: { id: string }[] }>("/api/sessions?limit=50");
  expect(listed.sessions.map((session) => session.id)).not.toContain(sessionId);

  await toast.getByTestId("toast-action").click();
  await expect(toast).toHaveCount(0);
  await expect(row).toBeVisible();
  await row.getByTestId("session-title").click();
  await expect(page).toHaveURL(new RegExp(`/s/${sessionId}$`));
  await expect(chat.messages("user").getByTestId("user-text")).toHaveText("Something worth keeping");
  await expect(chat.lastAssistant()).toContainText("Kept safe.");

  // Still there after a reload: the undo reached the server.
  await page.reload();
  await expect(row).toBeVisible();
  await expect(chat.lastAssistant()).toContainText("Kept safe.");
});

test("edit a question and regenerate an answer: versions, and switching back", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "Four." }, { text: "Six." }, { text: "Six, once more." });
  await chat.newChat();
  await chat.exchange("What is two plus two?", "Four.");

  const question = chat.messages("user").last();
  await question.getByTestId("edit-message").click();
  const composer = page.getByTestId("composer-input");
  await expect(composer).toHaveValue("What is two plus two?");
  await expect(composer).toBeFocused();
  await composer.fill("What is three plus three?");
  await composer.press("Enter");

  await expect(chat.lastAssistant()).toContainText("Six.");
  await chat.idle();
  await expect(chat.messages()).toHaveCount(2);
  const edited = chat.messages("user").last();
  await expect(edited.getByTestId("user-text")).toHaveText("What is three plus three?");
  await expect(edited.getByTestId("versions")).toContainText("Version 2 of 2");
  const history = lastUserText(await model.requests());
  expect(history).toContain("three plus three");
  expect(history).not.toContain("two plus two");

  // Regenerate the answer: a second version of it.
  const footer = page.getByTestId("turn-footer").last();
  await footer.getByTestId("regenerate").click();
  await expect(chat.lastAssistant()).toContainText("Six, once more.");
  await chat.idle();
  await expect(chat.messages()).toHaveCount(2);
  await expect(page.getByTestId("turn-footer").last().getByTestId("versions")).toContainText(
    "Version 2 of 2",
  );

  // Back to the first answer, then to the first question (with its own answer).
  await page.getByTestId("turn-footer").last().getByRole("button", { name: "Previous version" }).click();
  await expect(chat.lastAssistant()).toContainText("Six.");
  await expect(chat.lastAssistant()).not.toContainText("once more");
  await expect(page.getByTestId("turn-footer").last().getByTestId("versions")).toContainText(
    "Version 1 of 2",
  );

  await chat.messages("user").last().getByRole("button", { name: "Previous version" }).click();
  await expect(chat.messages("user").last().getByTestId("user-text")).toHaveText("What is two plus two?");
  await expect(chat.lastAssistant()).toContainText("Four.");
  await expect(chat.messages("user").last().getByTestId("versions")).toContainText("Version 1 of 2");
  await expect(chat.messages()).toHaveCount(2);

  // Back to the edited question: its newest branch (the regenerated answer) is the one shown.
  await chat.messages("user").last().getByRole("button", { name: "Next version" }).click();
  await expect(chat.messages("user").last().getByTestId("user-text")).toHaveText("What is three plus three?");
  await expect(chat.lastAssistant()).toContainText("Six, once more.");

  // The chosen branch is what the server keeps.
  await page.reload();
  await expect(chat.messages("user").last().getByTestId("user-text")).toHaveText("What is three plus three?");
});

test("a long history loads older chats as the sidebar scrolls", async ({ chat, page }) => {
  // 230 chats: more than the first page (200). The oldest is created first.
  let oldest = "";
  for (let i = 0; i < 230; i++) {
    const created = await chat.api<{ id: string }>("/api/sessions", { json: { title: `History chat ${i}` } });
    if (i === 0) oldest = created.id;
  }
  await page.reload();
  const list = page.getByTestId("session-list");
  const rows = list.getByTestId("session-row");
  await expect(rows).toHaveCount(200);
  await expect(list.getByText("History chat 0", { exact: true })).toHaveCount(0);
  // Opened by link before its page is loaded, the chat still knows its title and agent.
  await page.evaluate((id) => {
    history.pushState(null, "", `/s/${id}`);
    dispatchEvent(new PopStateEvent("popstate"));
  }, oldest);
  await expect(page.getByTestId("chat-title")).toHaveText("History chat 0");
  for (let i = 0; i < 20 && (await rows.count()) < 230; i++) {
    await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await page.waitForTimeout(100);
  }
  await expect(rows).toHaveCount(230);
  await expect(list.getByText("History chat 0", { exact: true })).toBeVisible();
});
