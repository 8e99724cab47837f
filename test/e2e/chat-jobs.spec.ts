/**
 * Background shell jobs end to end (compiled app, fake model process): the model starts a command with
 * `background: true`; its card says it runs in the background with its job id (not "Done · 0.0s");
 * the jobs view, from the card and from the chat header, shows the job running with its live output;
 * Escape closes the view without stopping the turn; Kill stops the job and the view says so, also after
 * a reload.
 */
import { expect, numberedWords, test } from "./chat-fixtures.ts";

const TICKER = "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done";

test("a background job: the card says so, the jobs view shows it live, Kill stops it", async ({
  chat,
  model,
  page,
}) => {
  test.setTimeout(60_000);
  await model.enqueue(
    { toolCalls: [{ name: "shell", arguments: { command: TICKER, background: true, description: "Tick" } }] },
    // The turn goes on for a while after the start: the job runs beside it.
    { text: numberedWords("later-", 50), tokenDelayMs: 150 },
  );
  await chat.newChat();
  await chat.send("Start the ticker in the background");
  const card = chat.toolCard("shell");
  await expect(card).toHaveAttribute("data-status", "awaiting-approval");
  await card.getByTestId("approve-once").click();

  const status = card.getByTestId("tool-status");
  await expect(status).toHaveText("In the background · job-1");
  await expect(status).not.toContainText("Done");
  await expect(card.getByTestId("background-explain")).toContainText("runs in the background as job-1");
  await expect(page.getByTestId("open-jobs-header")).toBeVisible();

  // From the card, while the turn still runs.
  await expect(page.getByTestId("stop")).toBeVisible();
  await card.getByTestId("open-jobs").click();
  const dialog = page.getByTestId("jobs-dialog");
  const row = dialog.locator('[data-testid="job-row"][data-job-id="job-1"]');
  await expect(row).toHaveAttribute("data-state", "running");
  await expect(row.getByTestId("job-state")).toHaveText("Running");
  await expect(row.getByTestId("job-command")).toContainText(TICKER);
  await expect(row.getByTestId("job-output")).toContainText("tick-3");
  // Live: more output arrives while the view is open, and the box follows its end.
  await expect(row.getByTestId("job-output")).toContainText("tick-20", { timeout: 10_000 });
  const gap = await row
    .getByTestId("job-output")
    .evaluate((box) => box.scrollHeight - box.scrollTop - box.clientHeight);
  expect(gap).toBeLessThan(40);
  // Escape closes the view; it does not stop the turn.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("stop")).toBeVisible();
  await chat.idle();

  // From the header, after the turn: Kill.
  await page.getByTestId("open-jobs-header").click();
  await expect(row).toHaveAttribute("data-state", "running");
  await row.getByTestId("job-kill").click();
  await expect(row).toHaveAttribute("data-state", "killed");
  await expect(row.getByTestId("job-state")).toHaveText("Killed");
  await expect(row.getByTestId("job-kill")).toHaveCount(0);
  const jobs = await chat.api<{ jobs: { id: string; state: string }[] }>(
    `/api/sessions/${await chat.sessionId()}/jobs`,
  );
  expect(jobs.jobs).toEqual([expect.objectContaining({ id: "job-1", state: "killed" })]);
  const frozen = await row.getByTestId("job-output").textContent();
  await page.waitForTimeout(1200);
  expect(await row.getByTestId("job-output").textContent()).toBe(frozen);
  await dialog.getByTestId("jobs-close").click();

  // A reload still offers the view (the server holds the job) and shows it killed.
  await page.reload();
  await page.getByTestId("open-jobs-header").click();
  await expect(row).toHaveAttribute("data-state", "killed");
  await expect(chat.toolCard("shell").getByTestId("tool-status")).toHaveText("In the background · job-1");
});

test("a chat without background jobs has no jobs button", async ({ chat, model, page }) => {
  await model.enqueue({ text: "Just words." });
  await chat.newChat();
  await chat.exchange("Hello", "Just words.");
  await page.waitForTimeout(300);
  await expect(page.getByTestId("open-jobs-header")).toHaveCount(0);
});
