/**
 * Test helper: a WebSocket client that records every server event.
 *
 * Two ways to read what arrived, for two kinds of test:
 * - `waitFor(type, predicate)` looks at everything received so far (unless `fresh`), then waits: for
 *   tests that care whether an event came at all (runtime tests, replay);
 * - `next(match)` takes events in order, each one once: for tests of a request/answer sequence on
 *   one socket (bad frames, pings).
 * Both time out with an error that lists what did arrive.
 */
import type { ClientMessage } from "../../src/shared/client-messages.ts";
import type { ServerEvent } from "../../src/shared/events.ts";
import { applyEvent, emptyTranscript, type TranscriptState } from "../../src/shared/transcript.ts";

/**
 * Bun's WebSocket takes request headers (Origin, Authorization) in an options object; the DOM typings the
 * project also loads only know the `protocols` form, so name the Bun form here.
 */
const HeaderWebSocket = WebSocket as unknown as new (
  url: string,
  options: { headers: Record<string, string> },
) => WebSocket;

type EventOfType<K extends ServerEvent["type"]> = Extract<ServerEvent, { type: K }>;

export class TestSocket {
  /** Every event received so far, in order. */
  readonly events: ServerEvent[] = [];
  /** How many events `next()` has consumed. */
  private taken = 0;
  private readonly wakers = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      this.events.push(JSON.parse(String(message.data)) as ServerEvent);
      this.wake();
    };
    socket.onclose = () => this.wake();
  }

  /** `/ws` of a running Sage (a test backend, an executable, a lock file's port) with its token. */
  static connect(target: { url: string; token: string }): Promise<TestSocket> {
    return TestSocket.open(`${target.url.replace(/^http/, "ws")}/ws?token=${target.token}`);
  }

  /** Any URL with any request headers; resolves once open, rejects when the upgrade is refused. */
  static open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const socket = new HeaderWebSocket(url, { headers });
      socket.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
      socket.onclose = (event) => reject(new Error(`WebSocket to ${url} closed (${event.code})`));
      socket.onopen = () => resolve(new TestSocket(socket));
    });
  }

  send(frame: ClientMessage | Record<string, unknown> | string): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first event of `type` matching `predicate`: already received ones count, unless `fresh`. */
  waitFor<K extends ServerEvent["type"]>(
    type: K,
    predicate: (e: EventOfType<K>) => boolean = () => true,
    timeoutMs = 10_000,
    fresh = false,
  ): Promise<EventOfType<K>> {
    const test = (e: ServerEvent) => e.type === type && predicate(e as EventOfType<K>);
    // Each event is looked at once per waiter (a backpressure test receives thousands).
    let scanned = fresh ? this.events.length : 0;
    return this.await(
      () => {
        for (; scanned < this.events.length; scanned++) {
          const event = this.events[scanned] as ServerEvent;
          if (test(event)) return event as EventOfType<K>;
        }
        return undefined;
      },
      timeoutMs,
      () => `timed out waiting for ${type}; got ${this.events.map((e) => e.type).join(", ")}`,
    );
  }

  /** The first event not yet taken by `next` that matches; fails early when the socket closes. */
  next(match: (event: ServerEvent) => boolean = () => true, timeoutMs = 3000): Promise<ServerEvent> {
    return this.await(
      () => {
        for (let i = this.taken; i < this.events.length; i++) {
          const event = this.events[i] as ServerEvent;
          if (!match(event)) continue;
          this.taken = i + 1;
          return event;
        }
        if (this.socket.readyState === WebSocket.CLOSED)
          throw new Error(`socket closed; received ${JSON.stringify(this.events.slice(this.taken))}`);
        return undefined;
      },
      timeoutMs,
      () => `no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(this.taken))}`,
    );
  }

  ofType<K extends ServerEvent["type"]>(type: K): EventOfType<K>[] {
    return this.events.filter((e) => e.type === type) as EventOfType<K>[];
  }

  /** The transcript a window would build from this socket's events for one session. */
  transcript(sessionId: string): TranscriptState {
    const state = emptyTranscript();
    for (const event of this.events) if (event.sessionId === sessionId) applyEvent(state, event);
    return state;
  }

  close(): void {
    this.socket.close();
  }

  /** Re-run `look` after every event (and on close) until it returns a value, throws, or time is up. */
  private await<T>(look: () => T | undefined, timeoutMs: number, timeoutText: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(check);
      };
      const check = () => {
        try {
          const found = look();
          if (found === undefined) return;
          done();
          resolve(found);
        } catch (error) {
          done();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(timeoutText()));
      }, timeoutMs);
      this.wakers.add(check);
      check();
    });
  }

  private wake(): void {
    for (const check of [...this.wakers]) check();
  }
}
