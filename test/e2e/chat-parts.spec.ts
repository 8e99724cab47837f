/**
 * More of a turn's parts end to end (compiled app, fake model process): the agent's plan shown live
 * above the composer, a provider failure shown as an error with Retry that runs the turn again, a
 * generic tool card with its arguments and result, and pinning a chat to the top of the sidebar.
 */
import { expect, test } from "./chat-fixtures.ts";

test("the plan appears and updates live as the agent works through it", async ({ chat, model, page }) => {
  const plan = (second: "pending" | "done") => ({
    name: "todo",
    arguments: {
      todos: [
        { id: "a", text: "Read the notes", status: "done" },
        { id: "b", text: "Write the summary", status: second },
      ],
    },
  });
  await model.enqueue(
    { toolCalls: [plan("pending")] },
    { toolCalls: [plan("done")], tokenDelayMs: 60, text: ["Finishing", " up."] },
    { text: "All planned work is done." },
  );
  await chat.newChat();
  await chat.send("Plan and do it");
  const panel = page.getByTestId("todo-panel");
  await expect(panel).toContainText("Read the notes");
  await expect(panel).toContainText("1/2");
  const second = panel.locator("li", { hasText: "Write the summary" });
  await expect(second).toHaveAttribute("data-status", "pending");
  await expect(second).toContainText("To do:");
  await expect(panel).toContainText("2/2", { timeout: 15_000 });
  await expect(second).toHaveAttribute("data-status", "done");
  await expect(second).toHaveClass(/line-through/);
  await expect(second).toContainText("Done:");
  await expect(chat.lastAssistant()).toContainText("All planned work is done.");
  await chat.idle();
});

test("a failed turn shows why, and Retry runs it again", async ({ chat, model, page }) => {
  // A 400 is not retried automatically: the turn ends with the error shown.
  await model.enqueue({ error: { status: 400, message: "The request was malformed somehow." } });
  await chat.newChat();
  await chat.send("Try something");
  const error = page.getByTestId("error-part");
  await expect(error).toContainText("malformed somehow");
  await chat.idle();

  await model.enqueue({ text: "Worked the second time." });
  await error.getByTestId("retry-button").click();
  await expect(chat.lastAssistant()).toContainText("Worked the second time.");
  await chat.idle();
  // Retried once: the question was not sent twice as a new message.
  await expect(chat.messages("user")).toHaveCount(1);
});

test("a rejected key says so and leads to the provider settings", async ({ chat, model, page }) => {
  await model.enqueue({ error: { status: 401 } });
  await chat.newChat();
  await chat.send("Hello?");
  const error = page.getByTestId("error-part");
  await expect(error).toContainText("rejected the API key (401)");
  await chat.idle();
  await error.getByTestId("error-settings").click();
  await expect(page).toHaveURL(/\/settings\/providers$/);
  await expect(page.getByTestId("settings-providers")).toBeVisible();
});

test("a generic tool card shows the arguments and the result", async ({ chat, model }) => {
  await model.enqueue(
    { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
    { text: "Listed the workspace." },
  );
  await chat.newChat();
  await chat.exchange("What is in the workspace?", "Listed the workspace.");
  const card = chat.toolCard("list_dir");
  await expect(card).toHaveAttribute("data-status", "completed");
  await card.getByRole("button", { name: /list_dir/ }).click();
  await expect(card.getByTestId("tool-output")).toBeVisible();
  await card.getByText("Arguments").click();
  await expect(card.locator("pre").first()).toContainText('"path": "."');
});

test("pin keeps a chat at the top under Pinned; unpin puts it back", async ({ chat, model, page }) => {
  await model.enqueue({ text: "First chat answer." });
  await chat.newChat();
  await chat.exchange("The first chat", "First chat answer.");
  await chat.newChat();
  await model.enqueue({ text: "Second chat answer." });
  await chat.exchange("The second chat", "Second chat answer.");

  const rows = page.getByTestId("session-row");
  const older = rows.nth(1);
  const olderTitle = (await older.getByTestId("session-title").textContent()) ?? "";
  await older.hover();
  await older.getByTestId("session-menu").click();
  await page.getByRole("menuitem", { name: "Pin" }).click();
  await expect(page.getByText("Pinned", { exact: true })).toBeVisible();
  await expect(rows.first().getByTestId("session-title")).toHaveText(olderTitle);

  await page.reload();
  await expect(page.getByTestId("session-row").first().getByTestId("session-title")).toHaveText(olderTitle);
  const pinned = page.getByTestId("session-row").first();
  await pinned.hover();
  await pinned.getByTestId("session-menu").click();
  await page.getByRole("menuitem", { name: "Unpin" }).click();
  await expect(page.getByText("Pinned", { exact: true })).toHaveCount(0);
  await expect(page.getByTestId("session-row").nth(1).getByTestId("session-title")).toHaveText(olderTitle);
});
