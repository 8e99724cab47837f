/**
 * Test helper: a WebSocket client that records every server event and lets a test wait for the next
 * one matching a predicate (with a timeout that names what it was waiting for).
 */
import type { ServerEvent } from "../../src/shared/events.ts";

export interface TestSocket {
  socket: WebSocket;
  /** Every event received so far, in order. */
  received: ServerEvent[];
  send(frame: unknown): void;
  /** The first event not yet taken that matches; waits up to `timeoutMs`. */
  next(match?: (event: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  close(): void;
}

/**
 * Bun's WebSocket takes request headers (Origin, Authorization) in an options object; the DOM typings the
 * project also loads only know the `protocols` form, so name the Bun form here.
 */
const HeaderWebSocket = WebSocket as unknown as new (
  url: string,
  options: { headers: Record<string, string> },
) => WebSocket;

/** Connect; resolves once open, rejects when the server refuses the upgrade. */
export function openTestSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const socket = new HeaderWebSocket(url, { headers });
    const received: ServerEvent[] = [];
    let taken = 0;
    const waiters = new Set<() => void>();
    socket.onmessage = (message) => {
      received.push(JSON.parse(String(message.data)) as ServerEvent);
      for (const wake of waiters) wake();
    };
    socket.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
    socket.onclose = (event) => {
      reject(new Error(`WebSocket to ${url} closed (${event.code})`));
      for (const wake of waiters) wake();
    };
    socket.onopen = () =>
      resolve({
        socket,
        received,
        send: (frame) => socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
        next(match = () => true, timeoutMs = 3000) {
          return new Promise((found, fail) => {
            const look = () => {
              for (let i = taken; i < received.length; i++) {
                const event = received[i] as ServerEvent;
                if (match(event)) {
                  taken = i + 1;
                  waiters.delete(look);
                  clearTimeout(timer);
                  found(event);
                  return;
                }
              }
              if (socket.readyState === WebSocket.CLOSED) {
                waiters.delete(look);
                clearTimeout(timer);
                fail(new Error(`socket closed; received ${JSON.stringify(received.slice(taken))}`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(look);
              fail(
                new Error(
                  `no matching event within ${timeoutMs} ms; got ${JSON.stringify(received.slice(taken))}`,
                ),
              );
            }, timeoutMs);
            waiters.add(look);
            look();
          });
        },
        close: () => socket.close(),
      });
  });
}
