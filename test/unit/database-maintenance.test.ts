/**
 * Idle database upkeep on a real SQLite file: no run while a turn is running (it retries), a scheduled
 * run optimizes and vacuums only past the free-space threshold, a requested compact always vacuums,
 * and a failure is reported, not thrown.
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
afterEach(() => {
  for (const maintenance of open.splice(0)) maintenance.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function database(freeMiB: number): Database {
  const dir = mkdtempSync(join(tmpdir(), "sage-maintenance-"));
  dirs.push(dir);
  const db = new Database(join(dir, "sage.db"));
  db.run("PRAGMA journal_mode = WAL");
  db.run("CREATE TABLE kept (data BLOB)");
  db.query("INSERT INTO kept VALUES (?)").run(new Uint8Array(1024 * 1024));
  db.run("CREATE TABLE bulk (data BLOB)");
  const insert = db.query("INSERT INTO bulk VALUES (?)");
  for (let index = 0; index < freeMiB * 4; index++) insert.run(new Uint8Array(256 * 1024));
  db.run("DROP TABLE bulk");
  return db;
}

function maintenanceFor(db: Database, idle: () => boolean, extra: { vacuumMinFreeBytes?: number } = {}) {
  const maintenance = new DatabaseMaintenance({
    db,
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
    const report = maintenance.maintain({ vacuum: true });
    expect(report.vacuumed).toBe(true);
    expect(maintenance.freeBytes()).toBeLessThan(1024 * 1024);
  });

  test("a failure is reported and the data is unchanged", () => {
    const db = database(2);
    db.run("BEGIN");
    const report = maintenanceFor(db, () => true).maintain({ vacuum: true });
    expect(report.vacuumed).toBe(false);
    expect(report.error).toMatch(/transaction/i);
    db.run("ROLLBACK");
    expect((db.query("SELECT COUNT(*) AS n FROM kept").get() as { n: number }).n).toBe(1);
  });
});
