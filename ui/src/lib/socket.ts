/**
 * The UI's one WebSocket to the server.
 *
 * Contract:
 * - Reconnects with exponential backoff (0.5 s doubling to 10 s, with jitter), immediately when the
 *   browser comes back online; state is `connecting` (first time), `connected`, `reconnecting`, or
 *   `offline` (after 20 s of failures; it keeps trying).
 * - After 5 failed attempts in a row (~8 s) it asks the server whether it is still there (`probe`):
 *   nothing answering means Sage was stopped, or restarted elsewhere: state `stopped`, which stays until
 *   a connection succeeds (it keeps trying every 10 s; `retryNow()` tries at once and asks again right
 *   away when that fails). A server that refuses this page's token means Sage was restarted with a new
 *   one: `onTokenRefused` (the page shows how to get back in). A server that answers keeps the state
 *   `reconnecting`/`offline`.
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

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "stopped";

/** What a server probe found: still there, nothing answering, or a server that refuses our token. */
export type ServerPresence = "alive" | "gone" | "refused";

export interface SocketOptions {
  onEvents(events: ServerEvent[]): void;
  /** The highest seq the store has applied for a session (0 when none). */
  lastSeq(sessionId: string): number;
  url?: string;
  /** Is the server still there? Default: GET /api/health with the page's token. */
  probe?: () => Promise<ServerPresence>;
  /** The server answered the probe but refused this page's token (Sage restarted with a new one). */
  onTokenRefused?: () => void;
}

const PING_MS = 15_000;
const DEAD_MS = 40_000;
const OFFLINE_AFTER_MS = 20_000;
/** Failed attempts in a row (after 0.5 + 1 + 2 + 4 s of back-off, ~8 s) before asking whether the server is gone. */
const PROBE_AFTER_ATTEMPTS = 5;

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
  /** A probe is running, or its answer stands until the next successful connection. */
  private probed = false;
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
      this.probed = false;
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
    if (!this.isGone())
      this.setState(now - this.failingSince > OFFLINE_AFTER_MS ? "offline" : "reconnecting");
    const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    if (this.attempt >= PROBE_AFTER_ATTEMPTS && !this.probed) void this.checkServer();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private isGone(): boolean {
    const state = this.state();
    return state === "stopped";
  }

  /** Ask whether the server is still there: a gone one turns the state into `stopped`. */
  private async checkServer(): Promise<void> {
    this.probed = true;
    const presence = await (this.options.probe ?? probeServer)();
    // A connection made while the probe ran has the last word.
    if (this.socket?.readyState === WebSocket.OPEN || this.closed) return;
    if (presence === "gone") this.setState("stopped");
    else if (presence === "refused") this.options.onTokenRefused?.();
  }

  /**
   * Try to connect now (the "Try again" button, the browser coming back online). When Sage was found
   * gone, a failure of this attempt asks the server again at once instead of after five more.
   */
  retryNow(): void {
    if (this.socket || this.closed) return;
    clearTimeout(this.retryTimer);
    if (this.isGone()) {
      this.attempt = PROBE_AFTER_ATTEMPTS;
      this.probed = false;
    }
    this.connect();
  }
}

/** GET /api/health: any answer but a refused token means alive; no answer at all means gone. */
async function probeServer(): Promise<ServerPresence> {
  try {
    const response = await fetch("/api/health", {
      headers: host.token ? { authorization: `Bearer ${host.token}` } : {},
      cache: "no-store",
      signal: AbortSignal.timeout(5000),
    });
    return response.status === 401 ? "refused" : "alive";
  } catch {
    return "gone";
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const token = host.token ? `?token=${encodeURIComponent(host.token)}` : "";
  return `${scheme}//${location.host}/ws${token}`;
}
