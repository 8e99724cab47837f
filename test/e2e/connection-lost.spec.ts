/**
 * When the Sage a tab talks to goes away, the tab says so instead of "Reconnecting…" forever: after a
 * few failed reconnects it asks the server whether it is there. Stopped (nothing answers): a persistent
 * notice with how to get back and a "Try again" button. Restarted (a new Sage on the same port refuses
 * the old token): the signed-out screen that says so. A server that still answers is never reported gone, however
 * long its socket fails; a short blip just reconnects (also chat-streaming.spec.ts).
 */
import { createServer } from "node:net";
import { expect, type SageApp, startSage, stopSage, test } from "./fixtures.ts";
import { killSocket, tapSockets } from "./socket-tap.ts";

/** Time for five failed attempts (0.5 + 1 + 2 + 4 s, ±20 % jitter) and the probe after them. */
const NOTICE_TIMEOUT_MS = 20_000;

/** A loopback port free right now. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const apps: SageApp[] = [];
test.afterEach(async () => {
  for (const app of apps.splice(0)) await stopSage(app);
});

async function start(args: string[] = []): Promise<SageApp> {
  const app = await startSage(args);
  apps.push(app);
  return app;
}

test("an app that was stopped: the tab says so, how to reopen it, and Try again keeps saying so", async ({
  page,
}) => {
  test.setTimeout(60_000);
  const sage = await start();
  await page.goto(sage.launchUrl);
  const status = page.getByTestId("connection-status");
  await expect(status).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId("connection-lost")).toHaveCount(0);

  expect(await stopSage(sage)).toBe(0);
  await expect(status).toHaveAttribute("data-state", "reconnecting");
  const notice = page.getByTestId("connection-lost");
  await expect(notice).toBeVisible({ timeout: NOTICE_TIMEOUT_MS });
  await expect(notice).toHaveAttribute("role", "alert");
  await expect(notice).toContainText("Sage is no longer running at this address");
  await expect(page.getByTestId("connection-lost-help")).toContainText("sage --serve");
  await expect(status).toHaveAttribute("data-state", "stopped");
  await expect(status).toContainText("Sage stopped");

  // Persistent: still there after more failed attempts, and after Try again fails too.
  await page.waitForTimeout(3000);
  await expect(notice).toBeVisible();
  const retry = page.getByTestId("connection-retry");
  await retry.click();
  await expect(retry).toHaveText("Trying…");
  await expect(retry).toHaveText("Try again");
  await expect(notice).toBeVisible();
  await expect(status).toHaveAttribute("data-state", "stopped");
});

test("an app restarted on the same port with a new token: the tab shows how to get back in; after the new URL it works again", async ({
  page,
  context,
}) => {
  test.setTimeout(60_000);
  const port = await freePort();
  const first = await start(["--port", String(port)]);
  await page.goto(first.launchUrl);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");

  expect(await stopSage(first)).toBe(0);
  const second = await start(["--port", String(port)]);
  expect(second.baseURL).toBe(first.baseURL);
  expect(second.token).not.toBe(first.token);

  // The socket's retries fail (old token); the probe finds a Sage that refuses it.
  const signedOut = page.getByTestId("signed-out");
  await expect(signedOut).toBeVisible({ timeout: NOTICE_TIMEOUT_MS });
  await expect(signedOut).toContainText("Sage was restarted");
  await expect(page.getByTestId("connection-lost")).toHaveCount(0);

  // Opening the new URL (as the screen says) stores the new token for this origin; the old tab's
  // Try again then gets back in.
  const fresh = await context.newPage();
  await fresh.goto(second.launchUrl);
  await expect(fresh.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await signedOut.getByRole("button").click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
});

test("sockets failing while the server still answers: no notice, and it reconnects when they can", async ({
  page,
}) => {
  test.setTimeout(60_000);
  const sage = await start();
  await page.goto(sage.launchUrl);
  await tapSockets(page);
  const status = page.getByTestId("connection-status");
  await expect(status).toHaveAttribute("data-state", "connected");

  // After five failed attempts (~8 s) the tab asks the server whether it is there: it is.
  const probe = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/health", {
    timeout: NOTICE_TIMEOUT_MS,
  });
  await killSocket(page, true);
  await expect(status).toHaveAttribute("data-state", "reconnecting");
  expect((await probe).status()).toBe(200);
  await page.waitForTimeout(300); // the page acts on the answer
  await expect(page.getByTestId("connection-lost")).toHaveCount(0);
  await expect(status).toHaveAttribute("data-state", /^(reconnecting|offline)$/);

  // Back: the next attempt (or the browser's "online" event, as here, without waiting for it) connects.
  await killSocket(page, false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(status).toHaveAttribute("data-state", "connected");
});
