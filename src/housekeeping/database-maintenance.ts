/**
 * Database upkeep while Sage is idle: `PRAGMA optimize` (fresh query-planner statistics) on a schedule,
 * and `VACUUM` when enough of the file is free pages (deleted chats leave them), then a WAL checkpoint
 * so the space really returns to the disk.
 *
 * Contract:
 * - The first look is `firstDelayMs` after start-up, then every `everyMs`. A look while `isIdle()` is
 *   false (a turn runs) is skipped and retried after `retryMs`; maintenance never runs under a turn.
 * - Scheduled runs vacuum only when free pages are at least `vacuumFreeShare` of the file and at least
 *   `vacuumMinFreeBytes`; `maintain({ vacuum: true })` (Settings → Storage → Compact) always does.
 * - VACUUM blocks the database for its duration (it rewrites the file: roughly a second per few
 *   hundred MB here), which is why it waits for idle. A failure (another reader holds the file, the
 *   disk is full) is logged and returned as `error`; the database is unchanged then.
 * - `stop()` cancels the timer; a run in progress is synchronous and has finished by then.
 */
import type { Database } from "bun:sqlite";
import { errorMessage } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";

export interface MaintenanceReport {
  /** ms since the epoch. */
  at: number;
  vacuumed: boolean;
  /** Bytes the database file shrank by. */
  freedBytes: number;
  durationMs: number;
  error?: string;
}

export interface DatabaseMaintenanceOptions {
  db: Database;
  logger: Logger;
  /** True when no turn runs (the session manager knows). */
  isIdle(): boolean;
  firstDelayMs?: number;
  everyMs?: number;
  retryMs?: number;
  vacuumFreeShare?: number;
  vacuumMinFreeBytes?: number;
  now?: () => number;
}

const HOUR = 60 * 60 * 1000;

export class DatabaseMaintenance {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: MaintenanceReport | null = null;
  private nextAt: number | null = null;
  private readonly now: () => number;

  constructor(private readonly options: DatabaseMaintenanceOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.schedule(this.options.firstDelayMs ?? 10 * 60 * 1000);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextAt = null;
  }

  status(): { last: MaintenanceReport | null; nextAt: number | null } {
    return { last: this.last, nextAt: this.nextAt };
  }

  /** Free pages and page size: what a VACUUM would give back. */
  freeBytes(): number {
    return this.pageCount("freelist_count") * this.pageSize();
  }

  /** Optimize now, and vacuum when asked or when the free share passes the threshold. */
  maintain(request: { vacuum?: boolean } = {}): MaintenanceReport {
    const { db, logger } = this.options;
    const started = performance.now();
    const before = this.fileBytes();
    const report: MaintenanceReport = { at: this.now(), vacuumed: false, freedBytes: 0, durationMs: 0 };
    try {
      db.run("PRAGMA optimize");
      if (request.vacuum || this.vacuumDue()) {
        db.run("VACUUM");
        db.run("PRAGMA wal_checkpoint(TRUNCATE)");
        report.vacuumed = true;
      }
    } catch (error) {
      report.error = errorMessage(error);
      logger.warn(`database maintenance failed: ${report.error}`);
    }
    report.freedBytes = Math.max(0, before - this.fileBytes());
    report.durationMs = Math.round(performance.now() - started);
    if (report.vacuumed)
      logger.info(`database compacted in ${report.durationMs} ms, ${report.freedBytes} bytes freed`);
    this.last = report;
    return report;
  }

  private vacuumDue(): boolean {
    const free = this.freeBytes();
    const total = this.fileBytes();
    const share = this.options.vacuumFreeShare ?? 0.25;
    const minimum = this.options.vacuumMinFreeBytes ?? 16 * 1024 * 1024;
    return total > 0 && free >= minimum && free / total >= share;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = this.now() + delayMs;
    this.timer = setTimeout(() => this.tick(), delayMs);
    // Never keeps the process alive on its own.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private tick(): void {
    if (!this.options.isIdle()) {
      this.schedule(this.options.retryMs ?? 5 * 60 * 1000);
      return;
    }
    this.maintain();
    this.schedule(this.options.everyMs ?? 6 * HOUR);
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
