/**
 * The migration runner against real SQLite files: fresh database, upgrade path, a failing migration
 * rolled back completely, and a database from a newer Sage refused untouched.
 */
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, journalMode, openDatabase } from "../../src/store/database.ts";
import { MIGRATIONS } from "../../src/store/migration-files.ts";
import { latestVersion, type Migration, migrate, schemaVersion } from "../../src/store/migrations.ts";

const SYNTHETIC: Migration[] = [
  { version: 1, name: "0001_notes", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);" },
  {
    version: 2,
    name: "0002_tags",
    sql: "CREATE TABLE tags (name TEXT PRIMARY KEY); INSERT INTO tags (name) VALUES ('inbox');",
  },
  { version: 3, name: "0003_note_tag", sql: "ALTER TABLE notes ADD COLUMN tag TEXT REFERENCES tags(name);" },
];

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-migrations-"));
  dbPath = join(dir, "sage.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tables(db: Database): string[] {
  const rows = db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[];
  return rows.map((row) => row.name);
}

function caught(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the action to throw");
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

describe("migrate", () => {
  test("a fresh database gets every migration, in order, and user_version = the newest", () => {
    const shuffled = [SYNTHETIC[2], SYNTHETIC[0], SYNTHETIC[1]] as Migration[];
    const db = new Database(dbPath, { create: true });
    const report = migrate(db, shuffled, dbPath);
    expect(report).toEqual({ from: 0, to: 3, applied: ["0001_notes", "0002_tags", "0003_note_tag"] });
    expect(schemaVersion(db)).toBe(3);
    expect(tables(db)).toEqual(["notes", "tags"]);
    db.run("INSERT INTO notes (body, tag) VALUES ('x', 'inbox')");
    db.close();
  });

  test("upgrading from version 1 applies only the newer migrations and keeps the data", () => {
    const db = new Database(dbPath, { create: true });
    migrate(db, SYNTHETIC.slice(0, 1), dbPath);
    db.run("INSERT INTO notes (body) VALUES ('kept')");
    expect(schemaVersion(db)).toBe(1);

    const report = migrate(db, SYNTHETIC, dbPath);
    expect(report).toEqual({ from: 1, to: 3, applied: ["0002_tags", "0003_note_tag"] });
    expect(db.query("SELECT body, tag FROM notes").all()).toEqual([{ body: "kept", tag: null }]);
    db.close();
  });

  test("an up-to-date database is left alone", () => {
    const db = new Database(dbPath, { create: true });
    migrate(db, SYNTHETIC, dbPath);
    expect(migrate(db, SYNTHETIC, dbPath)).toEqual({ from: 3, to: 3, applied: [] });
    db.close();
  });

  test("a failing migration is rolled back completely and reported as MigrationError", () => {
    const broken: Migration[] = [
      SYNTHETIC[0] as Migration,
      {
        version: 2,
        name: "0002_broken",
        // The first statement succeeds, the second is bad SQL: the first must be undone too.
        sql: "CREATE TABLE half_done (id INTEGER); INSERT INTO half_done VALUES (1); CREAT TABLE oops (x);",
      },
      SYNTHETIC[2] as Migration,
    ];
    const db = new Database(dbPath, { create: true });
    const error = caught(() => migrate(db, broken, dbPath));
    expect(error.name).toBe("MigrationError");
    expect(error.message).toContain("0002_broken");
    expect(error.message).toContain("rolled back");
    expect((error as Error & { migration: string }).migration).toBe("0002_broken");
    // Migration 1 stays applied; nothing of migration 2 (or 3) is left.
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(["notes"]);
    db.close();

    // The file on disk agrees (not just this connection's view).
    const reopened = new Database(dbPath, { readonly: true });
    expect(schemaVersion(reopened)).toBe(1);
    expect(tables(reopened)).toEqual(["notes"]);
    reopened.close();
  });

  test("a database from a newer Sage is refused with DatabaseTooNewError", () => {
    const db = new Database(dbPath, { create: true });
    db.run("PRAGMA user_version = 7");
    const error = caught(() => migrate(db, SYNTHETIC, dbPath));
    expect(error.name).toBe("DatabaseTooNewError");
    expect(error.message).toContain("newer version of Sage");
    expect(error.message).toContain(dbPath);
    expect(schemaVersion(db)).toBe(7);
    expect(tables(db)).toEqual([]);
    db.close();
  });
});

describe("openDatabase", () => {
  test("opens in WAL with foreign keys on and applies the real migrations", () => {
    const { db, migration } = openDatabase(dbPath);
    expect(journalMode(db)).toBe("wal");
    expect((db.query("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys).toBe(1);
    expect((db.query("PRAGMA busy_timeout").get() as { timeout: number }).timeout).toBe(5000);
    expect(migration.from).toBe(0);
    expect(migration.to).toBe(latestVersion(MIGRATIONS));
    expect(tables(db)).toContain("events");
    closeDatabase(db);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  test("a failing migration closes the handle and leaves the previous schema", () => {
    const first = openDatabase(dbPath, SYNTHETIC.slice(0, 1));
    closeDatabase(first.db);
    const broken = [...SYNTHETIC.slice(0, 1), { version: 2, name: "0002_bad", sql: "NOT SQL AT ALL" }];
    expect(caught(() => openDatabase(dbPath, broken)).name).toBe("MigrationError");
    const check = new Database(dbPath, { readonly: true });
    expect(schemaVersion(check)).toBe(1);
    check.close();
  });

  test("a newer database is refused before anything is written: same bytes, no -wal", () => {
    const seed = new Database(dbPath, { create: true });
    seed.run("CREATE TABLE future (x INTEGER)");
    seed.run("INSERT INTO future VALUES (42)");
    seed.run(`PRAGMA user_version = ${latestVersion(MIGRATIONS) + 5}`);
    seed.close();
    const before = sha256(dbPath);
    const filesBefore = readdirSync(dir).sort();

    const error = caught(() => openDatabase(dbPath));
    expect(error.name).toBe("DatabaseTooNewError");
    expect((error as Error & { databaseVersion: number }).databaseVersion).toBe(
      latestVersion(MIGRATIONS) + 5,
    );
    expect(sha256(dbPath)).toBe(before);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(existsSync(`${dbPath}-shm`)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
  });
});

describe("the embedded migration list", () => {
  const migrationsDir = join(import.meta.dir, "..", "..", "db", "migrations");
  const files = readdirSync(migrationsDir)
    .filter((file) => file.endsWith(".sql"))
    .sort();

  test("every file in db/migrations is listed in src/store/migration-files.ts, with its text", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(MIGRATIONS.map((m) => `${m.name}.sql`).sort()).toEqual(files);
    for (const migration of MIGRATIONS) {
      expect(migration.sql).toBe(readFileSync(join(migrationsDir, `${migration.name}.sql`), "utf8"));
    }
  });

  test("versions match the file numbers and run 1, 2, 3 ... without gaps", () => {
    const versions = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const migration of MIGRATIONS) {
      expect(Number(migration.name.slice(0, 4))).toBe(migration.version);
    }
  });
});
