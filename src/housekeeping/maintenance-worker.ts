/**
 * Runs the long database upkeep statements (`PRAGMA optimize` over every table, `VACUUM`, the WAL
 * checkpoint that returns the space to the disk) off the server's thread, on its own connection to the
 * same file. Must be listed as an entrypoint of `bun build --compile` (see scripts/build.ts).
 *
 * Contract: receives one MaintenanceJob, answers one MaintenanceOutcome, and is then terminated by its
 * owner (src/housekeeping/database-maintenance.ts). Never throws: every failure becomes an outcome.
 * - Only a WAL database is touched: in WAL mode the server's connection keeps reading its snapshot
 *   while VACUUM writes the new file into the WAL; in rollback mode it would be locked out.
 * - A lock held elsewhere (another writer) waits `busyTimeoutMs`, then answers `code: "SQLITE_BUSY"`;
 *   the database is unchanged then.
 */
import { Database } from "bun:sqlite";
import type { MaintenanceJob, MaintenanceOutcome } from "./maintenance-job.ts";

declare const self: Worker;

function run(job: MaintenanceJob): MaintenanceOutcome {
  let db: Database | undefined;
  let vacuumed = false;
  try {
    db = new Database(job.databasePath, { readwrite: true, create: false });
    db.run(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(job.busyTimeoutMs))}`);
    const mode = (db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
    if (mode.toLowerCase() !== "wal")
      return { ok: false, vacuumed, message: `the database is in ${mode} mode, not WAL`, code: "NOT_WAL" };
    // A fresh connection has run no queries, so ask optimize to look at every table (0x10000), with
    // a bounded analysis (it samples instead of reading whole tables).
    db.run("PRAGMA analysis_limit = 400");
    db.run("PRAGMA optimize = 0x10002");
    if (!job.vacuum) return { ok: true, vacuumed, checkpointed: true };
    db.run("VACUUM");
    vacuumed = true;
    const checkpoint = db.query("PRAGMA wal_checkpoint(TRUNCATE)").get() as { busy: number };
    return { ok: true, vacuumed, checkpointed: checkpoint.busy === 0 };
  } catch (error) {
    const failure = error as Error & { code?: unknown };
    return {
      ok: false,
      vacuumed,
      message: failure.message ?? String(error),
      code: typeof failure.code === "string" ? failure.code : undefined,
    };
  } finally {
    db?.close();
  }
}

self.onmessage = (event: MessageEvent<MaintenanceJob>) => {
  self.postMessage(run(event.data));
};
