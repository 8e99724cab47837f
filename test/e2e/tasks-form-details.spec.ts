/**
 * Details of the Tasks page (compiled app, fake model). In a narrow window: an empty name and prompt
 * are said under their fields in words (not the server's schema message); a long name wraps inside the
 * detail pane; the run history scrolls sideways inside its pane instead of being cut off. In Chinese,
 * run times are written the Chinese way (they followed the browser's language).
 */
import { expect, test } from "./chat-fixtures.ts";

test("a narrow window: the form says what is missing, long names wrap, the history scrolls", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "Digest done." });
  await page.setViewportSize({ width: 760, height: 800 });
  await page.goto(`${chat.sage.baseURL}/tasks`);
  await page.getByTestId("task-new").first().click();
  await page.getByTestId("task-save").click();
  await expect(page.getByTestId("task-error-name")).toHaveText("Give the task a name.");
  await expect(page.getByTestId("task-error-prompt")).toHaveText("Say what the agent should do at each run.");
  await expect(page.getByTestId("task-error-form")).toHaveCount(0);
  // The first field to fix takes the focus, scrolled into sight (Save is far below it).
  await expect(page.getByTestId("task-name")).toBeFocused();
  await expect(page.getByTestId("task-name")).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId("task-name")).toHaveAttribute("aria-invalid", "true");
  await page.getByTestId("task-name").fill("Only a name");
  await page.getByTestId("task-save").click();
  await expect(page.getByTestId("task-prompt")).toBeFocused();
  await expect(page.getByTestId("task-name")).not.toHaveAttribute("aria-invalid", "true");

  const name = `Digest ${"n".repeat(90)}`;
  await page.getByTestId("task-name").fill(name);
  await page.getByTestId("task-prompt").fill("Summarise the news");
  await page.getByTestId("task-cron").fill("0 9 * * *");
  await page.getByTestId("task-save").click();
  const detail = page.getByTestId("task-detail");
  await expect(detail.getByTestId("task-title")).toHaveText(name);
  const pane = page.getByTestId("tasks-page").locator("section").last();
  const paneBox = await pane.boundingBox();
  const right = (paneBox?.x ?? 0) + (paneBox?.width ?? 0);
  const title = await detail.getByTestId("task-title").boundingBox();
  expect((title?.x ?? 0) + (title?.width ?? 0)).toBeLessThanOrEqual(right);
  expect(await pane.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);

  await detail.getByTestId("task-run-now").click();
  const run = detail.getByTestId("task-run");
  await expect(run).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  // The table may be wider than the pane; the pane itself never is.
  expect(await pane.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  const link = run.getByTestId("task-run-chat");
  await link.scrollIntoViewIfNeeded();
  await expect(link).toBeInViewport();
});

test("in Chinese the next run times are written in Chinese", async ({ chat, page }) => {
  await page.goto(`${chat.sage.baseURL}/settings/general`);
  await page.getByTestId("setting-language").selectOption("zh");
  await page.goto(`${chat.sage.baseURL}/tasks`);
  await page.getByTestId("task-new").first().click();
  await page.getByTestId("task-cron").fill("0 9 * * *");
  const preview = page.getByTestId("task-cron-preview");
  await expect(preview).toContainText("接下来的运行");
  await expect(preview).toContainText("年");
  await expect(preview).not.toContainText(/Mon|Tue|Wed|Thu|Fri|Sat|Sun|AM|PM/);
});
