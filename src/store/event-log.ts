/**
 * The durable, ordered event log of every session: the source of truth for resume.
 *
 * Contract:
 * - `append` stamps each draft with the session's next `seq` (gapless, starting at 1) and `at`, and
 *   queues it. Queued events are made durable once per event-loop turn and only then handed to
 *   listeners (write-before-send): whatever a client received survives a crash of Sage. A producer that
 *   never yields to the event loop (a provider stream whose bytes are all buffered is consumed in
 *   microtasks only) would starve that flush, so `append` also flushes itself once the oldest queued
 *   event is FLUSH_AFTER_MS old or FLUSH_AT_COUNT are queued.
 * - Durable means (with a journal, as the app runs it): appended to the event journal (see
 *   event-journal.ts: one write() of the batch's lines, no page rewrites). The journaled events are
 *   committed to SQLite in one transaction at most COMMIT_AFTER_MS after the first of them, or at once
 *   when COMMIT_AT_COUNT wait, when the batch holds an event that ends or pauses a turn (COMMIT_NOW:
 *   turn end, approval, question, error), and on `close`; the journal is then emptied. A kill -9 loses
 *   no event that was sent: the next start stores what the journal holds (`new EventLog`) before anything
 *   reads the log. The window in which sent events are in the journal only is COMMIT_AFTER_MS (2 s) or
 *   COMMIT_AT_COUNT events, whichever comes first; what a kill -9 can lose of what was sent is nothing.
 *   Without a journal (tests) each batch is committed to SQLite before it is delivered.
 * - Consecutive text deltas of one part that wait in the queue together become one event (one seq,
 *   the texts joined): the transcript is the same, with far fewer rows and socket messages when a
 *   model streams faster than one token per loop turn. A delta that arrives alone is sent alone.
 * - Ephemeral events (see EPHEMERAL_EVENTS) are not stored and carry the current seq without advancing
 *   it; they are delivered in order with the stored ones.
 * - An event is serialised when appended: it shows the state at that moment even if the objects it
 *   referenced change afterwards (parts keep growing while they stream).
 * - `since(sessionId, afterSeq)` returns stored events with seq > afterSeq in order, including those
 *   still queued or not yet committed, so a subscriber that reads the backlog and then listens sees no
 *   gap and no duplicate.
 * - A write that fails (disk full, I/O error) never throws out of `append` or `flush`: the events are
 *   kept in memory, in order, still delivered (the user must see the turn end with the error), served
 *   by `since`, and written first by the next write that succeeds. Listeners of `onWriteFailure` hear
 *   of the first failed write after a success (the session layer ends running turns with the error). A
 *   crash while writes fail loses what was kept in memory only: there was nowhere to put it.
 */
import type { Database, Statement } from "bun:sqlite";
import { type DraftEvent, EPHEMERAL_EVENTS, type ServerEvent } from "../shared/events.ts";
import type { EventJournal } from "./event-journal.ts";

/**
 * A stamped event and its JSON, serialised once when appended. `json` is the truth (later changes to
 * objects the event referenced do not leak in); read only the envelope fields (type, sessionId, seq) of
 * `event`.
 */
export interface LoggedEvent {
  event: ServerEvent;
  json: string;
}

export type EventListener = (events: LoggedEvent[]) => void;
export type WriteFailureListener = (error: unknown) => void;

/** A queued event; `merged` holds the texts of later deltas joined into it before it is written. */
interface QueuedEvent extends LoggedEvent {
  merged?: string[];
}

/** Longest time an event waits in the queue while appends keep coming (about one UI frame). */
export const FLUSH_AFTER_MS = 16;
/** Most events queued before `append` writes them itself. */
export const FLUSH_AT_COUNT = 1000;
/**
 * Longest time a journaled event waits for its SQLite commit. Each commit rewrites a few 4 KiB pages of
 * the events table whatever it holds, so a slow stream (one token per 30 ms) costs ~0.9 KiB per token at
 * 2 s, more at shorter intervals; it bounds how far SQLite (backups, other readers) lags the journal.
 */
export const COMMIT_AFTER_MS = 2000;
/** Most journaled events waiting before they are committed at once. */
export const COMMIT_AT_COUNT = 2000;
/** Events that end or pause a turn: their batch is committed to SQLite at once. */
export const COMMIT_NOW: ReadonlySet<ServerEvent["type"]> = new Set([
  "turn.ended",
  "approval.requested",
  "question.asked",
  "error",
]);
/** Rows per multi-row INSERT (4 parameters each, well under SQLite's parameter limit). */
const INSERT_ROWS = 32;

export interface EventLogOptions {
  /** Where sent events wait for their commit (see the contract). Without one, every batch commits. */
  journal?: EventJournal;
}

export class EventLog {
  private readonly lastSeqs = new Map<string, number>();
  private queue: QueuedEvent[] = [];
  /** Stored events not in SQLite yet (journaled, or kept after a failed write), oldest first. */
  private uncommitted: LoggedEvent[] = [];
  /** How many of `uncommitted` (the newest ones) are in neither SQLite nor the journal. */
  private unjournaled = 0;
  private readonly journal: EventJournal | undefined;
  /** A journal write failed: commit every batch until a commit empties the journal again. */
  private journalBroken = false;
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly writeFailureListeners = new Set<WriteFailureListener>();
  /** The last write failed (listeners were told; they hear again after a success and a new failure). */
  private failing = false;
  private flushScheduled = false;
  /** performance.now() when the oldest queued event was appended. */
  private queuedSince = 0;
  private readonly listeners = new Set<EventListener>();
  private readonly insert: Statement;
  /** Inserts INSERT_ROWS events in one statement: far fewer statement runs for token streams. */
  private readonly insertMany: Statement;
  /** One event, skipped when it is stored already or its session is gone (journal recovery). */
  private readonly insertIfNew: Statement;
  private readonly selectSince: Statement;
  private readonly selectMax: Statement;

  constructor(
    private readonly db: Database,
    options: EventLogOptions = {},
  ) {
    this.insert = db.prepare("INSERT INTO events (session_id, seq, type, data) VALUES (?, ?, ?, ?)");
    this.insertMany = db.prepare(
      `INSERT INTO events (session_id, seq, type, data) VALUES ${Array(INSERT_ROWS).fill("(?, ?, ?, ?)").join(", ")}`,
    );
    this.insertIfNew = db.prepare(
      `INSERT OR IGNORE INTO events (session_id, seq, type, data)
       SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ?1)`,
    );
    this.selectSince = db.prepare(
      "SELECT data FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    );
    this.selectMax = db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE session_id = ?");
    this.journal = options.journal;
    this.recoverJournal();
  }

  /** Store what a previous run sent but had not committed (a crash), then empty the journal. */
  private recoverJournal(): void {
    if (!this.journal) return;
    const left = this.journal.recover();
    if (left.length > 0)
      this.db.transaction(() => {
        for (const event of left) this.insertIfNew.run(event.sessionId, event.seq, event.type, event.json);
      })();
    this.journal.clear();
  }

  lastSeq(sessionId: string): number {
    let seq = this.lastSeqs.get(sessionId);
    if (seq === undefined) {
      seq = (this.selectMax.get(sessionId) as { seq: number }).seq;
      this.lastSeqs.set(sessionId, seq);
    }
    return seq;
  }

  /**
   * Stamp and queue; returns the stamped event (for a delta joined to the queued one before it, that
   * event). Delivery happens after the write: later this turn, or within this call when the queue is
   * old or long (see FLUSH_AFTER_MS).
   */
  append(draft: DraftEvent): ServerEvent {
    const merged = draft.type === "message.part.delta" ? this.mergeDelta(draft) : undefined;
    const event = merged ?? this.enqueue(draft);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    } else if (
      this.queue.length >= FLUSH_AT_COUNT ||
      performance.now() - this.queuedSince >= FLUSH_AFTER_MS
    ) {
      this.flush();
    }
    return event;
  }

  private enqueue(draft: DraftEvent): ServerEvent {
    const ephemeral = EPHEMERAL_EVENTS.has(draft.type);
    const seq = ephemeral ? this.lastSeq(draft.sessionId) : this.lastSeq(draft.sessionId) + 1;
    if (!ephemeral) this.lastSeqs.set(draft.sessionId, seq);
    const event = { ...draft, seq, at: Date.now() } as ServerEvent;
    this.queue.push({ event, json: JSON.stringify(event) });
    if (this.queue.length === 1) this.queuedSince = performance.now();
    return event;
  }

  /** Join a delta to the queued delta of the same part right before it; undefined when there is none. */
  private mergeDelta(draft: Extract<DraftEvent, { type: "message.part.delta" }>): ServerEvent | undefined {
    const last = this.queue[this.queue.length - 1];
    const previous = last?.event;
    if (
      !last ||
      previous?.type !== "message.part.delta" ||
      previous.sessionId !== draft.sessionId ||
      previous.messageId !== draft.messageId ||
      previous.partId !== draft.partId
    )
      return undefined;
    if (last.merged) last.merged.push(draft.delta);
    else last.merged = [draft.delta];
    return previous;
  }

  /**
   * Make everything queued durable (see the contract) and deliver it. Safe to call at any time
   * (shutdown, tests); never throws.
   */
  flush(): void {
    this.flushScheduled = false;
    const batch: LoggedEvent[] = this.queue;
    this.queue = [];
    for (const entry of batch as QueuedEvent[]) {
      if (!entry.merged || entry.event.type !== "message.part.delta") continue;
      entry.event.delta += entry.merged.join("");
      entry.json = JSON.stringify(entry.event);
      entry.merged = undefined;
    }
    const stored = batch.filter((entry) => !EPHEMERAL_EVENTS.has(entry.event.type));
    this.uncommitted.push(...stored);
    this.unjournaled += stored.length;
    if (this.unjournaled > 0 && this.journal && !this.journalBroken) {
      try {
        this.journal.append(this.uncommitted.slice(-this.unjournaled));
        this.unjournaled = 0;
      } catch {
        // Commit to SQLite instead (below); a failure there tells the listeners.
        this.journalBroken = true;
      }
    }
    const commitNow =
      this.unjournaled > 0 ||
      this.uncommitted.length >= COMMIT_AT_COUNT ||
      stored.some((entry) => COMMIT_NOW.has(entry.event.type));
    if (commitNow) this.commit();
    else if (this.uncommitted.length > 0) this.commitTimer ??= this.later();
    if (batch.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A failing listener (a closed socket) must not stop delivery to the others.
      }
    }
  }

  /** Commit every stored event not in SQLite yet, in one transaction, and empty the journal. */
  commit(): void {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    if (this.uncommitted.length === 0) return;
    try {
      this.write(this.uncommitted);
      this.uncommitted = [];
      this.unjournaled = 0;
      this.failing = false;
    } catch (error) {
      const first = !this.failing;
      this.failing = true;
      // Journaled events are safe on disk: try again later (unjournaled ones at the next flush).
      this.commitTimer = this.later();
      if (first)
        for (const listener of this.writeFailureListeners) {
          try {
            listener(error);
          } catch {
            // A listener's own failure must not stop the others.
          }
        }
      return;
    }
    if (!this.journal) return;
    try {
      this.journal.clear();
      this.journalBroken = false;
    } catch {
      // The journal keeps events that are in SQLite too: recovery skips them (INSERT OR IGNORE).
    }
  }

  /** A commit COMMIT_AFTER_MS from now (it does not keep the process alive: the journal has the events). */
  private later(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.commit(), COMMIT_AFTER_MS);
    timer.unref?.();
    return timer;
  }

  private write(stored: LoggedEvent[]): void {
    try {
      this.insertRows(stored);
    } catch (error) {
      // A session removed for good while its events waited: store the others.
      if ((error as { code?: string }).code !== "SQLITE_CONSTRAINT_FOREIGNKEY") throw error;
      this.db.transaction(() => {
        for (const { event, json } of stored)
          this.insertIfNew.run(event.sessionId, event.seq, event.type, json);
      })();
    }
  }

  private insertRows(stored: LoggedEvent[]): void {
    this.db.transaction(() => {
      let index = 0;
      for (; index + INSERT_ROWS <= stored.length; index += INSERT_ROWS) {
        const values: (string | number)[] = [];
        for (let row = index; row < index + INSERT_ROWS; row++) {
          const { event, json } = stored[row] as LoggedEvent;
          values.push(event.sessionId, event.seq, event.type, json);
        }
        this.insertMany.run(...values);
      }
      for (; index < stored.length; index++) {
        const { event, json } = stored[index] as LoggedEvent;
        this.insert.run(event.sessionId, event.seq, event.type, json);
      }
    })();
  }

  /** How many events are in memory only after a failed write (0 when all are in SQLite or the journal). */
  get unsavedCount(): number {
    return this.unjournaled;
  }

  onWriteFailure(listener: WriteFailureListener): () => void {
    this.writeFailureListeners.add(listener);
    return () => this.writeFailureListeners.delete(listener);
  }

  since(sessionId: string, afterSeq: number, limit = 100_000): ServerEvent[] {
    this.flush();
    const rows = this.selectSince.all(sessionId, afterSeq, limit) as { data: string }[];
    const events = rows.map((row) => JSON.parse(row.data) as ServerEvent);
    if (this.uncommitted.length === 0 || events.length >= limit) return events;
    // Not committed yet: they follow every committed event of their session.
    const after = events.at(-1)?.seq ?? afterSeq;
    for (const { event, json } of this.uncommitted) {
      if (events.length >= limit) break;
      if (event.sessionId === sessionId && event.seq > after) events.push(JSON.parse(json) as ServerEvent);
    }
    return events;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget a deleted session's counter (its rows go with the session by ON DELETE CASCADE). */
  forget(sessionId: string): void {
    this.lastSeqs.delete(sessionId);
  }

  /** Flush, commit and close the journal (shutdown): everything is in SQLite after it. */
  close(): void {
    this.flush();
    this.commit();
    if (this.uncommitted.length === 0) this.journal?.close();
  }
}
