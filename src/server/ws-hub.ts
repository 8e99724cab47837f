/**
 * The WebSocket hub: one per server. Tracks connections and their session subscriptions, replays missed
 * events on `subscribe`, fans live events out, validates client frames and hands them to the session
 * commands.
 *
 * Contract:
 * - `subscribe {sessionId, afterSeq}` sends every stored event with seq > afterSeq, then `session.live`
 *   (what is pending right now, as of the last seq sent), then `subscribed`, then live events; per
 *   connection and session a `lastSent` seq filters duplicates, so the client sees each seq exactly once
 *   and in order. Events still queued in the log are written before the backlog is read, so none
 *   overtakes it. A client therefore never depends on which events it happened to see: a reload during
 *   an approval, a question or a back-off shows it again.
 * - Broadcast events (`session.summary`, `session.removed`, `app.open-session`) go to every connection.
 * - A frame that is not JSON or fails validation gets an `error` event; the socket stays open. A command
 *   that throws gets an `error` event whose code is the error's code over HTTP (src/server/error-codes.ts).
 * - Backpressure: when a socket's send buffer passes HIGH_WATER (or Bun drops a send: past its
 *   backpressure limit `send` returns 0) the connection is "lagging": it gets no more stored events
 *   (memory stays bounded; the log has them) and its broadcasts wait, the newest per session. Once
 *   `drain` finds the buffer below LOW_WATER it catches up from the log in order from the last event
 *   that really went out — stopping again at HIGH_WATER — then gets each session's `session.live` and
 *   the waiting broadcasts. A slow reader therefore receives every seq exactly once, however far behind.
 */
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { Logger } from "../core/logger.ts";
import { ClientMessage, type SessionCommands } from "../shared/client-messages.ts";
import type { ServerEvent } from "../shared/events.ts";
import type { EventLog, LoggedEvent } from "../store/event-log.ts";
import { errorCode } from "./error-codes.ts";

/** Past this many buffered bytes a connection stops receiving until `drain` (Bun drops sends at 16 MB). */
export const HIGH_WATER = 4 * 1024 * 1024;
/** `drain` resumes a lagging connection only once its buffer is below this (else it waits for the next). */
export const LOW_WATER = 1024 * 1024;
/** Stored events read from the log per query while catching up. */
const BACKLOG_BATCH = 500;
/** Compiled on the first frame, not at start-up (compiling the union takes ~10 ms). */
let compiledCheck: ReturnType<typeof TypeCompiler.Compile<typeof ClientMessage>> | undefined;
function checkClientMessage() {
  compiledCheck ??= TypeCompiler.Compile(ClientMessage);
  return compiledCheck;
}
const BROADCAST = new Set(["session.summary", "session.removed", "app.open-session"]);

/** The minimal socket surface the hub needs (Bun's ServerWebSocket fits). */
export interface HubSocket {
  /** Bytes written, -1 when queued behind backpressure, 0 when dropped (closed, or past Bun's limit). */
  send(data: string): number;
  getBufferedAmount(): number;
  close(code?: number, reason?: string): void;
  /** Runs `callback` with sends buffered and written together afterwards (fewer syscalls). */
  cork?(callback: () => void): unknown;
}

/** What the hub asks of the session layer. Each may throw a named error; the hub reports it. */

interface Connection {
  socket: HubSocket;
  /** Per subscribed session, the last stored seq that went out to this socket. */
  lastSent: Map<string, number>;
  lagging: boolean;
  /** Broadcasts held back while lagging: the newest JSON per session. */
  heldBroadcasts: Map<string, string>;
}

export class WebSocketHub {
  private readonly connections = new Map<HubSocket, Connection>();
  private readonly unsubscribeLog: () => void;

  constructor(
    private readonly log: EventLog,
    private readonly commands: SessionCommands,
    private readonly logger: Logger,
  ) {
    this.unsubscribeLog = log.subscribe((events) => this.deliver(events));
  }

  get size(): number {
    return this.connections.size;
  }

  open(socket: HubSocket): void {
    this.connections.set(socket, { socket, lastSent: new Map(), lagging: false, heldBroadcasts: new Map() });
  }

  close(socket: HubSocket): void {
    this.connections.delete(socket);
  }

  /** The socket's buffer drained: resume live delivery, catching up from the log first. */
  drain(socket: HubSocket): void {
    const connection = this.connections.get(socket);
    if (!connection?.lagging) return;
    // Bun calls drain whenever it wrote some of the buffer: wait until most of it went out.
    if (socket.getBufferedAmount() > LOW_WATER) return;
    // Write what is queued while this connection is still skipped: it reads all of it from the log
    // below, in order (delivered live now, queued events would overtake its backlog).
    this.log.flush();
    connection.lagging = false;
    for (const [sessionId, lastSent] of connection.lastSent) {
      this.sendBacklog(connection, sessionId, lastSent);
      if (connection.lagging) return;
      this.sendLive(connection, sessionId);
    }
    const held = [...connection.heldBroadcasts.values()];
    connection.heldBroadcasts.clear();
    for (const json of held) connection.socket.send(json);
  }

  message(socket: HubSocket, raw: unknown): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    let frame: unknown = raw;
    if (typeof raw === "string") {
      try {
        frame = JSON.parse(raw);
      } catch {
        this.reject(connection, "bad_frame", "The message is not valid JSON.");
        return;
      }
    } else if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) {
      this.reject(connection, "bad_frame", "Binary messages are not supported.");
      return;
    }
    if (!checkClientMessage().Check(frame)) {
      const type =
        typeof frame === "object" && frame !== null ? (frame as { type?: unknown }).type : undefined;
      const first = checkClientMessage().Errors(frame).First();
      const where = first?.path ? ` at ${first.path}` : "";
      this.reject(
        connection,
        "bad_frame",
        `Invalid ${typeof type === "string" ? `"${type}" ` : ""}message${where}: ${first?.message ?? "unknown shape"}.`,
        typeof type === "string" ? type : undefined,
      );
      return;
    }
    try {
      this.dispatch(connection, frame);
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const text = error instanceof Error ? error.message : String(error);
      if (name === "Error" || name === "TypeError") this.logger.error("ws command failed", error);
      this.reject(connection, errorCode(name), text, frame.type, "sessionId" in frame ? frame.sessionId : "");
    }
  }

  private dispatch(connection: Connection, frame: ClientMessage): void {
    switch (frame.type) {
      case "ping":
        this.sendOne(connection, { type: "pong", sessionId: "", seq: 0, at: Date.now(), t: frame.t });
        return;
      case "subscribe": {
        if (!this.commands.canSubscribe(frame.sessionId)) {
          this.reject(
            connection,
            errorCode("NotFoundError"),
            `No session ${frame.sessionId}.`,
            "subscribe",
            frame.sessionId,
          );
          return;
        }
        // As in drain(): queued events are written before this connection listens to the session, so
        // they reach it once, in order, as part of the backlog.
        connection.lastSent.delete(frame.sessionId);
        this.log.flush();
        connection.lastSent.set(frame.sessionId, frame.afterSeq);
        this.sendBacklog(connection, frame.sessionId, frame.afterSeq);
        // A lagging connection gets the live state once it has caught up (see drain).
        if (!connection.lagging) this.sendLive(connection, frame.sessionId);
        const lastSeq = connection.lastSent.get(frame.sessionId) ?? frame.afterSeq;
        this.sendOne(connection, {
          type: "subscribed",
          sessionId: frame.sessionId,
          seq: lastSeq,
          at: Date.now(),
          lastSeq,
        });
        return;
      }
      case "unsubscribe":
        connection.lastSent.delete(frame.sessionId);
        return;
      case "submit":
        this.commands.submit(frame);
        return;
      case "stop":
        this.commands.stop(frame);
        return;
      case "unqueue":
        this.commands.unqueue(frame);
        return;
      case "inject":
        this.commands.inject(frame);
        return;
      case "approve":
        this.commands.approve(frame);
        return;
      case "answer":
        this.commands.answer(frame);
        return;
    }
  }

  /**
   * Send the session's stored events after `afterSeq`, in order, until done or the socket lags;
   * `lastSent` ends at the last one that went out. A lagging connection sends nothing (drain will).
   */
  private sendBacklog(connection: Connection, sessionId: string, afterSeq: number): void {
    let after = afterSeq;
    try {
      while (!connection.lagging) {
        const batch = this.log.since(sessionId, after, BACKLOG_BATCH);
        for (const event of batch) {
          if (!this.push(connection, JSON.stringify(event))) return;
          after = event.seq;
          if (connection.lagging) return;
        }
        if (batch.length < BACKLOG_BATCH) return;
      }
    } finally {
      connection.lastSent.set(sessionId, after);
    }
  }

  /**
   * Send one stored event. False when Bun dropped it (it did not go out); the connection is then
   * lagging, as it is when the buffer passed HIGH_WATER (the event went out, queued).
   */
  private push(connection: Connection, json: string): boolean {
    const result = connection.socket.send(json);
    if (result === 0) {
      connection.lagging = true;
      return false;
    }
    if (connection.socket.getBufferedAmount() > HIGH_WATER) connection.lagging = true;
    return true;
  }

  /** The live state as of the last seq this connection was sent (the backlog just brought it there). */
  private sendLive(connection: Connection, sessionId: string): void {
    const seq = connection.lastSent.get(sessionId) ?? 0;
    this.sendOne(connection, {
      type: "session.live",
      sessionId,
      seq,
      at: Date.now(),
      live: this.commands.live(sessionId),
    });
  }

  /** Each connection gets the batch in one corked write: one syscall per batch, not per event. */
  private deliver(events: LoggedEvent[]): void {
    if (this.connections.size === 0) return;
    for (const connection of this.connections.values()) {
      const sendBatch = () => {
        for (const { event, json } of events) {
          if (BROADCAST.has(event.type)) {
            if (connection.lagging || !this.push(connection, json))
              connection.heldBroadcasts.set(event.sessionId, json);
            continue;
          }
          // A lagging connection catches up from the log on drain.
          if (connection.lagging) continue;
          const lastSent = connection.lastSent.get(event.sessionId);
          if (lastSent === undefined || event.seq <= lastSent) continue;
          if (this.push(connection, json)) connection.lastSent.set(event.sessionId, event.seq);
        }
      };
      if (connection.socket.cork) connection.socket.cork(sendBatch);
      else sendBatch();
    }
  }

  private sendOne(connection: Connection, event: ServerEvent): void {
    connection.socket.send(JSON.stringify(event));
  }

  private reject(connection: Connection, code: string, message: string, ref?: string, sessionId = ""): void {
    this.sendOne(connection, { type: "error", sessionId, seq: 0, at: Date.now(), code, message, ref });
  }

  dispose(): void {
    this.unsubscribeLog();
    for (const connection of this.connections.values()) connection.socket.close(1001, "server shutting down");
    this.connections.clear();
  }
}
