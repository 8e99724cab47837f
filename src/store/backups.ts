/**
 * Automatic copies of the database in `<data>/backups/`: naming, listing, when one is due, which ones
 * to keep, and making one.
 *
 * Contract:
 * - A backup is a complete SQLite file made by `VACUUM INTO` from a connection of its own (a consistent
 *   snapshot, online: the app keeps writing meanwhile), after `PRAGMA quick_check` says the database is
 *   sound — a damaged database never replaces a good backup. It is written under a hidden partial
 *   name, made 0600, then renamed: a listed backup is always complete.
 * - Names are `sage-YYYYMMDD-HHMMSS.db` (UTC); the name is the creation time.
 * - One is due when none was made on the current (local) calendar day. Kept: the newest of each of the
 *   last BACKUP_DAYS_KEPT days that have one; older ones are deleted after a new backup is in place.
 * - `writeBackup` is synchronous and reads the whole database: run it off the server's thread (see
 *   backup-worker.ts, backup-service.ts).
 */
import { Database } from "bun:sqlite";
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseDamagedError } from "../core/errors.ts";
import { damageOf, firstProblem } from "./database-check.ts";

export interface BackupInfo {
  name: string;
  path: string;
  /** From the name (UTC), ms since the epoch. */
  createdAt: number;
  size: number;
}

/** How many calendar days keep a backup (the newest of each). */
export const BACKUP_DAYS_KEPT = 3;

const NAME = /^sage-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.db$/;

/** `<data>/backups`, beside the database. */
export function backupsDirFor(databasePath: string): string {
  return join(dirname(databasePath), "backups");
}

export function backupName(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `sage-${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-` +
    `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}.db`
  );
}

/** The creation time a backup's name says, or undefined for any other file name. */
export function parseBackupName(name: string): number | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

/** Complete backups in `dir`, newest first (an absent folder has none). */
export function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: BackupInfo[] = [];
  for (const name of names) {
    const createdAt = parseBackupName(name);
    if (createdAt === undefined) continue;
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (stat.isFile() && stat.size > 0) found.push({ name, path, createdAt, size: stat.size });
    } catch {
      // Removed meanwhile.
    }
  }
  return found.sort((a, b) => b.createdAt - a.createdAt);
}

const localDay = (at: number) => new Date(at).toDateString();

/** True when no backup was made on `now`'s local calendar day. */
export function isBackupDue(backups: BackupInfo[], now: number): boolean {
  return !backups.some((backup) => localDay(backup.createdAt) === localDay(now));
}

/** Backups beyond the newest of each of the last `daysKept` days that have one (pure). */
export function backupsToDelete(backups: BackupInfo[], daysKept = BACKUP_DAYS_KEPT): BackupInfo[] {
  const keptDays = new Set<string>();
  const drop: BackupInfo[] = [];
  for (const backup of [...backups].sort((a, b) => b.createdAt - a.createdAt)) {
    const day = localDay(backup.createdAt);
    if (!keptDays.has(day) && keptDays.size < daysKept) keptDays.add(day);
    else drop.push(backup);
  }
  return drop;
}

/** Make a backup of the database at `databasePath` now, then delete the ones no longer kept. */
export function writeBackup(databasePath: string, now = Date.now()): BackupInfo {
  const dir = backupsDirFor(databasePath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = backupName(now);
  const path = join(dir, name);
  const partial = join(dir, `.${name}.partial`);
  rmSync(partial, { force: true });
  // Read-only: a backup never writes to the database it copies (WAL lets it read beside the app).
  const source = new Database(databasePath, { readonly: true });
  try {
    source.run("PRAGMA busy_timeout = 5000");
    const problem = firstProblem(source);
    if (problem) throw new DatabaseDamagedError(databasePath, problem, undefined);
    source.run(`VACUUM INTO '${partial.replaceAll("'", "''")}'`);
  } catch (error) {
    rmSync(partial, { force: true });
    const damage = damageOf(error);
    throw damage ? new DatabaseDamagedError(databasePath, damage, undefined) : error;
  } finally {
    source.close();
  }
  chmodSync(partial, 0o600);
  renameSync(partial, path);
  for (const old of backupsToDelete(listBackups(dir))) rmSync(old.path, { force: true });
  return { name, path, createdAt: now, size: statSync(path).size };
}
