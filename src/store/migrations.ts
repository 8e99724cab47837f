/**
 * Applies schema migrations, tracked by PRAGMA user_version.
 *
 * Contract: each migration runs in its own transaction together with the user_version bump, so a
 * failing migration leaves the database exactly as it was before that migration (and earlier ones that
 * succeeded stay applied). A database whose user_version is above the newest known migration came from a
 * newer Sage and is refused before anything is written.
 */
import type { Database } from "bun:sqlite";
import { DatabaseTooNewError, MigrationError } from "../core/errors.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

export function schemaVersion(db: Database): number {
  const row = db.query("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

export function latestVersion(migrations: Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Throws DatabaseTooNewError when the database is newer than this build understands. */
export function assertNotTooNew(db: Database, migrations: Migration[], path: string): void {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) throw new DatabaseTooNewError(current, latest, path);
}

export function migrate(db: Database, migrations: Migration[], path: string): MigrationReport {
  assertNotTooNew(db, migrations, path);
  const from = schemaVersion(db);
  const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  const applied: string[] = [];
  for (const migration of pending) {
    try {
      db.transaction(() => {
        db.run(migration.sql);
        db.run(`PRAGMA user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw new MigrationError(migration.name, error);
    }
    applied.push(migration.name);
  }
  return { from, to: schemaVersion(db), applied };
}
