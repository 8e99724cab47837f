/**
 * Opening a database file that is damaged, empty, new or wider than private — against real SQLite
 * files made by Sage's own openDatabase. A damaged file is refused before anything writes to it: same
 * bytes, no -wal/-shm, the folder as it was.
 */
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseDamagedError } from "../../src/core/errors.ts";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import { writeBackup } from "../../src/store/backups.ts";
import { cleanClosePath } from "../../src/store/clean-close.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { folderSnapshot, modeOf, sha256, writeGarbagePages } from "../support/damage.ts";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-db-check-"));
  path = join(dir, "sage.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A real Sage database with some sessions and events, closed cleanly. */
function makeSageDatabase(sessions = 40): void {
  const { db } = openDatabase(path);
  ensureLocalUser(db);
  const insertSession = db.prepare(
    "INSERT INTO sessions (id, user_id, agent_id, title, created_at, updated_at) VALUES (?, ?, 'agent', ?, 0, 0)",
  );
  const insertEvent = db.prepare("INSERT INTO events (session_id, seq, type, data) VALUES (?, ?, 'x', ?)");
  db.transaction(() => {
    for (let s = 0; s < sessions; s++) {
      insertSession.run(`s${s}`, LOCAL_USER_ID, `Session ${s}`);
      for (let e = 1; e <= 20; e++)
        insertEvent.run(`s${s}`, e, JSON.stringify({ text: "lorem ".repeat(30) }));
    }
  })();
  closeDatabase(db);
}

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("a damaged database", () => {
  test("garbage pages: refused with the file named and both ways on, byte-identical, no side files", () => {
    makeSageDatabase();
    writeGarbagePages(path, [3, 4, 5, 6]);
    const before = sha256(path);
    const folder = folderSnapshot(dir);

    const error = caught(() => openDatabase(path)) as DatabaseDamagedError;
    expect(error.name).toBe("DatabaseDamagedError");
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain("Sage did not change it");
    expect(error.message).toContain(`mv "${path}" "${path}.damaged"`);
    expect(error.message).toContain("there is no backup yet");
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
    expect(folderSnapshot(dir)).toEqual(folder);
  });

  test("the message offers the newest backup when there is one", () => {
    makeSageDatabase();
    const backup = writeBackup(path, Date.UTC(2026, 0, 2, 3, 4, 5));
    writeGarbagePages(path, [3, 4, 5, 6]);
    const error = caught(() => openDatabase(path)) as DatabaseDamagedError;
    expect(error.backup?.path).toBe(backup.path);
    expect(error.message).toContain("sage --restore-backup");
    expect(error.message).toContain(backup.path);
  });

  test("a file that is not a database at all is refused the same way", () => {
    writeFileSync(path, "this is a text file, not SQLite ".repeat(200));
    const before = sha256(path);
    const error = caught(() => openDatabase(path));
    expect(error.name).toBe("DatabaseDamagedError");
    expect(error.message).toContain("does not start with the SQLite header");
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  test("garbage in page 1 (the header page) is refused untouched", () => {
    makeSageDatabase();
    writeGarbagePages(path, [1]);
    const before = sha256(path);
    expect(caught(() => openDatabase(path)).name).toBe("DatabaseDamagedError");
    expect(sha256(path)).toBe(before);
  });

  test("damage made after a clean close is found: the clean-close record no longer matches", () => {
    makeSageDatabase();
    expect(existsSync(cleanClosePath(path))).toBe(true);
    writeGarbagePages(path, [10]);
    expect(caught(() => openDatabase(path)).name).toBe("DatabaseDamagedError");
  });
});

describe("the start-up check", () => {
  test("reads the whole file unless it is exactly as the last clean close left it", () => {
    makeSageDatabase(2);
    const unchanged = openDatabase(path);
    expect(unchanged.fullCheck).toBe(false);
    closeDatabase(unchanged.db);
    // Another program touched it (same bytes, new time): checked again.
    const now = new Date(Date.now() + 5000);
    utimesSync(path, now, now);
    const touched = openDatabase(path);
    expect(touched.fullCheck).toBe(true);
    closeDatabase(touched.db);
  });
});

describe("an empty database file", () => {
  test("0 bytes: opened as a new database, and the caller is told", () => {
    writeFileSync(path, "");
    const { db, wasEmpty } = openDatabase(path);
    expect(wasEmpty).toBe(true);
    closeDatabase(db);
    const { db: again, wasEmpty: second } = openDatabase(path);
    expect(second).toBe(false);
    closeDatabase(again);
  });
});

describe("file modes", () => {
  test("a new database and its -wal/-shm are 0600 even in a folder that allows more", () => {
    chmodSync(dir, 0o755);
    const { db } = openDatabase(path);
    ensureLocalUser(db);
    expect(modeOf(path)).toBe("600");
    expect(modeOf(`${path}-wal`)).toBe("600");
    expect(modeOf(`${path}-shm`)).toBe("600");
    closeDatabase(db);
  });

  test("an existing 0644 database is narrowed to 0600", () => {
    const seed = new Database(path, { create: true });
    seed.run("CREATE TABLE x (y)");
    seed.close();
    chmodSync(path, 0o644);
    const { db } = openDatabase(path);
    ensureLocalUser(db);
    expect(modeOf(path)).toBe("600");
    expect(modeOf(`${path}-wal`)).toBe("600");
    closeDatabase(db);
  });
});
