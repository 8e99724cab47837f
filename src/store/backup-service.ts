/**
 * Keeps the automatic backups (see backups.ts) going while Sage runs.
 *
 * Contract:
 * - The first look is `firstDelayMs` after start-up (never on the way to the first HTTP answer), then
 *   every `checkEveryMs`; a backup is made when none exists for the current day. `backUpNow()` makes
 *   one on demand. At most one backup runs at a time (callers share the running one).
 * - Each backup runs in a worker with its own read-only connection, so the server keeps answering and
 *   writing meanwhile; the backup is a consistent snapshot.
 * - A failure is logged and kept as `lastError`; a damaged database (quick_check failed) also drops the
 *   clean-close record, so the next start checks the whole file and refuses it with a clear message.
 * - `stop()` cancels the timers and waits for a running backup (its read connection must be closed
 *   before the database's final checkpoint can leave WAL mode).
 */
import { DiskFullError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { formatBytes } from "../shared/byte-size.ts";
import { type BackupInfo, backupsDirFor, isBackupDue, listBackups } from "./backups.ts";
import { forgetCleanClose } from "./clean-close.ts";

/** A backup could not be made; the message says why and what to do. */
export class BackupFailedError extends Error {
  override readonly name = "BackupFailedError";
}

export interface BackupJob {
  databasePath: string;
  now: number;
}

export type BackupOutcome =
  | { ok: true; backup: BackupInfo }
  | { ok: false; name: string; message: string; code?: string; detail?: string };

export interface BackupServiceOptions {
  databasePath: string;
  logger: Logger;
  /** Compiled executable or source (where the worker's code is). */
  compiled: boolean;
  firstDelayMs?: number;
  checkEveryMs?: number;
}

export interface BackupStatus {
  dir: string;
  backups: BackupInfo[];
  running: boolean;
  lastError: string | null;
}

export class BackupService {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<BackupInfo> | undefined;
  private lastError: string | null = null;
  private stopped = false;
  readonly dir: string;

  constructor(private readonly options: BackupServiceOptions) {
    this.dir = backupsDirFor(options.databasePath);
  }

  start(): void {
    this.schedule(this.options.firstDelayMs ?? 60_000);
  }

  status(): BackupStatus {
    return {
      dir: this.dir,
      backups: listBackups(this.dir),
      running: this.running !== undefined,
      lastError: this.lastError,
    };
  }

  /** Make a backup now (or join the one running). Throws DatabaseDamagedError, DiskFullError ... */
  backUpNow(): Promise<BackupInfo> {
    this.running ??= this.runWorker().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.check(), delayMs);
    this.timer.unref?.();
  }

  private async check(): Promise<void> {
    if (isBackupDue(listBackups(this.dir), Date.now())) {
      try {
        await this.backUpNow();
      } catch {
        // Logged and kept as lastError by runWorker.
      }
    }
    this.schedule(this.options.checkEveryMs ?? 60 * 60_000);
  }

  private async runWorker(): Promise<BackupInfo> {
    const { logger, databasePath } = this.options;
    const started = performance.now();
    const outcome = await new Promise<BackupOutcome>((resolve) => {
      const worker = new Worker(backupWorkerUrl(this.options.compiled));
      worker.onmessage = (event: MessageEvent<BackupOutcome>) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        worker.terminate();
        resolve({ ok: false, name: "Error", message: `The backup worker failed: ${event.message}` });
      };
      worker.postMessage({ databasePath, now: Date.now() } satisfies BackupJob);
    });
    if (outcome.ok) {
      this.lastError = null;
      logger.info(
        `backup ${outcome.backup.name} made in ${(performance.now() - started).toFixed(0)} ms ` +
          `(${formatBytes(outcome.backup.size)})`,
      );
      return outcome.backup;
    }
    const error = rebuild(outcome, databasePath);
    this.lastError = error.message;
    if (outcome.name === "DatabaseDamagedError") forgetCleanClose(databasePath);
    logger.error("backup failed", error);
    throw error;
  }
}

function rebuild(outcome: Extract<BackupOutcome, { ok: false }>, databasePath: string): Error {
  if (outcome.name === "DatabaseDamagedError")
    return new BackupFailedError(
      `The database ${databasePath} failed its check (${outcome.detail ?? outcome.message}), so no backup ` +
        "was made and the older ones are kept. Quit Sage: the next start checks the whole file and offers " +
        "to restore the last good backup.",
    );
  if (outcome.code === "SQLITE_FULL" || outcome.code === "ENOSPC" || outcome.code === "EDQUOT")
    return new DiskFullError(backupsDirFor(databasePath));
  return new BackupFailedError(`The backup failed: ${outcome.message}`);
}

/**
 * Where the worker's code is: beside this file from source; in the compiled executable, embedded
 * under its path relative to the entrypoints' common folder (src/), from whichever bundle asks.
 */
function backupWorkerUrl(compiled: boolean): string {
  return compiled
    ? "/$bunfs/root/store/backup-worker.js"
    : new URL("./backup-worker.ts", import.meta.url).href;
}
