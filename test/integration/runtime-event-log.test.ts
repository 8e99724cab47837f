/**
 * The event log under a producer that never yields to the event loop: a provider stream whose bytes
 * are already buffered is consumed in microtasks only, so a flush scheduled with setImmediate would
 * wait until the whole answer was processed. Delivery must keep pace anyway, written before sent.
 * Also: deltas queued together are joined into one event.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { EventLog, FLUSH_AFTER_MS, FLUSH_AT_COUNT, type LoggedEvent } from "../../src/store/event-log.ts";

let dir: string;
let db: Database;
let log: EventLog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-eventlog-"));
  db = openDatabase(join(dir, "sage.db")).db;
  ensureLocalUser(db);
  db.query(
    "INSERT INTO sessions (id, user_id, agent_id, created_at, updated_at) VALUES ('s1', ?, 'agent', 0, 0)",
  ).run(LOCAL_USER_ID);
  log = new EventLog(db);
});
afterEach(() => {
  log.flush();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

function delta(i: number, partId = "p") {
  return { type: "message.part.delta", sessionId: "s1", messageId: "m", partId, delta: `t${i} ` } as const;
}

/** Deltas that alternate between two parts, so none is joined to the one before it. */
function alternating(i: number) {
  return delta(i, i % 2 === 0 ? "p" : "q");
}

function storedCount(): number {
  return (db.query("SELECT COUNT(*) AS n FROM events WHERE session_id = 's1'").get() as { n: number }).n;
}

test("events appended in a microtask-only loop are delivered while it runs, each written first", async () => {
  const deliveries: { at: number; count: number; storedBefore: number }[] = [];
  let delivered = 0;
  log.subscribe((batch) => {
    // Write-before-send: everything handed to listeners is already in SQLite.
    deliveries.push({ at: performance.now(), count: batch.length, storedBefore: storedCount() });
    delivered += batch.length;
    expect(storedCount()).toBeGreaterThanOrEqual(batch.at(-1)?.event.seq ?? 0);
  });
  const started = performance.now();
  let appended = 0;
  while (performance.now() - started < 60) {
    log.append(alternating(appended++));
    await Promise.resolve(); // yields to microtasks only, never to setImmediate
  }
  const loopEnded = performance.now();
  expect(deliveries.length).toBeGreaterThan(3);
  const first = deliveries[0];
  expect(first?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(started + FLUSH_AFTER_MS + 20);
  expect(first?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(loopEnded);
  for (const batch of deliveries) expect(batch.count).toBeLessThanOrEqual(FLUSH_AT_COUNT);
  await new Promise((resolve) => setImmediate(resolve));
  expect(delivered).toBe(appended);
  const seqs = (
    db.query("SELECT seq FROM events WHERE session_id = 's1' ORDER BY seq").all() as { seq: number }[]
  ).map((r) => r.seq);
  expect(seqs).toEqual(Array.from({ length: appended }, (_, i) => i + 1));
});

test("a few events in one turn still go out together, after the turn", async () => {
  const batches: number[] = [];
  log.subscribe((batch) => batches.push(batch.length));
  for (let i = 0; i < 10; i++) log.append(alternating(i));
  expect(batches).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(batches).toEqual([10]);
});

test("deltas of one part queued together become one event; anything between them keeps them apart", async () => {
  const delivered: LoggedEvent[] = [];
  log.subscribe((batch) => delivered.push(...batch));
  const returned = [log.append(delta(0)), log.append(delta(1)), log.append(delta(2))];
  log.append({ type: "message.part.delta", sessionId: "s1", messageId: "m", partId: "other", delta: "x " });
  log.append(delta(3));
  log.append({ type: "turn.queued", sessionId: "s1", clientTurnId: "c", text: "q" });
  log.append(delta(4));
  log.append(delta(5));
  await new Promise((resolve) => setImmediate(resolve));
  const shown = delivered.map((entry) => JSON.parse(entry.json) as { seq: number; delta?: string });
  expect(shown.map((e) => [e.seq, e.delta])).toEqual([
    [1, "t0 t1 t2 "],
    [2, "x "],
    [3, "t3 "],
    [4, undefined],
    [5, "t4 t5 "],
  ]);
  // The first call's event is the one the others joined; the stored rows match what was delivered.
  expect(returned.map((e) => e.seq)).toEqual([1, 1, 1]);
  const rows = db.query("SELECT seq, data FROM events WHERE session_id = 's1' ORDER BY seq").all() as {
    seq: number;
    data: string;
  }[];
  expect(rows.map((r) => r.data)).toEqual(delivered.map((entry) => entry.json));
  expect(log.since("s1", 0).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  // A delta appended after the flush starts a new event.
  log.append(delta(6));
  expect(log.since("s1", 5).map((e) => (e.type === "message.part.delta" ? e.delta : ""))).toEqual(["t6 "]);
});
