/**
 * Opening and closing the SQLite file.
 *
 * Contract: WAL journal, busy_timeout 5 s, foreign keys on, synchronous NORMAL (a kill -9 loses nothing
 * that was committed; only a power cut may lose the last commits). `closeDatabase` checkpoints the WAL
 * (TRUNCATE) and leaves WAL mode, so a clean exit leaves no -wal/-shm file behind — even when some
 * `db.prepare()` statement was never finalized (SQLite then keeps the connection open past close(), and
 * would keep the -wal file with it). `openDatabase` switches back to WAL on the next start.
 */
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { MIGRATIONS } from "./migration-files.ts";
import { assertNotTooNew, type Migration, type MigrationReport, migrate } from "./migrations.ts";

export interface OpenedDatabase {
  db: Database;
  migration: MigrationReport;
}

export function openDatabase(path: string, migrations: Migration[] = MIGRATIONS): OpenedDatabase {
  // A database from a newer Sage must not be altered at all, not even by switching it to WAL.
  if (existsSync(path)) {
    const probe = new Database(path, { readonly: true });
    try {
      assertNotTooNew(probe, migrations, path);
    } finally {
      probe.close();
    }
  }
  const db = new Database(path, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA busy_timeout = 5000");
  db.run("PRAGMA foreign_keys = ON");
  db.run("PRAGMA synchronous = NORMAL");
  try {
    return { db, migration: migrate(db, migrations, path) };
  } catch (error) {
    db.close();
    throw error;
  }
}

export function journalMode(db: Database): string {
  return (db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
}

export function closeDatabase(db: Database): void {
  try {
    db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    try {
      db.run("PRAGMA journal_mode = DELETE");
    } catch {
      // Another connection still uses the file (a crashed worker's): it keeps WAL; the -wal is empty.
    }
  } finally {
    db.close();
  }
}
