/**
 * The event log with its journal (as the app runs it): batches are delivered once journaled, committed
 * to SQLite later in one transaction (or at once for a turn's end), served by `since` meanwhile, and a
 * new log on the same files (a crash) stores what the journal held.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import type { DraftEvent } from "../../src/shared/events.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { EventJournal, journalPathFor } from "../../src/store/event-journal.ts";
import { COMMIT_AFTER_MS, COMMIT_AT_COUNT, EventLog } from "../../src/store/event-log.ts";

let dir: string;
let dbPath: string;
let db: Database;
let logs: EventLog[];

function newLog(path = journalPathFor(dbPath)): EventLog {
  const log = new EventLog(db, { journal: new EventJournal(path) });
  logs.push(log);
  return log;
}

function createSession(id: string): void {
  db.query(
    "INSERT INTO sessions (id, user_id, agent_id, created_at, updated_at) VALUES (?, ?, 'agent', 0, 0)",
  ).run(id, LOCAL_USER_ID);
}

const delta = (text: string, partId = "p1"): DraftEvent => ({
  type: "message.part.delta",
  sessionId: "s1",
  messageId: "m1",
  partId,
  delta: text,
});

function storedSeqs(sessionId: string): number[] {
  const rows = db.query("SELECT seq FROM events WHERE session_id = ? ORDER BY seq").all(sessionId) as {
    seq: number;
  }[];
  return rows.map((row) => row.seq);
}

const journalLines = () =>
  existsSync(journalPathFor(dbPath))
    ? readFileSync(journalPathFor(dbPath), "utf8").split("\n").filter(Boolean)
    : [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-journal-"));
  dbPath = join(dir, "sage.db");
  db = openDatabase(dbPath).db;
  ensureLocalUser(db);
  createSession("s1");
  createSession("s2");
  logs = [];
});
afterEach(() => {
  for (const log of logs) log.close();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe("EventLog with a journal", () => {
  test("a batch is delivered once journaled, before its SQLite commit; since() serves it meanwhile", () => {
    const log = newLog();
    const delivered: number[] = [];
    log.subscribe((batch) => delivered.push(...batch.map((entry) => entry.event.seq)));
    log.append(delta("a"));
    log.flush();
    log.append(delta("b"));
    log.flush();
    expect(delivered).toEqual([1, 2]);
    // The first delta of a part in full, the next one short (seq, time, text).
    const [full, short] = journalLines();
    expect((JSON.parse(full ?? "") as { seq: number }).seq).toBe(1);
    expect(short).toMatch(/^\+2,\d+,"b"$/);
    expect(storedSeqs("s1")).toEqual([]);
    // A reader (a reload's subscribe) sees exactly what was sent, in order.
    expect(log.since("s1", 0).map((e) => (e.type === "message.part.delta" ? e.delta : ""))).toEqual([
      "a",
      "b",
    ]);
    expect(log.since("s1", 1).map((e) => e.seq)).toEqual([2]);
    log.commit();
    expect(storedSeqs("s1")).toEqual([1, 2]);
    expect(journalLines()).toEqual([]);
    expect(log.since("s1", 0).map((e) => e.seq)).toEqual([1, 2]);
  });

  test("journaled events are committed within COMMIT_AFTER_MS without further appends", async () => {
    const log = newLog();
    log.append(delta("a"));
    log.flush();
    expect(storedSeqs("s1")).toEqual([]);
    await Bun.sleep(COMMIT_AFTER_MS + 200);
    expect(storedSeqs("s1")).toEqual([1]);
    expect(journalLines()).toEqual([]);
  });

  test("a batch with turn.ended (or an approval, a question) is committed at once", () => {
    const log = newLog();
    log.append(delta("a"));
    log.flush();
    log.append({ type: "turn.ended", sessionId: "s1", turnId: "t1", status: "completed" });
    log.flush();
    expect(storedSeqs("s1")).toEqual([1, 2]);
    expect(journalLines()).toEqual([]);
  });

  test("COMMIT_AT_COUNT waiting events are committed at once", () => {
    const log = newLog();
    for (let i = 0; i < COMMIT_AT_COUNT; i++) {
      log.append({ type: "turn.queued", sessionId: "s2", clientTurnId: `c${i}`, text: "x" });
      if (i % 100 === 99) log.flush();
    }
    log.flush();
    expect(storedSeqs("s2")).toHaveLength(COMMIT_AT_COUNT);
  });

  test("a new log on the same files (a crash) stores what the journal held, skips what SQLite has, then empties it", () => {
    const crashed = newLog();
    crashed.append(delta("a"));
    crashed.flush();
    crashed.commit(); // seq 1 in SQLite
    crashed.append(delta("b"));
    crashed.flush();
    crashed.append({ type: "turn.queued", sessionId: "s2", clientTurnId: "c", text: "t" });
    crashed.flush();
    logs.pop(); // never closed: the process died
    // Seq 1 again (committed, then the process died before the journal was emptied), an event of a
    // session removed for good, a line cut short by the crash and a line that is not an event.
    const path = journalPathFor(dbPath);
    appendFileSync(
      path,
      `${JSON.stringify({ type: "message.part.delta", sessionId: "s1", messageId: "m1", partId: "p1", delta: "a", seq: 1, at: 1 })}\n` +
        `${JSON.stringify({ type: "turn.queued", sessionId: "gone", clientTurnId: "c", text: "t", seq: 1, at: 1 })}\n` +
        `[1, 2]\n{"type":"message.part.delta","sessionId":"s1","seq":9`,
    );
    const restarted = newLog();
    expect(storedSeqs("s1")).toEqual([1, 2]);
    expect(storedSeqs("s2")).toEqual([1]);
    expect(storedSeqs("gone")).toEqual([]);
    expect(statSync(path).size).toBe(0);
    expect(restarted.since("s1", 0).map((e) => (e.type === "message.part.delta" ? e.delta : ""))).toEqual([
      "a",
      "b",
    ]);
    expect(restarted.append(delta("c")).seq).toBe(3);
  });

  test("deltas written short are rebuilt byte for byte (quotes, newlines, emoji; parts and sessions mixed)", () => {
    const crashed = newLog();
    const sent: string[] = [];
    crashed.subscribe((batch) => sent.push(...batch.map((entry) => entry.json)));
    const texts = ['say "hi"', "line\nbreak", "😀 ünï", "\\", ",", ""];
    for (const [i, text] of texts.entries()) {
      crashed.append(delta(text));
      crashed.flush();
      if (i === 2) {
        crashed.append(delta("other part", "p2"));
        crashed.flush();
        crashed.append({ type: "turn.queued", sessionId: "s2", clientTurnId: "c", text: "t" });
        crashed.flush();
      }
    }
    expect(journalLines().filter((line) => line.startsWith("+")).length).toBeGreaterThan(2);
    logs.pop(); // never closed: the process died
    const restarted = newLog();
    const stored = db.query("SELECT data FROM events ORDER BY session_id, seq").all() as { data: string }[];
    expect(stored.map((row) => row.data).sort()).toEqual([...sent].sort());
    expect(restarted.since("s1", 0).map((e) => (e.type === "message.part.delta" ? e.delta : ""))).toEqual([
      ...texts.slice(0, 3),
      "other part",
      ...texts.slice(3),
    ]);
  });

  test("a short line with no full delta before it (a damaged file) is skipped", () => {
    appendFileSync(journalPathFor(dbPath), '+5,1,"orphan"\n');
    newLog();
    expect(storedSeqs("s1")).toEqual([]);
  });

  test("a journal that cannot be written: each batch is committed to SQLite instead, and still delivered", () => {
    const log = newLog(join(dir, "missing-folder", "sage.db-events"));
    const delivered: number[] = [];
    log.subscribe((batch) => delivered.push(...batch.map((entry) => entry.event.seq)));
    log.append(delta("a"));
    log.flush();
    log.append(delta("b"));
    log.flush();
    expect(delivered).toEqual([1, 2]);
    expect(storedSeqs("s1")).toEqual([1, 2]);
    expect(log.unsavedCount).toBe(0);
  });

  test("close() commits everything and removes the journal", () => {
    const log = newLog();
    log.append(delta("a"));
    log.flush();
    expect(existsSync(journalPathFor(dbPath))).toBe(true);
    log.close();
    expect(storedSeqs("s1")).toEqual([1]);
    expect(existsSync(journalPathFor(dbPath))).toBe(false);
  });
});
