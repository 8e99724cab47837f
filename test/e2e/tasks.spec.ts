/**
 * The Tasks page against the compiled app and the fake model (a separate process): the empty state; a
 * bad cron pattern says why; create a task; Run now; the history shows the completed run and opens its
 * chat with the answer; disable and delete. And a task an agent creates from a chat with its
 * schedule_task tool (after the user allows it) is on the Tasks page.
 */
import type { Page } from "@playwright/test";
import { addFakeProvider, type FakeModelProcess, spawnFakeModel } from "./fake-model-process.ts";
import { expect, type SageApp, test } from "./fixtures.ts";

const API_KEY = "e2e-key-0001";

async function openTasks(page: Page, sage: SageApp): Promise<void> {
  await page.goto(sage.launchUrl);
  await page.getByRole("link", { name: "Tasks" }).click();
  await expect(page).toHaveURL(/\/tasks$/);
}

test.describe("tasks page", () => {
  let fake: FakeModelProcess;

  test.beforeAll(async () => {
    fake = await spawnFakeModel([
      "--api-key",
      API_KEY,
      "--default-text",
      "Task done: all tidy.",
      "--title",
      "A title",
    ]);
  });
  test.afterAll(() => {
    fake?.process.kill("SIGTERM");
  });

  test("create a task (a bad cron pattern says why), run it now, see its history and open its chat", async ({
    page,
    request,
    sage,
  }) => {
    test.setTimeout(90_000);
    await addFakeProvider(request, sage, fake.url, API_KEY);
    await openTasks(page, sage);
    await expect(page.getByTestId("tasks-empty")).toContainText("No scheduled tasks yet");
    // Nothing to pause yet.
    await expect(page.getByTestId("tasks-pause")).toHaveCount(0);

    await page.getByTestId("tasks-empty").getByRole("link", { name: "New task" }).click();
    await expect(page).toHaveURL(/\/tasks\/new$/);
    const form = page.getByTestId("task-form");
    await form.getByTestId("task-name").fill("Tidy the notes");
    await form.getByTestId("task-prompt").fill("Tidy the notes folder");
    await form.getByTestId("task-cron").fill("61 * * * *");
    await expect(form.getByTestId("task-error-cron")).toContainText("minute");
    await form.getByTestId("task-save").click();
    await expect(form.getByTestId("task-error-cron")).toContainText(
      'The cron pattern "61 * * * *" is not valid',
    );
    await form.getByTestId("task-cron").fill("30 9 * * 1-5");
    await expect(form.getByTestId("task-error-cron")).toBeHidden();
    await expect(form.getByTestId("task-cron-preview")).toContainText("Next runs:");
    await form.getByTestId("task-save").click();

    await expect(page).toHaveURL(/\/tasks\/tsk_[^/]+$/);
    const detail = page.getByTestId("task-detail");
    await expect(detail.getByTestId("task-title")).toHaveText("Tidy the notes");
    await expect(detail.getByTestId("task-schedule")).toContainText("Cron 30 9 * * 1-5");
    await expect(page.getByTestId("task-item")).toHaveCount(1);
    await expect(detail.getByTestId("task-history-empty")).toBeVisible();

    // Pausing scheduled work says so until it is resumed (and is kept on reload).
    await page.getByTestId("tasks-pause").click();
    await expect(page.getByTestId("tasks-paused")).toContainText("Scheduled work is paused");
    await page.reload();
    await expect(page.getByTestId("tasks-pause")).toHaveText("Resume scheduled work");
    await page.getByTestId("tasks-pause").click();
    await expect(page.getByTestId("tasks-paused")).toHaveCount(0);
    await expect(page.getByTestId("tasks-pause")).toHaveText("Pause scheduled work");

    await detail.getByTestId("task-run-now").click();
    const run = detail.getByTestId("task-run").first();
    await expect(run).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
    await expect(run.getByTestId("task-run-status")).toHaveText("Completed");
    await expect(run).toContainText("Run now");
    await expect(page.getByTestId("task-item").first()).toContainText("Completed");

    await run.getByTestId("task-run-chat").click();
    await expect(page).toHaveURL(/\/s\/[^/]+$/);
    await expect(page.getByText("Tidy the notes folder").first()).toBeVisible();
    await expect(page.getByText("Task done: all tidy.")).toBeVisible({ timeout: 15_000 });

    // Back on the page: disable, then delete.
    await page.goBack();
    await expect(page).toHaveURL(/\/tasks\/tsk_[^/]+$/);
    await page.getByTestId("task-toggle").click();
    await expect(page.getByTestId("task-schedule")).toContainText("Disabled");
    await expect(page.getByTestId("task-toggle")).toHaveText("Enable");
    await page.getByTestId("task-delete").click();
    await page.getByTestId("confirm-dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/tasks$/);
    await expect(page.getByTestId("tasks-empty")).toBeVisible();
  });

  test("a task an agent schedules from a chat shows on the Tasks page", async ({ page, request, sage }) => {
    test.setTimeout(90_000);
    await addFakeProvider(request, sage, fake.url, API_KEY);
    const enqueued = await fetch(`${fake.control}/__enqueue`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          toolCalls: [
            {
              id: "call_e2e_schedule",
              name: "schedule_task",
              arguments: { name: "Friday review", prompt: "Review the week", cron: "0 17 * * 5" },
            },
          ],
        },
        { text: "I scheduled the Friday review." },
      ]),
    });
    expect(enqueued.status).toBe(200);
    await page.goto(sage.launchUrl);
    await page.getByTestId("new-chat").click();
    await expect(page).toHaveURL(/\/s\/[^/]+$/);
    await page.getByTestId("composer-input").fill("Every Friday at 17:00, review my week");
    await page.getByTestId("send").click();
    const prompt = page.getByTestId("approval-prompt").first();
    await expect(prompt).toContainText('Schedule "Friday review"', { timeout: 20_000 });
    await prompt.getByTestId("approve-once").click();
    await expect(page.getByText("I scheduled the Friday review.")).toBeVisible({ timeout: 20_000 });

    // The tool's card links to the new task on the Tasks page.
    const card = page.locator('[data-testid="tool-card"][data-tool="schedule_task"]');
    await card.locator('button[aria-expanded="false"]').click();
    await card.getByTestId("tool-open-task").click();
    await expect(page).toHaveURL(/\/tasks\/tsk_[^/]+$/);
    const item = page.getByTestId("task-item").filter({ hasText: "Friday review" });
    await expect(item).toBeVisible();
    await expect(item).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("task-detail")).toContainText("made by an agent");
    await expect(page.getByTestId("task-schedule")).toContainText("Cron 0 17 * * 5");
    await expect(page.getByTestId("task-prompt-view")).toHaveText("Review the week");

    // A run that needs an approval waits, and the history says for what — in the user's language.
    await fetch(`${fake.control}/__enqueue`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          toolCalls: [
            { id: "call_e2e_w", name: "write_file", arguments: { path: "review.md", content: "x\n" } },
          ],
        },
      ]),
    });
    await page.getByTestId("task-run-now").click();
    const run = page.getByTestId("task-run").first();
    await expect(run).toHaveAttribute("data-status", "waiting", { timeout: 20_000 });
    await expect(run).toContainText("Waiting for your approval: Create review.md");
    await page.evaluate(() => localStorage.setItem("sage.locale", "zh"));
    await page.reload();
    await expect(page.getByTestId("task-run").first()).toContainText("等待你的批准：Create review.md");
    await expect(page.getByTestId("task-run").first().getByTestId("task-run-status")).toHaveText(
      "等待你处理",
    );
  });
});
