/**
 * The UI's one WebSocket to the server.
 *
 * Contract:
 * - Reconnects with exponential backoff (0.5 s doubling to 10 s, with jitter), immediately when the
 *   browser comes back online; state is `connecting` (first time), `connected`, `reconnecting`, or
 *   `offline` (after 20 s of failures; it keeps trying).
 * - After every (re)connect it re-subscribes each session with the last seq the store holds, so the
 *   server replays exactly what was missed: no gap, no duplicate.
 * - Frames sent while disconnected are queued and sent on reconnect (submits carry a clientTurnId, so a
 *   resend can never start a turn twice).
 * - Pings every 15 s; a socket silent for 40 s is presumed dead and replaced.
 */
import { type Accessor, createSignal } from "solid-js";
import type { ClientMessage } from "../../../src/shared/client-messages.ts";
import type { ServerEvent } from "../../../src/shared/events.ts";
import { host } from "./env.ts";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

export interface SocketOptions {
  onEvents(events: ServerEvent[]): void;
  /** The highest seq the store has applied for a session (0 when none). */
  lastSeq(sessionId: string): number;
  url?: string;
}

const PING_MS = 15_000;
const DEAD_MS = 40_000;
const OFFLINE_AFTER_MS = 20_000;

export class SocketClient {
  readonly state: Accessor<ConnectionState>;
  private readonly setState: (state: ConnectionState) => void;
  private socket: WebSocket | undefined;
  private readonly subscriptions = new Set<string>();
  private queue: ClientMessage[] = [];
  private attempt = 0;
  private failingSince = 0;
  private lastMessageAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private pending: ServerEvent[] = [];
  private flushScheduled = false;

  constructor(private readonly options: SocketOptions) {
    const [state, setState] = createSignal<ConnectionState>("connecting");
    this.state = state;
    this.setState = setState;
    window.addEventListener("online", () => this.retryNow());
  }

  connect(): void {
    this.closed = false;
    const url = this.options.url ?? defaultUrl();
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.failingSince = 0;
      this.lastMessageAt = Date.now();
      this.setState("connected");
      for (const sessionId of this.subscriptions)
        this.sendNow({ type: "subscribe", sessionId, afterSeq: this.options.lastSeq(sessionId) });
      const queued = this.queue;
      this.queue = [];
      for (const frame of queued) this.sendNow(frame);
      this.pingTimer = setInterval(() => this.heartbeat(), PING_MS);
    };
    socket.onmessage = (message) => {
      this.lastMessageAt = Date.now();
      try {
        this.pending.push(JSON.parse(String(message.data)) as ServerEvent);
      } catch {
        return;
      }
      this.scheduleFlush();
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      clearInterval(this.pingTimer);
      this.socket = undefined;
      if (!this.closed) this.scheduleRetry();
    };
  }

  /** Start following a session (from `afterSeq` = what the store already has). */
  subscribe(sessionId: string): void {
    this.subscriptions.add(sessionId);
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.sendNow({ type: "subscribe", sessionId, afterSeq: this.options.lastSeq(sessionId) });
    }
  }

  unsubscribe(sessionId: string): void {
    if (!this.subscriptions.delete(sessionId)) return;
    if (this.socket?.readyState === WebSocket.OPEN) this.sendNow({ type: "unsubscribe", sessionId });
  }

  send(frame: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.sendNow(frame);
    else this.queue.push(frame);
  }

  /** Drop the connection (tests and debugging use it to prove resume works). */
  drop(): void {
    this.socket?.close();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.socket?.close();
  }

  private sendNow(frame: ClientMessage): void {
    this.socket?.send(JSON.stringify(frame));
  }

  /** Events are handed over once per animation frame, so a burst of deltas renders once. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      const batch = this.pending;
      this.pending = [];
      if (batch.length > 0) this.options.onEvents(batch);
    };
    if (document.visibilityState === "visible") requestAnimationFrame(run);
    else setTimeout(run, 50);
  }

  private heartbeat(): void {
    if (Date.now() - this.lastMessageAt > DEAD_MS) {
      this.socket?.close();
      return;
    }
    this.sendNow({ type: "ping", t: Date.now() });
  }

  private scheduleRetry(): void {
    const now = Date.now();
    if (!this.failingSince) this.failingSince = now;
    this.setState(now - this.failingSince > OFFLINE_AFTER_MS ? "offline" : "reconnecting");
    const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private retryNow(): void {
    if (this.socket || this.closed) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const token = host.token ? `?token=${encodeURIComponent(host.token)}` : "";
  return `${scheme}//${location.host}/ws${token}`;
}
