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
 * - Broadcast events (`session.summary`, `session.removed`) go to every connection.
 * - A frame that is not JSON or fails validation gets an `error` event; the socket stays open.
 * - Backpressure: when a socket's send buffer passes HIGH_WATER the connection stops receiving live
 *   events for its sessions (memory stays bounded); on `drain` it catches up from the log, then gets each
 *   session's `session.live` again.
 */
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { Logger } from "../core/logger.ts";
import { ClientMessage, type ClientMessageOf } from "../shared/client-messages.ts";
import type { LiveState, ServerEvent } from "../shared/events.ts";
import type { EventLog, LoggedEvent } from "../store/event-log.ts";

const HIGH_WATER = 4 * 1024 * 1024;
/** Compiled on the first frame, not at start-up (compiling the union takes ~10 ms). */
let compiledCheck: ReturnType<typeof TypeCompiler.Compile<typeof ClientMessage>> | undefined;
function checkClientMessage() {
  compiledCheck ??= TypeCompiler.Compile(ClientMessage);
  return compiledCheck;
}
const BROADCAST = new Set(["session.summary", "session.removed"]);

/** The minimal socket surface the hub needs (Bun's ServerWebSocket fits). */
export interface HubSocket {
  send(data: string): number;
  getBufferedAmount(): number;
  close(code?: number, reason?: string): void;
  /** Runs `callback` with sends buffered and written together afterwards (fewer syscalls). */
  cork?(callback: () => void): unknown;
}

/** What the hub asks of the session layer. Each may throw a named error; the hub reports it. */
export interface SessionCommands {
  canSubscribe(sessionId: string): boolean;
  /** The session's live state as of its last written event. */
  live(sessionId: string): LiveState;
  submit(message: ClientMessageOf<"submit">): void;
  stop(message: ClientMessageOf<"stop">): void;
  unqueue(message: ClientMessageOf<"unqueue">): void;
  inject(message: ClientMessageOf<"inject">): void;
  approve(message: ClientMessageOf<"approve">): void;
  answer(message: ClientMessageOf<"answer">): void;
}

interface Connection {
  socket: HubSocket;
  lastSent: Map<string, number>;
  lagging: boolean;
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
    this.connections.set(socket, { socket, lastSent: new Map(), lagging: false });
  }

  close(socket: HubSocket): void {
    this.connections.delete(socket);
  }

  /** The socket's buffer drained: resume live delivery, catching up from the log first. */
  drain(socket: HubSocket): void {
    const connection = this.connections.get(socket);
    if (!connection?.lagging) return;
    // Write what is queued while this connection is still skipped: it reads all of it from the log
    // below, in order (delivered live now, queued events would overtake its backlog).
    this.log.flush();
    connection.lagging = false;
    for (const [sessionId, lastSent] of connection.lastSent) {
      this.sendBacklog(connection, sessionId, lastSent);
      if (connection.lagging) return;
      this.sendLive(connection, sessionId);
    }
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
      this.reject(connection, codeFor(name), text, frame.type, "sessionId" in frame ? frame.sessionId : "");
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
            "not_found",
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

  private sendBacklog(connection: Connection, sessionId: string, afterSeq: number): void {
    let after = afterSeq;
    for (;;) {
      const batch = this.log.since(sessionId, after, 2000);
      for (const event of batch) {
        connection.socket.send(JSON.stringify(event));
        after = event.seq;
      }
      connection.lastSent.set(sessionId, after);
      if (batch.length < 2000) return;
      if (connection.socket.getBufferedAmount() > HIGH_WATER) {
        connection.lagging = true;
        return;
      }
    }
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
      if (connection.lagging) continue;
      const sendBatch = () => {
        for (const { event, json } of events) {
          const broadcast = BROADCAST.has(event.type);
          const lastSent = connection.lastSent.get(event.sessionId);
          if (!broadcast && (lastSent === undefined || event.seq <= lastSent)) continue;
          connection.socket.send(json);
          if (!broadcast) connection.lastSent.set(event.sessionId, event.seq);
          if (connection.socket.getBufferedAmount() > HIGH_WATER) {
            connection.lagging = true;
            return;
          }
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

function codeFor(errorName: string): string {
  switch (errorName) {
    case "NotFoundError":
      return "not_found";
    case "ValidationError":
      return "invalid";
    case "ConflictError":
      return "conflict";
    case "DiskFullError":
      return "disk_full";
    default:
      return "internal";
  }
}
