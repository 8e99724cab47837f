import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import type { DraftEvent } from "../../src/shared/events.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { EventLog, type LoggedEvent } from "../../src/store/event-log.ts";

let dir: string;
let db: Database;
let log: EventLog;
/** Every log made by a test: flushed before the database closes (append schedules a flush). */
let logs: EventLog[];

function newLog(): EventLog {
  const created = new EventLog(db);
  logs.push(created);
  return created;
}

function createSession(id: string): void {
  db.query(
    "INSERT INTO sessions (id, user_id, agent_id, created_at, updated_at) VALUES (?, ?, 'agent', 0, 0)",
  ).run(id, LOCAL_USER_ID);
}

function queued(sessionId: string, text: string): DraftEvent {
  return { type: "turn.queued", sessionId, clientTurnId: `c-${text}`, text };
}

function storedSeqs(sessionId: string): number[] {
  const rows = db.query("SELECT seq FROM events WHERE session_id = ? ORDER BY seq").all(sessionId) as {
    seq: number;
  }[];
  return rows.map((row) => row.seq);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-events-"));
  db = openDatabase(join(dir, "sage.db")).db;
  ensureLocalUser(db);
  createSession("s1");
  createSession("s2");
  logs = [];
  log = newLog();
});
afterEach(() => {
  for (const each of logs) each.flush();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe("EventLog: seq", () => {
  test("per-session seq starts at 1 and has no gaps; sessions count independently", () => {
    const a = [1, 2, 3].map((i) => log.append(queued("s1", `a${i}`)).seq);
    const b = [1, 2].map((i) => log.append(queued("s2", `b${i}`)).seq);
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual([1, 2]);
    log.flush();
    expect(storedSeqs("s1")).toEqual([1, 2, 3]);
    expect(storedSeqs("s2")).toEqual([1, 2]);
  });

  test("a stamped event carries seq and the time it was appended", () => {
    const before = Date.now();
    const event = log.append(queued("s1", "x"));
    expect(event).toMatchObject({ type: "turn.queued", sessionId: "s1", seq: 1, text: "x" });
    expect(event.at).toBeGreaterThanOrEqual(before);
    expect(event.at).toBeLessThanOrEqual(Date.now());
  });

  test("ephemeral events carry the current seq, do not advance it and are not stored", () => {
    log.append(queued("s1", "one"));
    const removed = log.append({ type: "session.removed", sessionId: "s1" });
    const two = log.append(queued("s1", "two"));
    expect(removed.seq).toBe(1);
    expect(two.seq).toBe(2);
    log.flush();
    expect(storedSeqs("s1")).toEqual([1, 2]);
    expect(log.since("s1", 0).map((e) => e.type)).toEqual(["turn.queued", "turn.queued"]);
  });

  test("seq continues from the database after a restart (a new EventLog on the same file)", () => {
    for (let i = 0; i < 5; i++) log.append(queued("s1", `${i}`));
    log.flush();
    const restarted = newLog();
    expect(restarted.lastSeq("s1")).toBe(5);
    expect(restarted.append(queued("s1", "after restart")).seq).toBe(6);
    expect(restarted.lastSeq("s2")).toBe(0);
  });

  test("a gapless sequence survives a large burst", () => {
    const seqs: number[] = [];
    for (let i = 0; i < 5000; i++) seqs.push(log.append(queued("s1", `${i}`)).seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    log.flush();
    const stored = storedSeqs("s1");
    expect(stored).toHaveLength(5000);
    expect(stored.at(-1)).toBe(5000);
  });
});

describe("EventLog: write before deliver", () => {
  test("listeners get a batch only after its events are in SQLite", async () => {
    const seenInDb: number[][] = [];
    const delivered: LoggedEvent[][] = [];
    log.subscribe((batch) => {
      delivered.push(batch);
      seenInDb.push(storedSeqs("s1"));
    });
    log.append(queued("s1", "a"));
    log.append(queued("s1", "b"));
    // Not delivered synchronously: the write comes first, later in this turn.
    expect(delivered).toHaveLength(0);
    await nextTurn();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.map((entry) => entry.event.seq)).toEqual([1, 2]);
    expect(seenInDb[0]).toEqual([1, 2]);
  });

  test("events of one loop turn are written and delivered as one batch, in order", async () => {
    const batches: number[][] = [];
    log.subscribe((batch) => batches.push(batch.map((entry) => entry.event.seq)));
    for (let i = 0; i < 10; i++) log.append(queued("s1", `${i}`));
    await nextTurn();
    log.append(queued("s1", "later"));
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11]]);
  });

  test("a failing listener does not stop delivery to the others; unsubscribe stops delivery", async () => {
    const received: number[] = [];
    log.subscribe(() => {
      throw new Error("closed socket");
    });
    const unsubscribe = log.subscribe((batch) => received.push(...batch.map((entry) => entry.event.seq)));
    log.append(queued("s1", "a"));
    await nextTurn();
    unsubscribe();
    log.append(queued("s1", "b"));
    await nextTurn();
    expect(received).toEqual([1]);
    expect(storedSeqs("s1")).toEqual([1, 2]);
  });

  test("an event is serialised when appended: later changes to its objects do not leak in", async () => {
    const draft = queued("s1", "as appended");
    const delivered: LoggedEvent[] = [];
    log.subscribe((batch) => delivered.push(...batch));
    log.append(draft);
    (draft as { text: string }).text = "changed afterwards";
    await nextTurn();
    expect(JSON.parse(delivered[0]?.json ?? "{}")).toMatchObject({ text: "as appended", seq: 1 });
    expect(log.since("s1", 0)[0]).toMatchObject({ text: "as appended" });
    const row = db.query("SELECT data FROM events WHERE session_id = 's1'").get() as { data: string };
    expect(row.data).toBe(delivered[0]?.json as string);
  });

  test("flush() with nothing queued is a no-op", () => {
    let calls = 0;
    log.subscribe(() => calls++);
    log.flush();
    expect(calls).toBe(0);
  });
});

describe("EventLog: since", () => {
  test("returns stored events after a seq, in order, with the whole event", () => {
    for (let i = 1; i <= 6; i++) log.append(queued("s1", `t${i}`));
    log.append(queued("s2", "other"));
    log.flush();
    const after = log.since("s1", 3);
    expect(after.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(after[0]).toMatchObject({
      type: "turn.queued",
      sessionId: "s1",
      text: "t4",
      clientTurnId: "c-t4",
    });
    expect(log.since("s1", 6)).toEqual([]);
    expect(log.since("s1", 0, 2).map((e) => e.seq)).toEqual([1, 2]);
    expect(log.since("nobody", 0)).toEqual([]);
  });

  test("includes events still queued, so backlog + live has no gap and no duplicate", async () => {
    const live: number[] = [];
    log.append(queued("s1", "1"));
    log.append(queued("s1", "2"));
    // A subscriber arrives before the flush: it reads the backlog, then listens for seq > what it read.
    const backlog = log.since("s1", 0).map((e) => e.seq);
    let lastSeen = backlog.at(-1) ?? 0;
    log.subscribe((batch) => {
      for (const { event } of batch) {
        if (event.sessionId === "s1" && event.seq > lastSeen) {
          live.push(event.seq);
          lastSeen = event.seq;
        }
      }
    });
    log.append(queued("s1", "3"));
    await nextTurn();
    expect(backlog).toEqual([1, 2]);
    expect(live).toEqual([3]);
  });

  test("forget() drops a deleted session's counter", () => {
    log.append(queued("s1", "x"));
    log.flush();
    db.query("DELETE FROM sessions WHERE id = ?").run("s1");
    log.forget("s1");
    expect(log.lastSeq("s1")).toBe(0);
    expect(log.since("s1", 0)).toEqual([]);
  });
});

describe("EventLog: a full disk", () => {
  /** SQLite's own SQLITE_FULL: the database may not grow past the pages it has now. */
  const capDatabase = () => {
    const { page_count } = db.query("PRAGMA page_count").get() as { page_count: number };
    db.run(`PRAGMA max_page_count = ${page_count}`);
  };
  const uncapDatabase = () => db.run("PRAGMA max_page_count = 1073741823");
  const bulky = (sessionId: string, i: number): DraftEvent => queued(sessionId, `${i} ${"x".repeat(3000)}`);

  test("a failed write keeps the events: delivered, served by since(), written once there is room", () => {
    const delivered: number[] = [];
    const failures: string[] = [];
    log.subscribe((events) => {
      for (const { event } of events) delivered.push(event.seq);
    });
    log.onWriteFailure((error) => failures.push((error as { code?: string }).code ?? "?"));
    log.append(bulky("s1", 1));
    log.flush();
    capDatabase();
    for (let i = 2; i <= 40; i++) log.append(bulky("s1", i));
    log.flush();
    log.append(bulky("s1", 41));
    log.flush();

    expect(failures).toEqual(["SQLITE_FULL"]); // told once per run of failures
    expect(delivered).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(log.unsavedCount).toBeGreaterThan(0);
    expect(storedSeqs("s1").length).toBeLessThan(41);
    expect(log.since("s1", 0).map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(log.since("s1", 39).map((e) => e.seq)).toEqual([40, 41]);
    expect(log.since("s2", 0)).toEqual([]);

    uncapDatabase();
    log.append(bulky("s1", 42));
    log.flush();
    expect(log.unsavedCount).toBe(0);
    expect(storedSeqs("s1")).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    // A new failure after a success is told again.
    capDatabase();
    for (let i = 43; i <= 60; i++) log.append(bulky("s1", i));
    log.flush();
    expect(failures).toEqual(["SQLITE_FULL", "SQLITE_FULL"]);
    uncapDatabase();
  });
});
