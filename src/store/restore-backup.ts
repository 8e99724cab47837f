/**
 * `sage --restore-backup [FILE]`: put a backup in place of the database.
 *
 * Contract: the caller holds the instance lock (no Sage runs on this data folder). The backup — FILE
 * (a path, or a name in the backups folder), else the newest one that passes its check — is verified
 * first (SQLite header, schema, full quick_check, not from a newer Sage). Only then is the current
 * database (with its -wal/-shm, if a crash left them) moved aside to `sage.db.before-restore-<time>`,
 * never deleted, and a copy of the backup (0600) renamed into place. A failure before that changes
 * nothing; RestoreError says why.
 */
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { errorMessage } from "../core/errors.ts";
import { type BackupInfo, backupName, backupsDirFor, listBackups, parseBackupName } from "./backups.ts";
import { forgetCleanClose } from "./clean-close.ts";
import { inspectDatabaseFile } from "./database-check.ts";
import { MIGRATIONS } from "./migration-files.ts";

export class RestoreError extends Error {
  override readonly name = "RestoreError";
}

export interface RestoreResult {
  /** The backup now in place. */
  restored: { path: string; createdAt: number | undefined };
  /** Where the replaced database went (undefined when there was none). */
  movedAside: string | undefined;
  /** Newer backups passed over because they failed their check. */
  skipped: { path: string; reason: string }[];
}

export function restoreBackup(databasePath: string, choice?: string, now = Date.now()): RestoreResult {
  const dir = backupsDirFor(databasePath);
  const skipped: RestoreResult["skipped"] = [];
  let chosen: string | undefined;
  if (choice !== undefined) {
    const path = locate(choice, dir);
    const problem = problemOf(path);
    if (problem) throw new RestoreError(`The backup ${path} cannot be restored: ${problem}`);
    chosen = path;
  } else {
    const backups: BackupInfo[] = listBackups(dir);
    if (backups.length === 0)
      throw new RestoreError(
        `There is no backup in ${dir} to restore. Sage makes one a day while it runs; none was made yet.`,
      );
    for (const backup of backups) {
      const problem = problemOf(backup.path);
      if (!problem) {
        chosen = backup.path;
        break;
      }
      skipped.push({ path: backup.path, reason: problem });
    }
    if (!chosen)
      throw new RestoreError(
        `No backup in ${dir} passed its check: ${skipped.map((s) => `${s.path}: ${s.reason}`).join("; ")}`,
      );
  }

  const movedAside = existsSync(databasePath) ? moveAside(databasePath, now) : undefined;
  const incoming = `${databasePath}.restoring`;
  rmSync(incoming, { force: true });
  copyFileSync(chosen, incoming);
  chmodSync(incoming, 0o600);
  renameSync(incoming, databasePath);
  forgetCleanClose(databasePath);
  const name = chosen.slice(chosen.lastIndexOf("/") + 1);
  return { restored: { path: chosen, createdAt: parseBackupName(name) }, movedAside, skipped };
}

function locate(choice: string, dir: string): string {
  const candidates = isAbsolute(choice) ? [choice] : [resolve(choice), join(dir, choice)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new RestoreError(`No backup file ${choice} (looked in ${candidates.join(" and ")}).`);
  return found;
}

function problemOf(path: string): string | undefined {
  try {
    const state = inspectDatabaseFile(path, MIGRATIONS, { fullCheck: "always" });
    return state.kind === "existing" ? undefined : "the file is empty";
  } catch (error) {
    const detail = (error as { detail?: unknown }).detail;
    return typeof detail === "string" ? detail : errorMessage(error);
  }
}

/** Rename the database and its -wal/-shm/-events (event journal) together, so the set stays openable as it was. */
function moveAside(databasePath: string, now: number): string {
  const stamp = backupName(now).slice("sage-".length, -".db".length);
  const aside = `${databasePath}.before-restore-${stamp}`;
  renameSync(databasePath, aside);
  for (const suffix of ["-wal", "-shm", "-events"]) {
    if (existsSync(`${databasePath}${suffix}`)) renameSync(`${databasePath}${suffix}`, `${aside}${suffix}`);
  }
  return aside;
}
