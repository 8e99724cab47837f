/**
 * Keyboard use of the shared confirm dialog (ui/src/components/confirm-dialog.tsx) in the compiled
 * app, on Settings → Storage: opened from a focused button with Enter, focus starts on Cancel; Escape
 * closes it and focus is back on that button (it fell to the page body); the same after confirming.
 */
import { expect, test } from "./fixtures.ts";

test("the confirm dialog gives focus back to the button that opened it", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/storage`);
  const compact = page.getByTestId("settings-storage").getByTestId("storage-compact");
  await expect(compact).toBeEnabled();
  await compact.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("storage-confirm");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(compact).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Compact" }).click();
  await expect(page.getByTestId("toast").last()).toContainText("Database compacted");
  await expect(dialog).toHaveCount(0);
  await expect(compact).toBeFocused();
});
