/**
 * Database upkeep while Sage is idle: `PRAGMA optimize` (fresh query-planner statistics) on a schedule,
 * and `VACUUM` when enough of the file is free pages (deleted chats leave them), then a WAL checkpoint
 * so the space really returns to the disk.
 *
 * Contract:
 * - The first look is `firstDelayMs` after start-up, then every `everyMs`. A look while `isIdle()` is
 *   false (a turn runs) is skipped and retried after `retryMs`; maintenance never starts under a turn.
 * - Scheduled runs vacuum only when free pages are at least `vacuumFreeShare` of the file and at least
 *   `vacuumMinFreeBytes`; `maintain({ vacuum: true })` (Settings → Storage → Compact) always does.
 * - The statements run in a worker (maintenance-worker.ts) on its own connection to the same WAL
 *   database, so the server keeps answering HTTP and WebSocket traffic and keeps reading while a VACUUM
 *   rewrites the file (roughly a second per few hundred MB here). A write on the server's connection
 *   still waits for it, on the server's thread (SQLite has one writer; measured: an INSERT issued 60 ms
 *   into a 200 ms VACUUM waited 238 ms), and fails with SQLITE_BUSY past its busy_timeout (5 s): that is
 *   why upkeep starts only when idle.
 * - Runs are serialized: a request while one runs waits for it, then runs.
 * - A failure is logged and returned as `error`, never thrown; the database is unchanged then. A busy
 *   database (the server's connection is inside a transaction, or another writer holds the lock past
 *   `busyTimeoutMs`) is such a failure, and a scheduled run then tries again after `retryMs`.
 * - `stop()` cancels the timer and waits for a running worker (its connection must be closed before the
 *   database's final checkpoint can leave WAL mode); runs asked for before it still happen, one asked for
 *   after it reports an error.
 */
import type { Database } from "bun:sqlite";
import type { Logger } from "../core/logger.ts";
import { type MaintenanceJob, type MaintenanceOutcome, maintenanceWorkerUrl } from "./maintenance-job.ts";

export interface MaintenanceReport {
  /** ms since the epoch. */
  at: number;
  vacuumed: boolean;
  /** Bytes the database file shrank by. */
  freedBytes: number;
  durationMs: number;
  error?: string;
}

export interface MaintenanceStatus {
  last: MaintenanceReport | null;
  nextAt: number | null;
  /** A run is in progress (in the worker). */
  running: boolean;
}

export interface DatabaseMaintenanceOptions {
  /** The server's connection: only cheap reads (page counts, transaction state) run on it. */
  db: Database;
  /** The same database's file, opened again by the worker. */
  databasePath: string;
  /** Compiled executable or source (where the worker's code is). */
  compiled: boolean;
  logger: Logger;
  /** True when no turn runs (the session manager knows). */
  isIdle(): boolean;
  firstDelayMs?: number;
  everyMs?: number;
  retryMs?: number;
  vacuumFreeShare?: number;
  vacuumMinFreeBytes?: number;
  /** The worker's lock wait before it gives up with SQLITE_BUSY (default 2 s). */
  busyTimeoutMs?: number;
  /** Another worker script (tests of a failing worker). */
  workerUrl?: string;
  now?: () => number;
}

const HOUR = 60 * 60 * 1000;
const BUSY_MESSAGE =
  "the database was busy (another write was in progress), so it was left as it was; maintenance tries again later";

export class DatabaseMaintenance {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: MaintenanceReport | null = null;
  private nextAt: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: DatabaseMaintenanceOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.schedule(this.options.firstDelayMs ?? 10 * 60 * 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextAt = null;
    await this.queue.catch(() => undefined);
  }

  status(): MaintenanceStatus {
    return { last: this.last, nextAt: this.nextAt, running: this.pending > 0 };
  }

  /** Free pages and page size: what a VACUUM would give back. */
  freeBytes(): number {
    return this.pageCount("freelist_count") * this.pageSize();
  }

  /** Optimize now, and vacuum when asked or when the free share passes the threshold. Never throws. */
  maintain(request: { vacuum?: boolean } = {}): Promise<MaintenanceReport> {
    if (this.stopped) {
      const error = "Sage is quitting; the database was left as it was";
      return Promise.resolve({ at: this.now(), vacuumed: false, freedBytes: 0, durationMs: 0, error });
    }
    this.pending++;
    const run = this.queue.then(() => this.run(request));
    this.queue = run.finally(() => {
      this.pending--;
    });
    return run;
  }

  private async run(request: { vacuum?: boolean }): Promise<MaintenanceReport> {
    const { db, logger } = this.options;
    const started = performance.now();
    const before = this.fileBytes();
    const report: MaintenanceReport = { at: this.now(), vacuumed: false, freedBytes: 0, durationMs: 0 };
    const vacuum = request.vacuum === true || this.vacuumDue();
    // A transaction open on the server's connection would block the worker's VACUUM (a write) or keep
    // its checkpoint from shrinking the file: leave it for later.
    const outcome: MaintenanceOutcome = db.inTransaction
      ? { ok: false, vacuumed: false, message: "a transaction is open", code: "SQLITE_BUSY" }
      : await this.inWorker({
          databasePath: this.options.databasePath,
          vacuum,
          busyTimeoutMs: this.options.busyTimeoutMs ?? 2000,
        });
    report.vacuumed = outcome.vacuumed;
    if (!outcome.ok) {
      report.error = isBusy(outcome.code) ? BUSY_MESSAGE : outcome.message;
      logger.warn(`database maintenance failed: ${outcome.message}`);
    } else if (outcome.vacuumed && !outcome.checkpointed) {
      logger.info("database compacted; a reader kept the file from shrinking until the next checkpoint");
    }
    report.freedBytes = Math.max(0, before - this.fileBytes());
    report.durationMs = Math.round(performance.now() - started);
    if (report.vacuumed)
      logger.info(`database compacted in ${report.durationMs} ms, ${report.freedBytes} bytes freed`);
    this.last = report;
    return report;
  }

  private inWorker(job: MaintenanceJob): Promise<MaintenanceOutcome> {
    return new Promise<MaintenanceOutcome>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(this.options.workerUrl ?? maintenanceWorkerUrl(this.options.compiled));
      } catch (error) {
        resolve({ ok: false, vacuumed: false, message: `the maintenance worker did not start: ${error}` });
        return;
      }
      worker.onmessage = (event: MessageEvent<MaintenanceOutcome>) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        worker.terminate();
        resolve({ ok: false, vacuumed: false, message: `the maintenance worker failed: ${event.message}` });
      };
      worker.postMessage(job);
    });
  }

  private vacuumDue(): boolean {
    const free = this.freeBytes();
    const total = this.fileBytes();
    const share = this.options.vacuumFreeShare ?? 0.25;
    const minimum = this.options.vacuumMinFreeBytes ?? 16 * 1024 * 1024;
    return total > 0 && free >= minimum && free / total >= share;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = this.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // Never keeps the process alive on its own.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.options.isIdle()) {
      this.schedule(this.options.retryMs ?? 5 * 60 * 1000);
      return;
    }
    const report = await this.maintain();
    const busy = report.error === BUSY_MESSAGE;
    this.schedule(busy ? (this.options.retryMs ?? 5 * 60 * 1000) : (this.options.everyMs ?? 6 * HOUR));
  }

  private pageSize(): number {
    return (this.options.db.query("PRAGMA page_size").get() as { page_size: number }).page_size;
  }

  private pageCount(pragma: "page_count" | "freelist_count"): number {
    const row = this.options.db.query(`PRAGMA ${pragma}`).get() as Record<string, number>;
    return row[pragma] ?? 0;
  }

  /** The main file's logical size (pages × page size). */
  private fileBytes(): number {
    return this.pageCount("page_count") * this.pageSize();
  }
}

function isBusy(code: string | undefined): boolean {
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code?.startsWith("SQLITE_BUSY_") === true;
}
