/**
 * Importing a settings file (Settings → General, compiled app) applies its theme and language at once:
 * they were saved on the server but the page kept the old ones until the next start (and the Theme
 * select showed the old value meanwhile).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.ts";

test("an imported theme and language apply without a restart", async ({ page, request, sage }) => {
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/general`);
  await page.getByTestId("setting-theme").selectOption("light");
  await page.getByTestId("setting-language").selectOption("en");
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  const exported = await request.get(`${sage.baseURL}/api/settings/export`, {
    headers: { authorization: `Bearer ${sage.token}` },
  });
  expect(exported.status()).toBe(200);
  const file = (await exported.json()) as { settings: Record<string, unknown> };
  file.settings.theme = "dark";
  file.settings.language = "zh";
  const dir = mkdtempSync(join(tmpdir(), "sage-e2e-import-"));
  const path = join(dir, "sage-settings.json");
  writeFileSync(path, JSON.stringify(file));
  try {
    await page.getByTestId("settings-import-file").setInputFiles(path);
    await expect(page.getByTestId("settings-import-result")).toBeVisible();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await expect(page.getByTestId("setting-theme")).toHaveValue("dark");
    await expect(page.getByTestId("setting-language")).toHaveValue("zh");
    await expect(page.getByTestId("settings-nav-general")).toHaveText("通用");
    // And they stay after a reload (the server and this browser agree).
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await expect(page.getByTestId("settings-nav-general")).toHaveText("通用");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
