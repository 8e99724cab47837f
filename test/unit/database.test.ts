import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser } from "../../src/core/user.ts";
import { closeDatabase, journalMode, openDatabase } from "../../src/store/database.ts";
import { EventLog } from "../../src/store/event-log.ts";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-database-"));
  path = join(dir, "sage.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const leftovers = () => ["-wal", "-shm"].filter((suffix) => existsSync(`${path}${suffix}`));

describe("closeDatabase", () => {
  test("a clean close leaves no -wal or -shm file and keeps every commit", () => {
    const { db } = openDatabase(path);
    ensureLocalUser(db);
    expect(leftovers()).toEqual(["-wal", "-shm"]);
    closeDatabase(db);
    expect(leftovers()).toEqual([]);
    const check = new Database(path, { readonly: true });
    expect(check.query("SELECT id FROM users").all()).toEqual([{ id: "local" }]);
    check.close();
  });

  test("statements prepared and never finalized do not keep the -wal file alive", () => {
    const { db } = openDatabase(path);
    ensureLocalUser(db);
    new EventLog(db); // prepares statements it never finalizes
    const leaked = db.prepare("SELECT * FROM users");
    leaked.all();
    closeDatabase(db);
    expect(leftovers()).toEqual([]);
  });

  test("the next open is in WAL mode again", () => {
    closeDatabase(openDatabase(path).db);
    const { db } = openDatabase(path);
    expect(journalMode(db)).toBe("wal");
    closeDatabase(db);
  });

  test("with another connection still open, close succeeds and the -wal is left empty", () => {
    const { db } = openDatabase(path);
    const other = new Database(path);
    other.query("SELECT 1").get();
    ensureLocalUser(db);
    closeDatabase(db);
    expect(Bun.file(`${path}-wal`).size).toBe(0);
    expect(other.query("SELECT count(*) AS n FROM users").get()).toEqual({ n: 1 });
    other.close();
  });
});
