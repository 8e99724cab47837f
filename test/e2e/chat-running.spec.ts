/**
 * Sending while a turn runs, end to end (compiled app, fake model process): "Guide" delivers the text to
 * the running turn at its next step (shown as guidance, and the model gets it); "Queue" holds it in a
 * visible queue and runs it as the next turn once the current one ends; a queued message can be taken
 * back. The choice is remembered.
 */
import { expect, numberedWords, test } from "./chat-fixtures.ts";

test("while a turn runs: guide it, or queue the next message", async ({ chat, model, page }) => {
  await model.enqueue(
    // A tool step first, so the guidance has a next step to arrive at.
    {
      toolCalls: [{ name: "list_dir", arguments: { path: "." } }],
      text: numberedWords("s", 30),
      tokenDelayMs: 40,
    },
    { text: "Guided answer done." },
  );
  await chat.newChat();
  await chat.send("Start working");
  await expect(page.getByTestId("stop")).toBeVisible();

  // Guide (the default): the text joins the running turn.
  await expect(page.getByTestId("while-running-inject")).toHaveAttribute("aria-pressed", "true");
  await chat.send("Focus on the src folder");
  const guidance = chat.messages("user").filter({ hasText: "Focus on the src folder" });
  await expect(guidance).toContainText("Guidance");
  await expect(chat.lastAssistant()).toContainText("Guided answer done.", { timeout: 15_000 });
  await chat.idle();
  const requests = await model.requests();
  expect(requests).toHaveLength(2);
  expect(JSON.stringify(requests[1]?.body?.messages)).toContain("Focus on the src folder");

  // Queue: held visibly, then run as its own turn after the current one.
  await model.enqueue(
    // Long enough (4 s) that the next message is still queued when the test looks, even on a busy machine.
    { text: numberedWords("q", 100), tokenDelayMs: 40 },
    { text: "The queued question answered." },
  );
  await chat.send("A long task");
  await page.getByTestId("while-running-queue").click();
  await chat.send("Then this, afterwards");
  const queue = page.getByTestId("queued-turns");
  await expect(queue).toContainText("Then this, afterwards");
  await expect(queue).toContainText("Queued");
  await expect(chat.lastAssistant()).toContainText("The queued question answered.", { timeout: 20_000 });
  await expect(queue).toHaveCount(0);
  await chat.idle();
  const last = chat.messages("user").last();
  await expect(last).toContainText("Then this, afterwards");
  await expect(last).not.toContainText("Guidance");

  // A queued message can be taken back before it runs.
  // Long enough (6 s) that both messages are queued and one taken back while it still runs, even on a
  // busy machine.
  await model.enqueue(
    { text: numberedWords("t", 150), tokenDelayMs: 40 },
    { text: "Only the kept one ran." },
  );
  await chat.send("Another long task");
  await chat.send("Never mind this one");
  await chat.send("Keep this one");
  await expect(queue.locator("li")).toHaveCount(2);
  await queue.getByRole("button", { name: "Remove from the queue: Never mind this one" }).click();
  await expect(queue.locator("li")).toHaveCount(1);
  await expect(queue).not.toContainText("Never mind this one");
  await expect(chat.lastAssistant()).toContainText("Only the kept one ran.", { timeout: 20_000 });
  await chat.idle();
  await expect(chat.messages("user").filter({ hasText: "Never mind this one" })).toHaveCount(0);

  // The choice is remembered across a reload.
  await page.reload();
  await model.enqueue({ text: numberedWords("r", 40), tokenDelayMs: 40 });
  await chat.send("One more long one");
  await expect(page.getByTestId("while-running-queue")).toHaveAttribute("aria-pressed", "true");
  await page.getByTestId("stop").click();
  await chat.idle();
});
