/**
 * Database backups on real files: naming, the daily rule, which ones are kept, `writeBackup` (a sound
 * 0600 copy, never from a damaged database, older ones rotated out only after a new one is in place)
 * and `restoreBackup` (verified first, the replaced database moved aside, never deleted).
 */
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import {
  type BackupInfo,
  backupName,
  backupsDirFor,
  backupsToDelete,
  isBackupDue,
  listBackups,
  parseBackupName,
  writeBackup,
} from "../../src/store/backups.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { restoreBackup } from "../../src/store/restore-backup.ts";
import { modeOf, sha256, writeGarbagePages } from "../support/damage.ts";

let dir: string;
let path: string;
let backups: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-backups-"));
  path = join(dir, "sage.db");
  backups = backupsDirFor(path);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function makeDatabase(titles: string[]): void {
  const { db } = openDatabase(path);
  ensureLocalUser(db);
  const insert = db.prepare(
    "INSERT INTO sessions (id, user_id, agent_id, title, created_at, updated_at) VALUES (?, ?, 'agent', ?, 0, 0)",
  );
  titles.forEach((title, index) => {
    insert.run(`s${index}-${title}`, LOCAL_USER_ID, title);
  });
  for (let i = 0; i < 30; i++) insert.run(`filler${i}`, LOCAL_USER_ID, "x".repeat(2000));
  closeDatabase(db);
}

function titlesIn(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const rows = db.query("SELECT title FROM sessions WHERE id NOT LIKE 'filler%' ORDER BY id").all() as {
    title: string;
  }[];
  db.close();
  return rows.map((row) => row.title);
}

const at = (day: number, hour = 12) => new Date(2026, 2, day, hour, 0, 0).getTime();
const info = (createdAt: number): BackupInfo => ({
  name: backupName(createdAt),
  path: `/b/${backupName(createdAt)}`,
  createdAt,
  size: 1,
});

describe("naming and rules (pure)", () => {
  test("a name is the UTC creation time and reads back to it", () => {
    const when = Date.UTC(2026, 11, 31, 23, 59, 58);
    expect(backupName(when)).toBe("sage-20261231-235958.db");
    expect(parseBackupName(backupName(when))).toBe(when);
    expect(parseBackupName("sage.db")).toBeUndefined();
    expect(parseBackupName(".sage-20261231-235958.db.partial")).toBeUndefined();
  });

  test("due when none was made on the current local day", () => {
    expect(isBackupDue([], at(10))).toBe(true);
    expect(isBackupDue([info(at(10, 1))], at(10, 23))).toBe(false);
    expect(isBackupDue([info(at(9, 23))], at(10, 0))).toBe(true);
  });

  test("kept: the newest of each of the last three days that have one", () => {
    const list = [at(10, 9), at(10, 8), at(8, 20), at(8, 7), at(5), at(1), at(1, 2)].map(info);
    const dropped = backupsToDelete(list).map((b) => b.createdAt);
    expect(dropped.sort()).toEqual([at(10, 8), at(8, 7), at(1), at(1, 2)].sort());
    expect(backupsToDelete([info(at(3))])).toEqual([]);
  });
});

describe("writeBackup", () => {
  test("a sound, private copy a read-only open can use", () => {
    makeDatabase(["First", "Second"]);
    const made = writeBackup(path, at(4));
    expect(made.path).toBe(join(backups, backupName(at(4))));
    expect(modeOf(made.path)).toBe("600");
    expect(modeOf(backups)).toBe("700");
    expect(titlesIn(made.path)).toEqual(["First", "Second"]);
    expect(listBackups(backups).map((b) => b.name)).toEqual([made.name]);
    expect(readdirSync(backups).filter((name) => name.includes("partial"))).toEqual([]);
  });

  test("rotates: after five daily backups, the newest three days are left", () => {
    makeDatabase(["Only"]);
    for (const day of [1, 2, 3, 4, 5]) writeBackup(path, at(day));
    expect(listBackups(backups).map((b) => b.createdAt)).toEqual([at(5), at(4), at(3)]);
  });

  test("a damaged database is not backed up and the older backups stay", () => {
    makeDatabase(["Good"]);
    const good = writeBackup(path, at(1));
    writeGarbagePages(path, [3, 4, 5]);
    let error: Error | undefined;
    try {
      writeBackup(path, at(2));
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).toBe("DatabaseDamagedError");
    expect(listBackups(backups).map((b) => b.path)).toEqual([good.path]);
    expect(readdirSync(backups)).toEqual([good.name]);
  });
});

describe("restoreBackup", () => {
  test("restores the newest good backup and moves the damaged database aside, unchanged", () => {
    makeDatabase(["Kept"]);
    writeBackup(path, at(1));
    writeGarbagePages(path, [3, 4, 5]);
    const damaged = sha256(path);
    writeFileSync(`${path}-wal`, "left by a crash");

    const result = restoreBackup(path, undefined, at(2));
    expect(result.restored.path).toBe(join(backups, backupName(at(1))));
    expect(result.movedAside).toMatch(/sage\.db\.before-restore-\d{8}-\d{6}$/);
    expect(sha256(result.movedAside as string)).toBe(damaged);
    expect(existsSync(`${result.movedAside}-wal`)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(modeOf(path)).toBe("600");
    expect(titlesIn(path)).toEqual(["Kept"]);
    // The database opens and is used again.
    closeDatabase(openDatabase(path).db);
  });

  test("passes over a newer backup that fails its check", () => {
    makeDatabase(["Older"]);
    writeBackup(path, at(1));
    const newer = writeBackup(path, at(2));
    writeGarbagePages(newer.path, [3, 4]);
    const result = restoreBackup(path);
    expect(result.restored.path).toBe(join(backups, backupName(at(1))));
    expect(result.skipped.map((s) => s.path)).toEqual([newer.path]);
  });

  test("a named file: a name in the backups folder or a path", () => {
    makeDatabase(["Named"]);
    const made = writeBackup(path, at(1));
    expect(restoreBackup(path, made.name).restored.path).toBe(made.path);
    const elsewhere = join(dir, "copy.db");
    copyFileSync(made.path, elsewhere);
    expect(restoreBackup(path, elsewhere).restored.path).toBe(elsewhere);
  });

  test("nothing to restore, or a bad file: RestoreError, and the database is left where it was", () => {
    makeDatabase(["Stays"]);
    const before = sha256(path);
    const attempt = (choice?: string) => {
      try {
        restoreBackup(path, choice);
      } catch (error) {
        return error as Error;
      }
      throw new Error("expected a RestoreError");
    };
    expect(attempt().message).toContain("no backup");
    expect(attempt("missing.db").message).toContain("No backup file missing.db");
    mkdirSync(backups, { recursive: true });
    writeFileSync(join(backups, "junk.db"), "not sqlite");
    const junk = attempt("junk.db");
    expect(junk.name).toBe("RestoreError");
    expect(junk.message).toContain("SQLite header");
    expect(sha256(path)).toBe(before);
    expect(readdirSync(dir).filter((name) => name.includes("before-restore"))).toEqual([]);
  });
});
