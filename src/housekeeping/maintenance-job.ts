/**
 * What the database upkeep worker (maintenance-worker.ts) is asked and answers, and where its code is.
 * Shared by the worker and its owner (database-maintenance.ts) so neither imports the other.
 */

export interface MaintenanceJob {
  databasePath: string;
  /** VACUUM (then a TRUNCATE checkpoint) after `PRAGMA optimize`; otherwise optimize only. */
  vacuum: boolean;
  /** How long a statement waits for a lock held by another connection before SQLITE_BUSY. */
  busyTimeoutMs: number;
}

export type MaintenanceOutcome =
  | {
      ok: true;
      vacuumed: boolean;
      /** False when a reader kept the checkpoint from finishing: the file shrinks at a later checkpoint. */
      checkpointed: boolean;
    }
  | { ok: false; vacuumed: boolean; message: string; code?: string };

/**
 * Where the worker's code is: beside this file from source; in the compiled executable, embedded under
 * its path relative to the entrypoints' common folder (src/), from whichever bundle asks.
 */
export function maintenanceWorkerUrl(compiled: boolean): string {
  return compiled
    ? "/$bunfs/root/housekeeping/maintenance-worker.js"
    : new URL("./maintenance-worker.ts", import.meta.url).href;
}
