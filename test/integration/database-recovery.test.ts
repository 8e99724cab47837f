/**
 * Damaged files with the compiled executable (`dist/sage --serve`): a database with garbage pages is
 * refused — exit 65, the file named, what to do — and left byte-identical with no new -wal/-shm; the
 * running app keeps daily backups (0600, rotated to three days); `--restore-backup` brings the last
 * good one back (the damaged file moved aside, unchanged) and the app starts with the old sessions; a
 * 0-byte sage.db is said on the terminal and in /api/health, offering the backup. Files are 0600.
 */
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionSummary } from "../../src/shared/session.ts";
import type { BackupsResponse, StartupNotice } from "../../src/shared/storage.ts";
import { backupName, listBackups, parseBackupName } from "../../src/store/backups.ts";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";
import { folderSnapshot, modeOf, sha256, writeGarbagePages } from "../support/damage.ts";

const folders: string[] = [];
const apps: AppProcess[] = [];
afterAll(async () => {
  for (const app of apps) await app.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sage-recovery-"));
  folders.push(dir);
  return dir;
}

async function start(dataDir: string, args: string[] = [], env: Record<string, string> = {}) {
  const app = spawnApp({
    executable: await ensureExecutable(),
    args: ["--serve", "--no-open", ...args],
    dataDir,
    env: { DISPLAY: "", WAYLAND_DISPLAY: "", ...env },
  });
  apps.push(app);
  return app;
}

async function startServing(dataDir: string, args: string[] = [], env: Record<string, string> = {}) {
  const app = await start(dataDir, args, env);
  await app.waitForLock(30_000);
  await app.waitForOutput(/Sage is running/, 30_000);
  return app;
}

async function json<T>(app: AppProcess, path: string, body?: unknown): Promise<T> {
  const response = await app.api(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as T;
}

async function createSession(app: AppProcess, title: string): Promise<void> {
  await json(app, "/api/sessions", { title });
}

async function titles(app: AppProcess): Promise<string[]> {
  const { sessions } = await json<{ sessions: SessionSummary[] }>(app, "/api/sessions?limit=100");
  return sessions.map((s) => s.title).sort();
}

async function stop(app: AppProcess): Promise<void> {
  app.child.kill("SIGTERM");
  expect(await app.exited(15_000)).toBe(0);
}

const GARBAGE_PAGES = [4, 5, 6, 7, 8];

test("a damaged database: exit 65, the file and both ways on named, byte-identical, no -wal/-shm", async () => {
  const dataDir = newDataDir();
  const first = await startServing(dataDir);
  await createSession(first, "Before the damage");
  await stop(first);
  const database = join(dataDir, "sage.db");
  writeGarbagePages(database, GARBAGE_PAGES);
  const before = sha256(database);
  const folder = folderSnapshot(dataDir);

  const second = await start(dataDir);
  expect(await second.exited(30_000)).toBe(65);
  const output = second.output();
  expect(output).toContain(`The database ${database} is damaged`);
  expect(output).toMatch(/malformed|quick_check/);
  expect(output).toContain("Sage did not change it");
  expect(output).toContain(`mv "${database}" "${database}.damaged"`);
  expect(sha256(database)).toBe(before);
  expect(existsSync(`${database}-wal`)).toBe(false);
  expect(existsSync(`${database}-shm`)).toBe(false);
  expect(folderSnapshot(dataDir)).toEqual(folder);
  expect(second.logText()).toContain("is damaged");
}, 120_000);

test("backups: kept by the running app (0600, three days), restored by --restore-backup with the old sessions", async () => {
  const dataDir = newDataDir();
  const database = join(dataDir, "sage.db");
  const backups = join(dataDir, "backups");
  const first = await startServing(dataDir);
  await createSession(first, "Old backup only");
  await stop(first);
  // Backups from earlier days (copies of a real database): rotation keeps the newest two of them.
  mkdirSync(backups, { recursive: true, mode: 0o700 });
  const day = 24 * 60 * 60 * 1000;
  const oldDays = [9, 8, 7, 6].map((n) => Date.now() - n * day);
  for (const when of oldDays) copyFileSync(database, join(backups, backupName(when)));

  const running = await startServing(dataDir, [], { SAGE_TEST_HOOKS: "1", SAGE_BACKUP_DELAY_MS: "300" });
  await createSession(running, "Alpha");
  await createSession(running, "Beta");
  // The file modes while it runs: the database and its -wal/-shm.
  for (const file of [database, `${database}-wal`, `${database}-shm`]) expect(modeOf(file)).toBe("600");
  const today = await waitUntil(
    "today's backup",
    () =>
      listBackups(backups).find((b) => new Date(b.createdAt).toDateString() === new Date().toDateString()),
    20_000,
  );
  expect(modeOf(today.path)).toBe("600");
  expect(modeOf(backups)).toBe("700");
  const listed = await json<BackupsResponse>(running, "/api/backups");
  expect(listed.backups.map((b) => b.name)).toEqual([
    today.name,
    backupName(oldDays[3] as number),
    backupName(oldDays[2] as number),
  ]);
  expect(listed.daysKept).toBe(3);
  // A backup on demand joins them (same day: it replaces today's earlier one).
  const made = await running.api("/api/backups", { method: "POST" });
  expect(made.status).toBe(201);
  await createSession(running, "After the backup");
  await stop(running);

  writeGarbagePages(database, GARBAGE_PAGES);
  const damaged = sha256(database);
  const refused = await start(dataDir);
  expect(await refused.exited(30_000)).toBe(65);
  const newest = listBackups(backups)[0];
  expect(refused.output()).toContain("sage --restore-backup");
  expect(refused.output()).toContain(newest?.path as string);
  expect(sha256(database)).toBe(damaged);

  const restored = await startServing(dataDir, ["--restore-backup"]);
  expect(restored.output()).toContain(`Restored the backup ${newest?.path}`);
  const aside = /kept as (\S+)\./.exec(restored.output())?.[1] as string;
  expect(aside).toStartWith(`${database}.before-restore-`);
  expect(sha256(aside)).toBe(damaged);
  expect(await titles(restored)).toEqual(["Alpha", "Beta", "Old backup only"]);
  expect(modeOf(database)).toBe("600");
  await stop(restored);
}, 180_000);

test("--restore-backup with nothing to restore: a clear refusal, the database untouched", async () => {
  const dataDir = newDataDir();
  const first = await startServing(dataDir);
  await stop(first);
  const before = sha256(join(dataDir, "sage.db"));
  const attempt = await start(dataDir, ["--restore-backup"]);
  expect(await attempt.exited(30_000)).toBe(1);
  expect(attempt.output()).toContain("There is no backup in");
  expect(sha256(join(dataDir, "sage.db"))).toBe(before);
}, 120_000);

test("a 0-byte sage.db: the app starts, and the terminal and /api/health say so, offering the backup", async () => {
  const dataDir = newDataDir();
  const first = await startServing(dataDir);
  await createSession(first, "In the backup");
  await stop(first);
  const database = join(dataDir, "sage.db");
  mkdirSync(join(dataDir, "backups"), { recursive: true });
  const backup = join(dataDir, "backups", backupName(Date.now() - 60 * 60_000));
  copyFileSync(database, backup);
  writeFileSync(database, "");

  const app = await startServing(dataDir);
  const output = await app.waitForOutput(/Notice: .*was empty.*/, 10_000);
  expect(output[0]).toContain(database);
  expect(output[0]).toContain("sage --restore-backup");
  const health = await json<{ notices: StartupNotice[] }>(app, "/api/health");
  const name = backup.slice(backup.lastIndexOf("/") + 1);
  expect(health.notices).toEqual([
    {
      code: "database-was-empty",
      path: database,
      backup: { name, createdAt: parseBackupName(name) as number, size: statSync(backup).size },
    },
  ]);
  expect(app.logText()).toContain("was empty (0 bytes)");
  expect(await titles(app)).toEqual([]);
  await stop(app);
}, 120_000);
