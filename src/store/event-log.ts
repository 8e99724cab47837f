/**
 * The durable, ordered event log of every session: the source of truth for resume.
 *
 * Contract:
 * - `append` stamps each draft with the session's next `seq` (gapless, starting at 1) and `at`, and
 *   queues it. Queued events are written to SQLite in one transaction per event-loop turn and only then
 *   handed to listeners (write-before-send): whatever a client received is already on disk, so a
 *   kill -9 loses nothing that was shown. Batching per loop turn keeps this cheap at tens of thousands
 *   of events per second.
 * - Ephemeral events (see EPHEMERAL_EVENTS) are not stored and carry the current seq without advancing
 *   it; they are delivered in order with the stored ones.
 * - An event is serialised when appended: it shows the state at that moment even if the objects it
 *   referenced change afterwards (parts keep growing while they stream).
 * - `since(sessionId, afterSeq)` returns stored events with seq > afterSeq in order, including any
 *   still queued, so a subscriber that reads the backlog and then listens sees no gap and no duplicate.
 */
import type { Database, Statement } from "bun:sqlite";
import { type DraftEvent, EPHEMERAL_EVENTS, type ServerEvent } from "../shared/events.ts";

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

export class EventLog {
  private readonly lastSeqs = new Map<string, number>();
  private queue: LoggedEvent[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<EventListener>();
  private readonly insert: Statement;
  private readonly selectSince: Statement;
  private readonly selectMax: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare("INSERT INTO events (session_id, seq, type, data) VALUES (?, ?, ?, ?)");
    this.selectSince = db.prepare(
      "SELECT data FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    );
    this.selectMax = db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE session_id = ?");
  }

  lastSeq(sessionId: string): number {
    let seq = this.lastSeqs.get(sessionId);
    if (seq === undefined) {
      seq = (this.selectMax.get(sessionId) as { seq: number }).seq;
      this.lastSeqs.set(sessionId, seq);
    }
    return seq;
  }

  /** Stamp and queue; returns the stamped event. Delivery happens after the write, later this turn. */
  append(draft: DraftEvent): ServerEvent {
    const ephemeral = EPHEMERAL_EVENTS.has(draft.type);
    const seq = ephemeral ? this.lastSeq(draft.sessionId) : this.lastSeq(draft.sessionId) + 1;
    if (!ephemeral) this.lastSeqs.set(draft.sessionId, seq);
    const event = { ...draft, seq, at: Date.now() } as ServerEvent;
    const json = JSON.stringify(event);
    this.queue.push({ event, json });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return event;
  }

  /** Write everything queued and deliver it. Safe to call at any time (shutdown, tests). */
  flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const stored = batch.filter((entry) => !EPHEMERAL_EVENTS.has(entry.event.type));
    if (stored.length > 0) {
      this.db.transaction(() => {
        for (const { event, json } of stored) this.insert.run(event.sessionId, event.seq, event.type, json);
      })();
    }
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A failing listener (a closed socket) must not stop delivery to the others.
      }
    }
  }

  since(sessionId: string, afterSeq: number, limit = 100_000): ServerEvent[] {
    this.flush();
    const rows = this.selectSince.all(sessionId, afterSeq, limit) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as ServerEvent);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget a deleted session's counter (its rows go with the session by ON DELETE CASCADE). */
  forget(sessionId: string): void {
    this.lastSeqs.delete(sessionId);
  }
}
