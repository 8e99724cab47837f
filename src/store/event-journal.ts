/**
 * The event journal: an append-only file beside the database (`sage.db-events`) that holds the events
 * the event log has sent but not yet committed to SQLite (see EventLog).
 *
 * Why: a SQLite commit writes whole 4 KiB pages to the WAL (~7.6 KiB for one ~230-byte event row), so
 * one commit per streamed token cost ~35 times the token's own bytes. An append to this file costs the
 * event's JSON and one write(); the log commits to SQLite in batches and then empties the file.
 *
 * Contract:
 * - Lines: an event's JSON; or, for a text delta of the same part as the last delta written in full,
 *   `+<seq>,<at>,<delta as a JSON string>` (a streamed token costs ~30 bytes instead of ~200). Recovery
 *   rebuilds the exact JSON (a delta is written short only when that rebuild gives its JSON back).
 * - `append` writes whole lines (one event's JSON each) with one write() and throws when the file
 *   system refuses (ENOSPC, EIO): the caller decides what to do (EventLog commits to SQLite instead).
 *   Once write() returned the lines are in the OS: a kill -9 of Sage right after loses none of them.
 *   Like the database's WAL (synchronous=NORMAL, no fsync per commit), a power cut or an OS crash may
 *   lose what the OS had not yet written back.
 * - `recover` returns the events a previous run left (a crash, a kill -9), in file order; a line that
 *   is not a whole event (a write cut short) is skipped. The caller stores them, then calls `clear`.
 * - `clear` empties the file once its events are in SQLite; `close` removes it (clean exit).
 * - The file is private (0600), like the database.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import type { ServerEvent } from "../shared/events.ts";

/** The journal beside a database file (not `-journal`: that is SQLite's own rollback journal). */
export function journalPathFor(databasePath: string): string {
  return `${databasePath}-events`;
}

/** One recovered line: the event's JSON and its envelope (enough to store the row). */
export interface JournaledEvent {
  sessionId: string;
  seq: number;
  type: string;
  json: string;
}

/** What the file needs of an event: its envelope and its JSON (see LoggedEvent). */
export interface JournalEntry {
  event: ServerEvent;
  json: string;
}

/** A delta's JSON up to its text: the same for every delta of one part. */
function deltaPrefix(event: Pick<ServerEvent, "sessionId"> & { messageId: string; partId: string }): string {
  const { sessionId, messageId, partId } = event;
  return `${JSON.stringify({ type: "message.part.delta", sessionId, messageId, partId }).slice(0, -1)},"delta":`;
}

/** A delta's JSON from its prefix and the short line's fields. */
function deltaJson(prefix: string, seq: number, at: number, delta: string): string {
  return `${prefix}${delta},"seq":${seq},"at":${at}}`;
}

export class EventJournal {
  private fd: number | undefined;
  /** Bytes appended since the last `clear` (0: nothing to clear). */
  private size = 0;
  /** The prefix of the last delta written in full since the last `clear` (short lines follow it). */
  private lastPrefix: string | undefined;

  constructor(readonly path: string) {}

  /** The events a previous run left in the file (none when there is no file). */
  recover(): JournaledEvent[] {
    if (!existsSync(this.path)) return [];
    const events: JournaledEvent[] = [];
    let prefix: string | undefined;
    for (const line of readFileSync(this.path, "utf8").split("\n")) {
      if (!line) continue;
      try {
        let json = line;
        if (line.startsWith("+")) {
          const [seq, at] = line.slice(1).split(",", 2);
          if (prefix === undefined || seq === undefined || at === undefined) continue;
          json = deltaJson(prefix, Number(seq), Number(at), line.slice(seq.length + at.length + 3));
        }
        const event = JSON.parse(json) as Partial<ServerEvent> & { messageId?: unknown; partId?: unknown };
        if (typeof event.sessionId !== "string" || typeof event.seq !== "number") continue;
        if (typeof event.type !== "string") continue;
        if (event.type === "message.part.delta" && !line.startsWith("+"))
          prefix = deltaPrefix(event as Parameters<typeof deltaPrefix>[0]);
        events.push({ sessionId: event.sessionId, seq: event.seq, type: event.type, json });
      } catch {
        // A line cut short by a crash mid-write: its event was never sent (write-before-send).
      }
    }
    this.size = 1;
    return events;
  }

  /** Append each event as one line, in one write(). Throws when the file system refuses. */
  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    this.fd ??= openSync(this.path, "a", 0o600);
    const lines = entries.map((entry) => this.line(entry));
    const bytes = Buffer.from(`${lines.join("\n")}\n`);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    this.size += bytes.length;
  }

  /** The line for one event: short for a delta of the same part as the last full one (see the contract). */
  private line({ event, json }: JournalEntry): string {
    if (event.type !== "message.part.delta") return json;
    const prefix = deltaPrefix(event);
    const delta = JSON.stringify(event.delta);
    // Written short only when the rebuild gives this exact JSON back (key order, no extra field).
    if (deltaJson(prefix, event.seq, event.at, delta) !== json) return json;
    if (prefix === this.lastPrefix) return `+${event.seq},${event.at},${delta}`;
    this.lastPrefix = prefix;
    return json;
  }

  /** Empty the file: its events are in SQLite now. */
  clear(): void {
    this.lastPrefix = undefined;
    if (this.size === 0) return;
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
    else if (existsSync(this.path)) closeSync(openSync(this.path, "w", 0o600));
    this.size = 0;
  }

  /** Close and remove the file (everything in it must be in SQLite). */
  close(): void {
    this.lastPrefix = undefined;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.size = 0;
    rmSync(this.path, { force: true });
  }
}
