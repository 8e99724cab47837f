/**
 * Settings → Storage over a real backend and SQLite file: GET /api/storage reports the database (with
 * its free pages), folders (measured in the background and cached: a later visit does not walk them
 * again until asked to) and each workspace's saved tool outputs; cleaning removes only old tool
 * outputs; purging removes deleted chats only (a live chat stays); compacting gives free pages back and
 * is refused while a turn runs. Bad input is a 400 and changes nothing.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { folderSize } from "../../src/housekeeping/storage-usage.ts";
import type { MaintenanceReport, StorageUsage } from "../../src/shared/storage.ts";
import { useBackend } from "../support/backend.ts";
import { workspaceRoot } from "../support/session-steps.ts";

type ErrorBody = { error: { code: string; message: string } };

const app = useBackend();

const usage = (query = "") => app().api<StorageUsage & ErrorBody>(`/api/storage${query}`);

function toolOutput(name: string, daysOld: number, bytes: number): string {
  const dir = join(workspaceRoot(app()), ".sage", "tool-output");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, "x".repeat(bytes));
  const when = (Date.now() - daysOld * 24 * 60 * 60 * 1000) / 1000;
  utimesSync(path, when, when);
  return path;
}

describe("storage usage", () => {
  test("reports the database, folders and the workspace's saved tool outputs, old ones counted apart", async () => {
    toolOutput("old-call.txt", 40, 5_000);
    toolOutput("new-call.txt", 1, 700);
    const { status, body } = await usage("?olderThanDays=30");
    expect(status).toBe(200);
    expect(body.database.bytes).toBeGreaterThan(0);
    expect(body.database.path).toEndWith("sage.db");
    const workspace = body.workspaces.find((entry) => entry.size.path === workspaceRoot(app()));
    expect(workspace?.agents.length).toBeGreaterThan(0);
    expect(workspace?.toolOutputs).toEqual({ bytes: 5_700, files: 2, oldBytes: 5_000, oldFiles: 1 });
    expect(workspace?.size.bytes).toBeGreaterThanOrEqual(5_700);
    expect(body.olderThanDays).toBe(30);
    expect(body.maintenance.nextAt).toBeGreaterThan(Date.now());
  });

  test("a later visit answers from the cache; Measure again (or a clean-up) brings new sizes", async () => {
    const first = (await usage()).body;
    const before = first.workspaces.find((entry) => entry.size.path === workspaceRoot(app()))?.size;
    expect(before?.measuredAt).toBeGreaterThan(0);
    expect(first.measuring).toBe(false);
    writeFileSync(join(workspaceRoot(app()), "big.bin"), new Uint8Array(300_000));
    const cached = (await usage()).body.workspaces.find((entry) => entry.size.path === workspaceRoot(app()));
    // No walk on this visit: the same measurement, without the new file.
    expect(cached?.size).toEqual(before);

    const measure = await app().api<{ measuring: boolean }>("/api/storage/measure", { method: "POST" });
    expect(measure.status).toBe(200);
    let after = cached?.size;
    for (let tries = 0; tries < 100 && after?.measuredAt === before?.measuredAt; tries++) {
      await Bun.sleep(20);
      after = (await usage()).body.workspaces.find((entry) => entry.size.path === workspaceRoot(app()))?.size;
    }
    expect(after?.measuredAt).toBeGreaterThan(before?.measuredAt ?? 0);
    expect(after?.bytes).toBe((before?.bytes ?? 0) + 300_000);
    expect(after?.files).toBe((before?.files ?? 0) + 1);
  });

  test("a bad day count is a 400", async () => {
    expect((await usage("?olderThanDays=-1")).status).toBe(400);
    expect((await usage("?olderThanDays=abc")).status).toBe(400);
  });
});

describe("clean-ups", () => {
  test("removing old tool outputs leaves newer ones; a bad body is a 400 and removes nothing", async () => {
    const old = toolOutput("older.txt", 90, 2_000);
    const recent = toolOutput("recent.txt", 2, 300);
    await usage(); // measured now, with the old output
    const refused = await app().api<ErrorBody>("/api/storage/tool-outputs/clean", {
      method: "POST",
      json: { olderThanDays: "thirty" },
    });
    expect(refused.status).toBe(400);
    expect(existsSync(old)).toBe(true);
    const { status, body } = await app().api<{ files: number; bytes: number }>(
      "/api/storage/tool-outputs/clean",
      { method: "POST", json: { olderThanDays: 30 } },
    );
    expect(status).toBe(200);
    expect(body.files).toBeGreaterThanOrEqual(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    // The workspace is measured again in the background after a clean-up.
    const sized = async () =>
      (await usage()).body.workspaces.find((entry) => entry.size.path === workspaceRoot(app()))?.size;
    let size = await sized();
    const onDisk = (await folderSize(workspaceRoot(app()))).bytes;
    for (let tries = 0; tries < 100 && size?.bytes !== onDisk; tries++) {
      await Bun.sleep(20);
      size = await sized();
    }
    expect(size?.bytes).toBe(onDisk);
  });

  test("purging removes deleted chats for good and keeps the others", async () => {
    const kept = await app().api<{ id: string }>("/api/sessions", { method: "POST", json: {} });
    const gone = await app().api<{ id: string }>("/api/sessions", { method: "POST", json: {} });
    expect((await app().api(`/api/sessions/${gone.body.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await usage()).body.deletedChats.sessions).toBe(1);
    const purged = await app().api<{ purged: number }>("/api/storage/deleted-chats/purge", {
      method: "POST",
    });
    expect(purged.body.purged).toBe(1);
    expect((await usage()).body.deletedChats).toEqual({ sessions: 0, messages: 0 });
    expect((await app().api(`/api/sessions/${kept.body.id}`)).status).toBe(200);
    // Gone for good: undo has nothing to restore.
    const restore = await app().api(`/api/sessions/${gone.body.id}/restore`, { method: "POST" });
    expect(restore.status).toBe(404);
  });

  test("compacting gives the free pages back", async () => {
    const db = app().running.backend.context.db;
    db.run("CREATE TABLE bulk (data BLOB)");
    const insert = db.query("INSERT INTO bulk VALUES (?)");
    for (let index = 0; index < 200; index++) insert.run(new Uint8Array(64 * 1024));
    db.run("DROP TABLE bulk");
    const before = (await usage()).body.database.freeBytes;
    expect(before).toBeGreaterThan(10 * 1024 * 1024);
    const { status, body } = await app().api<MaintenanceReport>("/api/storage/compact", { method: "POST" });
    expect(status).toBe(200);
    expect(body.vacuumed).toBe(true);
    expect(body.error).toBeUndefined();
    expect(body.freedBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect((await usage()).body.database.freeBytes).toBeLessThan(before / 10);
    expect((await usage()).body.maintenance.last?.vacuumed).toBe(true);
  });
});
