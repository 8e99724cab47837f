/**
 * The single owners of tables approvals (src/store/approval-store.ts), file_snapshots
 * (src/sessions/file-snapshots.ts) and turns (src/sessions/turn-store.ts), on a real migrated database.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import { FileSnapshotStore, SNAPSHOT_LIMIT } from "../../src/sessions/file-snapshots.ts";
import { TurnStore } from "../../src/sessions/turn-store.ts";
import { ApprovalStore } from "../../src/store/approval-store.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";

let dir: string;
let db: Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-stores-"));
  db = openDatabase(join(dir, "sage.db")).db;
  ensureLocalUser(db);
  db.query("INSERT INTO users (id, name, created_at) VALUES ('other', 'Other', 0)").run();
  db.query(
    "INSERT INTO sessions (id, user_id, agent_id, created_at, updated_at) VALUES ('s1', ?, 'agt_a', 0, 0)",
  ).run(LOCAL_USER_ID);
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe("ApprovalStore", () => {
  test("patterns are per agent and tool; list is newest first; another user's rows are invisible", async () => {
    const mine = new ApprovalStore(db, LOCAL_USER_ID);
    const theirs = new ApprovalStore(db, "other");
    const first = mine.add("agt_a", "shell", "git status");
    await Bun.sleep(2);
    mine.add("agt_a", "shell", "ls");
    mine.add("agt_b", "shell", "rm");
    mine.add("agt_a", "write_file", "/w/*");
    theirs.add("agt_a", "shell", "curl");
    expect(mine.patterns("agt_a", "shell").sort()).toEqual(["git status", "ls"]);
    expect(mine.patterns("agt_b", "shell")).toEqual(["rm"]);
    expect(mine.patterns("agt_c", "shell")).toEqual([]);
    const listed = mine.list();
    expect(listed).toHaveLength(4);
    expect(listed.at(-1)?.id).toBe(first);
    expect(listed.every((approval) => approval.id.startsWith("apv"))).toBe(true);
    expect(theirs.patterns("agt_a", "shell")).toEqual(["curl"]);
  });

  test("remove only the user's own row; removeForAgent leaves other agents and users alone", () => {
    const mine = new ApprovalStore(db, LOCAL_USER_ID);
    const theirs = new ApprovalStore(db, "other");
    const id = mine.add("agt_a", "shell", "ls");
    const foreign = theirs.add("agt_a", "shell", "ls");
    expect(mine.remove(foreign)).toBe(false);
    expect(mine.remove("apv_nope")).toBe(false);
    expect(mine.remove(id)).toBe(true);
    expect(mine.remove(id)).toBe(false);
    mine.add("agt_a", "shell", "pwd");
    mine.add("agt_b", "shell", "pwd");
    mine.removeForAgent("agt_a");
    expect(mine.list().map((approval) => approval.agentId)).toEqual(["agt_b"]);
    expect(theirs.list()).toHaveLength(1);
  });
});

describe("FileSnapshotStore", () => {
  test("a file's bytes, a missing file as created, a folder not at all; the first save of a path wins", () => {
    const store = new FileSnapshotStore(db);
    const file = join(dir, "a.txt");
    const folder = join(dir, "folder");
    writeFileSync(file, "old");
    mkdirSync(folder);
    store.save("t1", "s1", file);
    store.save("t1", "s1", join(dir, "new.txt"));
    store.save("t1", "s1", folder);
    writeFileSync(file, "changed");
    store.save("t1", "s1", file);
    const saved = store.forTurn("t1");
    expect(saved.map((snapshot) => snapshot.path)).toEqual([file, join(dir, "new.txt")]);
    expect(Buffer.from(saved[0]?.content as Uint8Array).toString()).toBe("old");
    expect(saved[1]).toMatchObject({ existed: 0, content: null });
  });

  test("a file over the limit is recorded as existing, without content", () => {
    const store = new FileSnapshotStore(db);
    const big = join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(SNAPSHOT_LIMIT + 1));
    store.save("t1", "s1", big);
    expect(store.forTurn("t1")[0]).toMatchObject({ path: big, existed: 1, content: null });
  });

  test("firstNewer finds the earliest other turn's snapshot at or after a time", async () => {
    const store = new FileSnapshotStore(db);
    const file = join(dir, "a.txt");
    writeFileSync(file, "one");
    store.save("t1", "s1", file);
    const since = store.forTurn("t1")[0]?.created_at as number;
    await Bun.sleep(2);
    writeFileSync(file, "two");
    store.save("t2", "s1", file);
    await Bun.sleep(2);
    writeFileSync(file, "three");
    store.save("t3", "s1", file);
    const newer = store.firstNewer(file, "t1", since);
    expect(Buffer.from(newer?.content as Uint8Array).toString()).toBe("two");
    expect(store.firstNewer(file, "t3", Date.now() + 1000)).toBeNull();
  });

  test("filesOfSession lists each turn's files in turn order, with undone_at from turns", () => {
    const turns = new TurnStore(db, LOCAL_USER_ID);
    const store = new FileSnapshotStore(db);
    turns.insert(
      { id: "t1", sessionId: "s1", clientTurnId: "c1", status: "completed", userMessageId: null },
      1,
    );
    turns.insert(
      { id: "t2", sessionId: "s1", clientTurnId: "c2", status: "completed", userMessageId: null },
      2,
    );
    store.save("t2", "s1", join(dir, "b.txt"));
    store.save("t1", "s1", join(dir, "a.txt"));
    turns.markUndone("t1", 123);
    expect(store.filesOfSession("s1")).toEqual([
      { turn_id: "t1", undone_at: 123, path: join(dir, "a.txt"), existed: 0 },
      { turn_id: "t2", undone_at: null, path: join(dir, "b.txt"), existed: 0 },
    ]);
    expect(store.filesOfSession("s_other")).toEqual([]);
  });
});

describe("TurnStore", () => {
  test("a client turn id is found once; update keeps the user message unless given; unfinished turns", () => {
    const turns = new TurnStore(db, LOCAL_USER_ID);
    turns.insert({ id: "t1", sessionId: "s1", clientTurnId: "c1", status: "queued", userMessageId: null });
    expect(turns.byClientId("s1", "c1")).toEqual({
      id: "t1",
      sessionId: "s1",
      clientTurnId: "c1",
      status: "queued",
      userMessageId: null,
    });
    expect(turns.byClientId("s1", "c2")).toBeUndefined();
    expect(() =>
      turns.insert({ id: "t9", sessionId: "s1", clientTurnId: "c1", status: "queued", userMessageId: null }),
    ).toThrow();
    turns.update("t1", "running", { userMessageId: "m1" });
    turns.update("t1", "running");
    expect(turns.byClientId("s1", "c1")?.userMessageId).toBe("m1");
    expect(turns.unfinished().map((turn) => turn.id)).toEqual(["t1"]);
    turns.update("t1", "completed", { ended: true });
    expect(turns.unfinished()).toEqual([]);
    expect(turns.sessionOf("t1")).toBe("s1");
    expect(turns.sessionOf("t_nope")).toBeUndefined();
  });
});
