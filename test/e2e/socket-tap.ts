/**
 * Playwright helper: wrap the page's WebSocket (before the app loads) so a test can kill the app's live
 * socket and hold off its reconnects while the server stays up: the app's own code sees a real close and
 * real failed attempts. Used by chat-streaming.spec.ts and connection-lost.spec.ts.
 */
import type { Page } from "@playwright/test";

/** What the init script below leaves on `window`: every WebSocket the page opened, and a switch. */
interface SocketTap {
  sockets: WebSocket[];
  /**
   * While true, new sockets go to a path of the same server that refuses them (the connection fails, as
   * with the server away). Same origin: the page's CSP (connect-src 'self') blocks other ports silently,
   * without the close event a real failure gives.
   */
  blocked: boolean;
}

/**
 * Wrap the page's WebSocket (before the app loads) so the test can kill the app's live socket and hold
 * off its reconnects: the app's own code sees a real close and real failed attempts.
 */
export async function tapSockets(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const tap: SocketTap = { sockets: [], blocked: false };
    class TappedWebSocket extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(tap.blocked ? `ws://${location.host}/blocked-by-test` : url, protocols);
        tap.sockets.push(this);
      }
    }
    window.WebSocket = TappedWebSocket;
    (window as unknown as { __socketTap: SocketTap }).__socketTap = tap;
  });
  await page.reload();
}

export async function killSocket(page: Page, blocked: boolean): Promise<void> {
  await page.evaluate((block) => {
    const tap = (window as unknown as { __socketTap: SocketTap }).__socketTap;
    tap.blocked = block;
    if (block) for (const socket of tap.sockets) socket.close();
  }, blocked);
}
