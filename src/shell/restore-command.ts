/**
 * `sage --restore-backup [FILE]` before the app starts: takes the instance lock (a running Sage must
 * be quit first), restores (see store/restore-backup.ts), says what it did, and lets the start go on.
 */
import { errorMessage } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { restoreBackup } from "../store/restore-backup.ts";
import { acquireInstanceLock } from "./single-instance.ts";

/** Undefined when the start may go on; an exit code when it must not. */
export async function runRestoreBackup(
  paths: Paths,
  choice: string | true,
  logger: Logger,
): Promise<number | undefined> {
  const lock = await acquireInstanceLock(paths.lockFile, "serve");
  if (!lock.acquired) {
    console.error(
      `Sage is running on ${paths.home} (pid ${lock.running.pid}). Quit it, then run --restore-backup again.`,
    );
    return 1;
  }
  try {
    const result = restoreBackup(paths.database, choice === true ? undefined : choice);
    for (const skip of result.skipped)
      console.warn(`Skipped the backup ${skip.path}: it failed its check (${skip.reason}).`);
    const when = result.restored.createdAt
      ? ` (made ${new Date(result.restored.createdAt).toLocaleString()})`
      : "";
    console.log(`Restored the backup ${result.restored.path}${when} as ${paths.database}.`);
    if (result.movedAside) console.log(`The database it replaced is kept as ${result.movedAside}.`);
    logger.warn(`restored backup ${result.restored.path}; replaced database moved to ${result.movedAside}`);
    return undefined;
  } catch (error) {
    logger.error("restoring a backup failed", error);
    console.error(`Sage could not restore a backup: ${errorMessage(error)}`);
    return 1;
  } finally {
    lock.lock.release();
  }
}
