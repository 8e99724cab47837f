/**
 * The WebSocket hub's ordering guarantees at the edges of the event log's batching: a subscribe (or a
 * drained slow socket catching up) while events are still queued must yield every seq exactly once and
 * in order. Uses the real EventLog on a temp database and a recording socket.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";
import { ensureLocalUser, LOCAL_USER_ID } from "../../src/core/user.ts";
import { HIGH_WATER, type HubSocket, LOW_WATER, WebSocketHub } from "../../src/server/ws-hub.ts";
import type { SessionCommands } from "../../src/shared/client-messages.ts";
import { EPHEMERAL_EVENTS, type ServerEvent } from "../../src/shared/events.ts";
import { emptyLiveState } from "../../src/shared/transcript.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { EventLog } from "../../src/store/event-log.ts";

let dir: string;
let db: Database;
let log: EventLog;
let hub: WebSocketHub;

const commands: SessionCommands = {
  canSubscribe: () => true,
  live: () => emptyLiveState(),
  submit: () => {},
  stop: () => {},
  unqueue: () => {},
  inject: () => {},
  approve: () => {},
  answer: () => {},
};

class RecordingSocket implements HubSocket {
  readonly received: ServerEvent[] = [];
  buffered = 0;
  /** Like Bun past its backpressure limit: sends are dropped (return 0) and never arrive. */
  dropping = false;
  send(data: string): number {
    if (this.dropping) return 0;
    this.received.push(JSON.parse(data) as ServerEvent);
    return data.length;
  }
  getBufferedAmount(): number {
    return this.buffered;
  }
  close(): void {}
  seqs(sessionId: string): number[] {
    return this.received
      .filter((e) => e.sessionId === sessionId && !EPHEMERAL_EVENTS.has(e.type))
      .map((e) => e.seq);
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-hub-"));
  db = openDatabase(join(dir, "sage.db")).db;
  ensureLocalUser(db);
  db.query(
    "INSERT INTO sessions (id, user_id, agent_id, created_at, updated_at) VALUES ('s1', ?, 'agent', 0, 0)",
  ).run(LOCAL_USER_ID);
  log = new EventLog(db);
  hub = new WebSocketHub(log, commands, new Logger({ level: "error", console: false }));
});
afterEach(() => {
  hub.dispose();
  log.flush();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

function queue(count: number): void {
  for (let i = 0; i < count; i++) {
    log.append({ type: "turn.queued", sessionId: "s1", clientTurnId: `c${i}`, text: "x" });
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("subscribing while events are still queued gives each seq once, in order", () => {
  queue(3);
  log.flush();
  queue(2); // seq 4 and 5: appended, not yet written
  const socket = new RecordingSocket();
  hub.open(socket);
  hub.message(socket, JSON.stringify({ type: "subscribe", sessionId: "s1", afterSeq: 0 }));
  expect(socket.seqs("s1")).toEqual(range(1, 5));
  expect(socket.received.at(-1)).toMatchObject({ type: "subscribed", lastSeq: 5 });
  queue(1);
  log.flush();
  expect(socket.seqs("s1")).toEqual(range(1, 6));
});

test("a resubscribe from a later seq while events are queued neither repeats nor skips", () => {
  const socket = new RecordingSocket();
  hub.open(socket);
  hub.message(socket, JSON.stringify({ type: "subscribe", sessionId: "s1", afterSeq: 0 }));
  queue(4);
  log.flush();
  queue(3); // 5..7 queued
  hub.message(socket, JSON.stringify({ type: "subscribe", sessionId: "s1", afterSeq: 2 }));
  log.flush();
  expect(socket.seqs("s1")).toEqual([...range(1, 4), ...range(3, 7)]);
});

test("a slow socket that drains while events are queued catches up in order", () => {
  const socket = new RecordingSocket();
  const other = new RecordingSocket();
  for (const s of [socket, other]) {
    hub.open(s);
    hub.message(s, JSON.stringify({ type: "subscribe", sessionId: "s1", afterSeq: 0 }));
  }
  socket.buffered = 8 * 1024 * 1024; // over the high-water mark: the hub stops live delivery to it
  queue(2);
  log.flush();
  socket.buffered = 0;
  queue(2); // 3 and 4 queued when the drain comes
  hub.drain(socket);
  log.flush();
  expect(socket.seqs("s1")).toEqual(range(1, 4));
  expect(other.seqs("s1")).toEqual(range(1, 4));
});

test("sends Bun dropped (send returned 0) are sent again after drain, once, in order", () => {
  const socket = new RecordingSocket();
  hub.open(socket);
  hub.message(socket, JSON.stringify({ type: "subscribe", sessionId: "s1", afterSeq: 0 }));
  queue(2);
  log.flush();
  socket.dropping = true; // 3..5 are dropped by the socket: none of them went out
  queue(3);
  log.flush();
  socket.dropping = false;
  queue(1); // 6 comes while the connection lags: it waits for drain too
  log.flush();
  expect(socket.seqs("s1")).toEqual(range(1, 2));
  hub.drain(socket);
  expect(socket.seqs("s1")).toEqual(range(1, 6));
  queue(1);
  log.flush();
  expect(socket.seqs("s1")).toEqual(range(1, 7));
});

test("drain waits until the buffer is low; broadcasts held while lagging arrive after the catch-up", () => {
  const socket = new RecordingSocket();
  hub.open(socket);
  hub.message(socket, JSON.stringify({ type: "subscribe", sessionId: "s1", afterSeq: 0 }));
  socket.buffered = HIGH_WATER + 1;
  queue(1);
  log.flush();
  expect(socket.seqs("s1")).toEqual([1]); // this one went out (queued) and tipped it over
  queue(1);
  log.append({ type: "session.removed", sessionId: "s9" });
  log.flush();
  expect(socket.seqs("s1")).toEqual([1]);
  socket.buffered = LOW_WATER + 1; // some went out: not enough yet
  hub.drain(socket);
  expect(socket.seqs("s1")).toEqual([1]);
  socket.buffered = 0;
  hub.drain(socket);
  expect(socket.seqs("s1")).toEqual([1, 2]);
  expect(socket.received.at(-1)).toMatchObject({ type: "session.removed", sessionId: "s9" });
});
