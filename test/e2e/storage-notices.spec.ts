/**
 * Storage in the UI: a 0-byte sage.db makes Sage start with an empty database — the window says so at
 * once, above every page, with the backup that can bring the old one back (`sage --restore-backup`);
 * Settings → About lists the backups and makes one on demand.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type SageApp, startSage, stopSage, test } from "./fixtures.ts";

/** The name Sage gives a backup made at `at` (see src/store/backups.ts). */
function backupName(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `sage-${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-` +
    `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}.db`
  );
}

let dataDir: string;
const apps: SageApp[] = [];
test.beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sage-e2e-storage-"));
});
test.afterEach(async () => {
  for (const app of apps.splice(0)) await stopSage(app);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<SageApp> {
  const app = await startSage(["--data-dir", dataDir]);
  apps.push(app);
  return app;
}

test("an empty database file is announced with the backup to restore; About lists and makes backups", async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  // A database with a session, kept as yesterday's backup; then the file is found empty.
  const first = await start();
  const created = await fetch(`${first.baseURL}/api/sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${first.token}`, "content-type": "application/json" },
    body: JSON.stringify({ title: "Kept in the backup" }),
  });
  expect(created.status).toBeLessThan(300);
  expect(await stopSage(apps.pop() as SageApp)).toBe(0);
  mkdirSync(join(dataDir, "backups"), { recursive: true });
  copyFileSync(join(dataDir, "sage.db"), join(dataDir, "backups", backupName(Date.now() - 26 * 3600_000)));
  writeFileSync(join(dataDir, "sage.db"), "");

  const sage = await start();
  await expect.poll(() => sage.output()).toContain("was empty (0 bytes)");
  await page.goto(sage.launchUrl);
  const notice = page.getByTestId("storage-notice");
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Sage started with an empty database");
  await expect(notice).toContainText(join(dataDir, "sage.db"));
  await expect(page.getByTestId("storage-notice-backup")).toContainText("sage --restore-backup");
  await page.screenshot({ path: testInfo.outputPath("empty-database-notice.png") });
  await page.getByTestId("storage-notice-close").click();
  await expect(notice).toHaveCount(0);

  await page.goto(`${sage.baseURL}/settings/about`);
  const panel = page.getByTestId("backups-panel");
  await expect(panel).toContainText("Database backups");
  await expect(panel.getByTestId("backups-list").locator("li")).toHaveCount(1);
  await panel.getByTestId("backup-now").click();
  await expect(page.getByTestId("toast")).toContainText("Backup made.");
  await expect(panel.getByTestId("backups-list").locator("li")).toHaveCount(2);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("backups-panel.png") });
});
