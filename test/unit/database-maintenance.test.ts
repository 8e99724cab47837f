/**
 * Idle database upkeep on a real SQLite file, through the real worker: no run while a turn is running
 * (it retries), a scheduled run optimizes and vacuums only past the free-space threshold, a requested
 * compact always vacuums, and a failure (a busy database, a worker that fails) is reported, not thrown,
 * and a busy scheduled run is retried.
 */
import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";
import { DatabaseMaintenance } from "../../src/housekeeping/database-maintenance.ts";

const dirs: string[] = [];
const open: DatabaseMaintenance[] = [];
const paths = new Map<Database, string>();
afterEach(async () => {
  for (const maintenance of open.splice(0)) await maintenance.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function database(freeMiB: number): Database {
  const dir = mkdtempSync(join(tmpdir(), "sage-maintenance-"));
  dirs.push(dir);
  const path = join(dir, "sage.db");
  const db = new Database(path);
  paths.set(db, path);
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA busy_timeout = 5000");
  db.run("CREATE TABLE kept (data BLOB)");
  db.query("INSERT INTO kept VALUES (?)").run(new Uint8Array(1024 * 1024));
  db.run("CREATE TABLE bulk (data BLOB)");
  const insert = db.query("INSERT INTO bulk VALUES (?)");
  for (let index = 0; index < freeMiB * 4; index++) insert.run(new Uint8Array(256 * 1024));
  db.run("DROP TABLE bulk");
  return db;
}

function maintenanceFor(
  db: Database,
  idle: () => boolean,
  extra: { vacuumMinFreeBytes?: number; busyTimeoutMs?: number; workerUrl?: string } = {},
) {
  const maintenance = new DatabaseMaintenance({
    db,
    databasePath: paths.get(db) ?? "",
    compiled: false,
    logger: new Logger({ level: "error", console: false }),
    isIdle: idle,
    firstDelayMs: 10,
    retryMs: 10,
    everyMs: 60_000,
    ...extra,
  });
  open.push(maintenance);
  return maintenance;
}

const until = async (done: () => boolean) => {
  for (let tries = 0; tries < 200 && !done(); tries++) await Bun.sleep(10);
};

describe("database maintenance", () => {
  test("waits while a turn runs, then vacuums once idle when enough of the file is free", async () => {
    const db = database(20);
    let idle = false;
    const maintenance = maintenanceFor(db, () => idle);
    maintenance.start();
    await Bun.sleep(80);
    expect(maintenance.status().last).toBeNull();
    expect(maintenance.freeBytes()).toBeGreaterThan(16 * 1024 * 1024);
    idle = true;
    await until(() => maintenance.status().last !== null);
    const last = maintenance.status().last;
    expect(last?.vacuumed).toBe(true);
    expect(last?.freedBytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(maintenance.freeBytes()).toBeLessThan(1024 * 1024);
    expect(maintenance.status().nextAt).toBeGreaterThan(Date.now() + 50_000);
    expect((db.query("SELECT COUNT(*) AS n FROM kept").get() as { n: number }).n).toBe(1);
  });

  test("a scheduled run below the threshold only optimizes; a requested compact vacuums anyway", async () => {
    const db = database(2);
    const maintenance = maintenanceFor(db, () => true);
    maintenance.start();
    await until(() => maintenance.status().last !== null);
    expect(maintenance.status().last?.vacuumed).toBe(false);
    expect(maintenance.freeBytes()).toBeGreaterThan(1024 * 1024);
    const report = await maintenance.maintain({ vacuum: true });
    expect(report.vacuumed).toBe(true);
    expect(maintenance.freeBytes()).toBeLessThan(1024 * 1024);
  });

  test("a write lock held elsewhere is reported as busy, the data is unchanged, and a scheduled run retries", async () => {
    const db = database(2);
    const path = paths.get(db) ?? "";
    const other = new Database(path);
    other.run("BEGIN IMMEDIATE");
    const maintenance = maintenanceFor(db, () => true, { busyTimeoutMs: 50, vacuumMinFreeBytes: 0 });
    const report = await maintenance.maintain({ vacuum: true });
    expect(report.vacuumed).toBe(false);
    expect(report.error).toMatch(/busy/i);
    expect(maintenance.freeBytes()).toBeGreaterThan(1024 * 1024);
    // The scheduled run meets the same lock and comes back after retryMs (10 ms), not everyMs.
    maintenance.start();
    await until(() => (maintenance.status().last?.at ?? 0) > report.at);
    await until(() => (maintenance.status().nextAt ?? Infinity) < Date.now() + 1000);
    expect(maintenance.status().nextAt).toBeLessThan(Date.now() + 1000);
    other.run("ROLLBACK");
    other.close();
    await until(() => maintenance.status().last?.vacuumed === true);
    expect(maintenance.status().last?.error).toBeUndefined();
    expect(maintenance.freeBytes()).toBeLessThan(1024 * 1024);
    expect((db.query("SELECT COUNT(*) AS n FROM kept").get() as { n: number }).n).toBe(1);
  });

  test("a transaction open on the server's connection is busy: no worker runs, nothing changes", async () => {
    const db = database(2);
    db.run("BEGIN");
    const report = await maintenanceFor(db, () => true).maintain({ vacuum: true });
    expect(report.vacuumed).toBe(false);
    expect(report.error).toMatch(/busy/i);
    db.run("ROLLBACK");
    expect(maintenanceFor(db, () => true).freeBytes()).toBeGreaterThan(1024 * 1024);
  });

  test("a worker that fails or is missing is reported, and the next run works", async () => {
    const db = database(2);
    const broken = new URL("../fixtures/failing-worker.ts", import.meta.url).href;
    const failing = maintenanceFor(db, () => true, { workerUrl: broken });
    const report = await failing.maintain({ vacuum: true });
    expect(report.vacuumed).toBe(false);
    expect(report.error).toMatch(/maintenance worker failed/);
    const missing = maintenanceFor(db, () => true, { workerUrl: join(tmpdir(), "no-such-worker.ts") });
    expect((await missing.maintain({ vacuum: true })).error).toMatch(/maintenance worker/);
    const fine = await maintenanceFor(db, () => true).maintain({ vacuum: true });
    expect(fine.vacuumed).toBe(true);
    expect(fine.error).toBeUndefined();
  });

  test("a database not in WAL mode is left alone with a clear error", async () => {
    const db = database(2);
    db.run("PRAGMA journal_mode = DELETE");
    const report = await maintenanceFor(db, () => true).maintain({ vacuum: true });
    expect(report.vacuumed).toBe(false);
    expect(report.error).toMatch(/not WAL/);
  });

  test("stop waits for a running compact; a compact asked for afterwards is refused with a reason", async () => {
    const db = database(8);
    const maintenance = maintenanceFor(db, () => true);
    const running = maintenance.maintain({ vacuum: true });
    await maintenance.stop();
    expect(maintenance.status().running).toBe(false);
    expect((await running).vacuumed).toBe(true);
    const late = await maintenance.maintain({ vacuum: true });
    expect(late.vacuumed).toBe(false);
    expect(late.error).toMatch(/quitting/);
  });

  test("requests are serialized and status says a run is in progress", async () => {
    const db = database(8);
    const maintenance = maintenanceFor(db, () => true);
    const first = maintenance.maintain({ vacuum: true });
    const second = maintenance.maintain({ vacuum: true });
    expect(maintenance.status().running).toBe(true);
    const [a, b] = await Promise.all([first, second]);
    expect(a.vacuumed && b.vacuumed).toBe(true);
    expect(a.freedBytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(b.freedBytes).toBe(0);
    expect(maintenance.status().running).toBe(false);
  });
});
