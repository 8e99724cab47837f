/**
 * The close prompt's page side (ui/src/components/close-prompt.tsx) in Chromium against the compiled
 * app: the native window calls `window.__sageAskClose()` and gets the answer through its bound
 * `sageCloseAnswer`, stubbed here to record it. Keep (Enter) stores closeToTray=true and answers
 * "hide"; Quit stores false and answers "quit"; Cancel and Escape answer "cancel". The real window's side (GTK's
 * close-request, hiding, asking once) is test/integration/window-close-prompt.test.ts.
 */
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";
import { REPO_ROOT } from "./fixtures.ts";

declare global {
  interface Window {
    __answers?: string[];
  }
}

test("the prompt stores the answer and hands it to the window; cancel stores nothing", async ({
  page,
  chat,
}) => {
  await page.evaluate(() => {
    window.__answers = [];
    window.sageCloseAnswer = async (answer) => {
      window.__answers?.push(answer);
      return true;
    };
  });
  const settings = () => chat.api<{ closeToTray: boolean }>("/api/settings");
  const answers = () => page.evaluate(() => window.__answers ?? []);
  const prompt = page.getByTestId("close-prompt");
  const ask = () => page.evaluate(() => window.__sageAskClose?.());

  await expect(prompt).toHaveCount(0);
  await ask();
  await expect(prompt).toBeVisible();
  await expect(page.getByTestId("close-prompt-keep")).toBeFocused();
  await prompt.screenshot({ path: join(REPO_ROOT, "test-results", "e2e-screens", "close-prompt.png") });
  await page.getByTestId("close-prompt-cancel").click();
  await expect(prompt).toHaveCount(0);
  await ask();
  await page.keyboard.press("Escape");
  await expect(prompt).toHaveCount(0);
  expect(await answers()).toEqual(["cancel", "cancel"]);

  await ask();
  await page.keyboard.press("Enter");
  await expect.poll(answers).toEqual(["cancel", "cancel", "hide"]);
  expect((await settings()).closeToTray).toBe(true);

  await ask();
  await page.getByTestId("close-prompt-quit").click();
  await expect(prompt).toHaveCount(0);
  await expect.poll(answers).toEqual(["cancel", "cancel", "hide", "quit"]);
  expect((await settings()).closeToTray).toBe(false);
});
