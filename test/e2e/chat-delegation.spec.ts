/**
 * Sub-agents in the compiled app (fake model process): the parent's delegate card opens the child's
 * chat while the child still streams (live), the child's chat links back to the parent, the child's
 * answer comes back on the parent's card, and the child stays out of the sidebar. The card stays as
 * the user left it when the child finishes (open, with the child's steps, its answer and the link;
 * closed when the user closed it), also after a visit to the child's chat.
 */
import type { FakeReply } from "../fixtures/fake-model/index.ts";
import { expect, numberedWords, test } from "./chat-fixtures.ts";

/** The parent model's reply that delegates `task` to a sub-agent defined on the spot. */
function delegateTo(
  subagent: { name: string; instructions: string; tools: string[] },
  task: string,
): FakeReply {
  return { toolCalls: [{ name: "delegate", arguments: { task, subagent } }] };
}

test("the delegate card opens the sub-agent's chat live; its answer returns to the parent", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    delegateTo(
      { name: "Scout", instructions: "You survey folders.", tools: ["list_dir"] },
      "Survey the workspace",
    ),
    // The child's answer streams slowly, so its chat can be opened while it runs.
    { text: ["Scout ", "report: ", ...numberedWords("s", 40), "end."], tokenDelayMs: 300 },
    { text: "The scout reported back." },
  );
  const parentId = await chat.newChat();
  await chat.send("Send a scout");

  const card = chat.toolCard("delegate");
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card).toContainText("Sub-agent: Scout");
  const open = card.getByTestId("delegate-open-child");
  await expect(open).toBeVisible();
  await expect(card.getByTestId("delegate-child-status")).toHaveText("working…");
  await open.click();

  // The child's chat, live: its answer grows while we watch.
  await expect(page.getByTestId("subagent-banner")).toBeVisible();
  const childId = await chat.sessionId();
  expect(childId).not.toBe(parentId);
  await expect(chat.messages("user").first()).toContainText("Survey the workspace");
  await expect(chat.lastAssistant()).toContainText("Scout report:", { timeout: 10_000 });
  await expect(chat.lastAssistant()).not.toContainText("end.");
  await expect(page.getByTestId("stop")).toBeVisible();
  // Read-only: no composer, a note naming the sub-agent and the parent chat, with a link back.
  const note = page.getByTestId("subagent-readonly");
  await expect(note).toContainText("This is Scout's work for");
  await expect(note).toContainText("continue in the parent chat");
  await expect(page.getByTestId("composer-input")).toHaveCount(0);
  await expect(note.getByTestId("subagent-continue-link")).toHaveAttribute("href", `/s/${parentId}`);
  await expect(chat.lastAssistant()).toContainText("end.", { timeout: 20_000 });
  await expect(page.getByTestId("stop")).toHaveCount(0);
  await expect(page.getByTestId("edit-message")).toHaveCount(0);
  await expect(page.getByTestId("regenerate")).toHaveCount(0);
  // The child is not listed among the user's chats.
  await expect(page.locator(`[data-session-id="${childId}"]`)).toHaveCount(1); // the chat view itself
  await expect(page.getByTestId("sidebar").getByText("Scout: Survey the workspace")).toHaveCount(0);

  await page.getByTestId("subagent-parent-link").click();
  await expect(page).toHaveURL(new RegExp(`/s/${parentId}`));
  await expect(chat.lastAssistant()).toContainText("The scout reported back.", { timeout: 20_000 });
  const done = chat.toolCard("delegate");
  await expect(done).toHaveAttribute("data-status", "completed");
  // Open as it was while the child worked (the user left it so): no click needed.
  await expect(done.getByRole("button").first()).toHaveAttribute("aria-expanded", "true");
  await expect(done.getByTestId("tool-output")).toContainText("Scout report: s0");
  await expect(done.getByTestId("delegate-child-status")).toHaveText("finished");
  const requests = await model.requests();
  const parentFinal = requests.filter((r) => r.body?.tools !== undefined).at(-1);
  expect(JSON.stringify(parentFinal?.body?.messages)).toContain("Scout report: s0");

  // After a reload the card still knows its child (and fetches its status).
  await page.reload();
  const reloaded = chat.toolCard("delegate");
  await reloaded.getByRole("button").first().click();
  await expect(reloaded.getByTestId("delegate-child-status")).toHaveText("finished");
  await expect(reloaded.getByTestId("delegate-open-child")).toHaveAttribute("href", `/s/${childId}`);
});

test("a sub-agent's approval shows on the parent's delegate card and is answered there", async ({
  chat,
  model,
}) => {
  await model.enqueue(
    delegateTo(
      { name: "Scribe", instructions: "You write files.", tools: ["write_file"] },
      "Write the greeting",
    ),
    { toolCalls: [{ name: "write_file", arguments: { path: "greeting.txt", content: "hello\n" } }] },
    { text: "Scribe wrote greeting.txt." },
    { text: "The scribe is done." },
  );
  await chat.newChat();
  await chat.send("Have the scribe write");
  const card = chat.toolCard("delegate");
  const prompt = card.getByTestId("approval-prompt");
  await expect(prompt).toBeVisible({ timeout: 20_000 });
  await expect(prompt).toContainText("Scribe: Create greeting.txt");
  await expect(card).toHaveAttribute("data-status", "awaiting-approval");
  await expect(card.getByTestId("delegate-child-status")).toHaveText("waiting for you");
  await prompt.getByTestId("approve-once").click();
  await expect(prompt).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("The scribe is done.", { timeout: 20_000 });
  await expect(card).toHaveAttribute("data-status", "completed");
  await chat.idle();
});

test("a sub-agent's approval also shows in its own chat and can be answered there", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    delegateTo({ name: "Clerk", instructions: "You write notes.", tools: ["write_file"] }, "Write the note"),
    { toolCalls: [{ name: "write_file", arguments: { path: "note.txt", content: "note\n" } }] },
    { text: "Clerk wrote note.txt." },
    { text: "The clerk is done." },
  );
  const parentId = await chat.newChat();
  await chat.send("Have the clerk write");
  const card = chat.toolCard("delegate");
  await expect(card.getByTestId("approval-prompt")).toBeVisible({ timeout: 20_000 });
  await card.getByTestId("delegate-open-child").click();
  await expect(page.getByTestId("subagent-banner")).toBeVisible();
  const prompt = chat.toolCard("write_file").getByTestId("approval-prompt");
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText("Create note.txt");
  await prompt.getByTestId("approve-once").click();
  await expect(chat.lastAssistant()).toContainText("Clerk wrote note.txt.", { timeout: 20_000 });
  await expect(chat.toolCard("write_file")).toHaveAttribute("data-status", "completed");
  await page.getByTestId("subagent-parent-link").click();
  await expect(page).toHaveURL(new RegExp(`/s/${parentId}`));
  await expect(chat.lastAssistant()).toContainText("The clerk is done.", { timeout: 20_000 });
  await expect(chat.toolCard("delegate").getByTestId("approval-prompt")).toHaveCount(0);
});

test("the delegate card stays open when the child finishes, with its steps, answer and link", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    delegateTo({ name: "Counter", instructions: "You count files.", tools: ["list_dir"] }, "Count the files"),
    { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
    { text: ["Counted: ", ...numberedWords("c", 10), "no files."], tokenDelayMs: 200 },
    { text: "The counter is done." },
  );
  const parentId = await chat.newChat();
  await chat.send("Count my files");
  const card = chat.toolCard("delegate");
  const toggle = card.getByRole("button").first();
  const steps = card.getByTestId("delegate-steps");
  await expect(steps).toContainText("• list_dir .", { timeout: 20_000 });
  await expect(card).toHaveAttribute("data-status", "running");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(card.getByTestId("delegate-outcome")).toHaveCount(0);

  // The child finishes while the user watches: nothing collapses, the outcome joins the steps.
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(steps).toHaveText("• list_dir .");
  const outcome = card.getByTestId("delegate-outcome");
  await expect(outcome).toContainText("Its answer");
  await expect(outcome.getByTestId("tool-output")).toHaveText(/^Counted: c0 .*c9 no files\.$/);
  await expect(card.getByTestId("delegate-child-status")).toHaveText("finished");
  const open = card.getByTestId("delegate-open-child");
  await expect(open).toHaveAttribute("href", /^\/s\/ses_/);
  await expect(chat.lastAssistant()).toContainText("The counter is done.", { timeout: 20_000 });
  await chat.idle();

  // To the child's chat and back: the card is as it was.
  await open.click();
  await expect(page.getByTestId("subagent-banner")).toBeVisible();
  await page.getByTestId("subagent-parent-link").click();
  await expect(page).toHaveURL(new RegExp(`/s/${parentId}`));
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(steps).toHaveText("• list_dir .");
  await expect(outcome.getByTestId("tool-output")).toContainText("Counted: c0");

  // Closed by the user, it stays closed on the way back too.
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(steps).toHaveCount(0);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("settings-general")).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/s/${parentId}`));
  await expect(chat.lastAssistant()).toContainText("The counter is done.");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");

  // After a reload a finished card starts closed; opened, it still has the steps and the answer.
  await page.reload();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(steps).toHaveText("• list_dir .");
  await expect(outcome.getByTestId("tool-output")).toContainText("Counted: c0");
  await expect(card.getByTestId("delegate-open-child")).toHaveAttribute("href", /^\/s\/ses_/);
});

test("a delegate card the user closes while the child works stays closed when it finishes", async ({
  chat,
  model,
}) => {
  await model.enqueue(
    delegateTo({ name: "Thinker", instructions: "You think.", tools: ["list_dir"] }, "Think slowly"),
    { text: ["Thought: ", ...numberedWords("t", 10), "done."], tokenDelayMs: 200 },
    { text: "The thinker is done." },
  );
  await chat.newChat();
  await chat.send("Think about it");
  const card = chat.toolCard("delegate");
  const toggle = card.getByRole("button").first();
  await expect(card.getByTestId("delegate-child-status")).toHaveText("working…", { timeout: 20_000 });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(chat.lastAssistant()).toContainText("The thinker is done.", { timeout: 20_000 });
  await expect(card).toHaveAttribute("data-status", "completed");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
});
