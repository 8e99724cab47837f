/**
 * Opening and closing the SQLite file.
 *
 * Contract: WAL journal, busy_timeout 5 s, foreign keys on, synchronous NORMAL (a kill -9 loses nothing
 * that was committed; only a power cut may lose the last commits). `closeDatabase` checkpoints the WAL
 * (TRUNCATE) and leaves WAL mode, so a clean exit leaves no -wal/-shm file behind — even when some
 * `db.prepare()` statement was never finalized (SQLite then keeps the connection open past close(), and
 * would keep the -wal file with it). `openDatabase` switches back to WAL on the next start.
 *
 * Nothing is written to a file that is not sound: `openDatabase` first inspects it without writing (see
 * database-check.ts) and throws DatabaseDamagedError (naming the newest backup) or DatabaseTooNewError
 * with the file byte-for-byte as it was and no new -wal/-shm. The file is private: created 0600 (its
 * -wal/-shm take the same mode from it), and narrowed to 0600 when it was wider.
 */
import { Database } from "bun:sqlite";
import { chmodSync, closeSync, existsSync, openSync, statSync } from "node:fs";
import { DatabaseDamagedError } from "../core/errors.ts";
import { backupsDirFor, listBackups } from "./backups.ts";
import { recordCleanClose } from "./clean-close.ts";
import { inspectDatabaseFile } from "./database-check.ts";
import { MIGRATIONS } from "./migration-files.ts";
import { type Migration, type MigrationReport, migrate } from "./migrations.ts";

export interface OpenedDatabase {
  db: Database;
  migration: MigrationReport;
  /** The file was there but 0 bytes long: SQLite took it as a new, empty database. */
  wasEmpty: boolean;
  /** quick_check read the whole file before it was opened for writing. */
  fullCheck: boolean;
}

export function openDatabase(path: string, migrations: Migration[] = MIGRATIONS): OpenedDatabase {
  let found: ReturnType<typeof inspectDatabaseFile>;
  try {
    found = inspectDatabaseFile(path, migrations);
  } catch (error) {
    if (error instanceof Error && error.name === "DatabaseDamagedError") {
      const damaged = error as DatabaseDamagedError;
      const [backup] = listBackups(backupsDirFor(path));
      throw new DatabaseDamagedError(damaged.path, damaged.detail, backup);
    }
    throw error;
  }
  if (found.kind === "missing") closeSync(openSync(path, "wx", 0o600));
  makePrivate(path);
  const db = new Database(path, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA busy_timeout = 5000");
  db.run("PRAGMA foreign_keys = ON");
  db.run("PRAGMA synchronous = NORMAL");
  try {
    return {
      db,
      migration: migrate(db, migrations, path),
      wasEmpty: found.kind === "empty",
      fullCheck: found.kind === "existing" && found.fullCheck,
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The database and its -wal/-shm (when a crash left them) readable by their owner only. */
function makePrivate(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    if ((statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
  }
}

export function journalMode(db: Database): string {
  return (db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
}

export function closeDatabase(db: Database): void {
  let walLeft = true;
  try {
    db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    try {
      db.run("PRAGMA journal_mode = DELETE");
      walLeft = false;
    } catch {
      // Another connection still uses the file (a crashed worker's): it keeps WAL; the -wal is empty.
    }
  } finally {
    db.close();
  }
  if (!walLeft && db.filename && existsSync(db.filename)) recordCleanClose(db.filename);
}
