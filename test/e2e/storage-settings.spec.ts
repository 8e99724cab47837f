/**
 * Settings → Storage in the compiled app: the sizes of the database, the workspace (with its saved tool
 * outputs) and the other folders; removing old tool outputs (asked first, recent ones kept), removing
 * deleted chats for good, and compacting the database, each saying what it freed. Folder sizes come from
 * the server's background measurement: the page says how long ago they were measured, a later visit
 * shows the cached size, and "Measure again" brings the new one.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type SageApp, startSage, stopSage, test } from "./fixtures.ts";

let dataDir: string;
let sage: SageApp;
test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sage-e2e-storage-view-"));
  sage = await startSage(["--data-dir", dataDir]);
});
test.afterEach(async () => {
  await stopSage(sage);
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  const response = await fetch(`${sage.baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${sage.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as T;
}

function savedOutput(workspace: string, name: string, daysOld: number, bytes: number): string {
  const dir = join(workspace, ".sage", "tool-output");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, "y".repeat(bytes));
  const when = (Date.now() - daysOld * 86_400_000) / 1000;
  utimesSync(path, when, when);
  return path;
}

test("Storage shows what takes space and cleans up old outputs, deleted chats and free pages", async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const agents = await call<{ agents: { id: string }[] }>("/api/agents");
  const agentId = agents.agents[0]?.id ?? "";
  const workspace = join(dataDir, "workspaces", agentId);
  const old = savedOutput(workspace, "call-old.txt", 45, 300_000);
  const recent = savedOutput(workspace, "call-new.txt", 1, 4_000);
  const chat = await call<{ id: string }>("/api/sessions", "POST", { title: "To be purged" });
  await call(`/api/sessions/${chat.id}`, "DELETE");

  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/storage`);
  const view = page.getByTestId("settings-storage");
  await expect(view.getByTestId("storage-database")).toContainText("Database");
  await expect(view.getByTestId("storage-workspace")).toContainText("Saved tool outputs: 2 files");
  await page.screenshot({ path: testInfo.outputPath("storage-view.png"), fullPage: true });

  await view.getByTestId("storage-clean-outputs").click();
  await expect(page.getByTestId("storage-confirm")).toContainText("older than 30 days");
  await page.getByTestId("storage-confirm").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("toast").last()).toContainText("Removed 1 saved outputs");
  expect(existsSync(old)).toBe(false);
  expect(existsSync(recent)).toBe(true);
  await expect(view.getByTestId("storage-clean-outputs")).toBeDisabled();

  await view.getByTestId("storage-purge-chats").click();
  await page.getByTestId("storage-confirm").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("toast").last()).toContainText("Removed 1 deleted chats");
  await expect(view.getByTestId("storage-purge-chats")).toBeDisabled();

  await view.getByTestId("storage-compact").click();
  await page.getByTestId("storage-confirm").getByRole("button", { name: "Compact" }).click();
  await expect(page.getByTestId("toast").last()).toContainText("Database compacted");
  await expect(view.getByTestId("storage-maintenance")).toContainText("Last maintenance");
});

test("Storage shows when folder sizes were measured; a later visit is cached until Measure again", async ({
  page,
}) => {
  test.setTimeout(60_000);
  const agents = await call<{ agents: { id: string }[] }>("/api/agents");
  const workspace = join(dataDir, "workspaces", agents.agents[0]?.id ?? "");
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "small.txt"), "z".repeat(1_000));

  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/storage`);
  const view = page.getByTestId("settings-storage");
  await expect(view.getByTestId("storage-measured")).toHaveText("Folder sizes measured now.");
  const row = view.getByTestId("storage-workspace").locator("td");
  await expect(row).not.toContainText("MiB");
  const before = await row.textContent();

  // 3 MiB more on disk: the next visit still shows the measured size, said to be from earlier.
  writeFileSync(join(workspace, "large.bin"), new Uint8Array(3 * 1024 * 1024));
  await page.reload();
  await expect(view.getByTestId("storage-measured")).toContainText("Folder sizes measured");
  await expect(row).toHaveText(before ?? "");

  await view.getByTestId("storage-measure").click();
  await expect(row).toHaveText("3 MiB");
  await expect(view.getByTestId("storage-measured")).toHaveText("Folder sizes measured now.");
  await expect(view.getByTestId("storage-measure")).toBeEnabled();
});
