/**
 * Closing the real window (compiled executable under Xvfb) while a tray shows Sage's icon (a fake tray
 * host on the display's session bus): the first close asks in the page instead of hiding or quitting;
 * the answer, given with the keyboard as a person would (Enter on the focused "Keep running in the
 * tray"), hides the window and is remembered as the closeToTray setting, so the next close hides
 * without asking. A second Sage shows that closing again while the question is open quits. The page's
 * own dialog (Quit, Cancel) is covered by test/e2e/close-prompt.spec.ts. Screenshot:
 * test-results/window/close-prompt.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { DesktopStatus } from "../../src/shared/desktop.ts";
import { FakeTrayHost } from "../fixtures/fake-desktop/tray-host.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import { captureScreen, savePng } from "../support/screenshot.ts";
import { sessionBusOf, startSeededWindow } from "../support/window-app.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

let screen: VirtualDisplay;
let host: FakeTrayHost;
let fake: FakeModel;
let executable: string;
const apps: AppProcess[] = [];

beforeAll(async () => {
  if (!hasXvfb()) throw new Error("The window tests need Xvfb, xdotool and xwd");
  executable = await ensureExecutable();
  screen = await startXvfb();
  host = await FakeTrayHost.start(sessionBusOf(screen));
  fake = await startFakeModel({ apiKey: "test-key-0001" });
}, 180_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  host?.stop();
  await fake?.stop();
  await screen?.stop();
});

async function startWithTray(): Promise<AppProcess> {
  const app = await startSeededWindow(executable, screen, fake, "sage-close-");
  apps.push(app);
  await app.waitForLock(30_000);
  await waitUntil("the tray icon shown", async () => {
    const status = (await (await app.api("/api/app/desktop")).json()) as DesktopStatus;
    return status.tray === "shown" ? true : undefined;
  });
  await waitUntil("the window shown", () => visibleWindow() || undefined);
  await Bun.sleep(1500); // the page loaded; the worker published the close action (250 ms heartbeat)
  return app;
}

function xdotool(...args: string[]): string {
  return Bun.spawnSync(["xdotool", ...args], {
    env: { ...process.env, DISPLAY: screen.display },
    stdout: "pipe",
  })
    .stdout.toString()
    .trim();
}

const visibleWindow = () => xdotool("search", "--onlyvisible", "--name", "^Sage$");

async function closeWindow(app: AppProcess): Promise<void> {
  const response = await app.api("/api/app/debug/close-window", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(((await response.json()) as { closing: boolean }).closing).toBe(true);
}

const asked = (app: AppProcess) =>
  app.logText().split("window closed: asking whether to keep Sage running in the tray").length - 1;

test("the first close asks; Enter keeps Sage in the tray, remembered, and the next close does not ask", async () => {
  const app = await startWithTray();
  const window = await waitUntil("the window shown", () => visibleWindow() || undefined);
  expect(((await (await app.api("/api/settings")).json()) as { closeToTray: boolean }).closeToTray).toBe(
    false,
  );

  await closeWindow(app);
  await waitUntil("the question asked", () => (asked(app) === 1 ? true : undefined));
  await Bun.sleep(800);
  // Still open and running: the page shows the question.
  expect(visibleWindow()).toBe(window);
  expect((await app.api("/api/health")).status).toBe(200);
  savePng(await captureScreen(screen.display), join(REPO_ROOT, "test-results", "window", "close-prompt.png"));

  // The person presses Enter: the focused button is "Keep running in the tray".
  xdotool("windowfocus", "--sync", window);
  xdotool("key", "--window", window, "Return");
  await waitUntil("the window hidden", () => (visibleWindow() === "" ? true : undefined));
  expect(app.logText()).toContain("close prompt: Sage keeps running in the tray");
  const settings = (await (await app.api("/api/settings")).json()) as { closeToTray: boolean };
  expect(settings.closeToTray).toBe(true);
  expect((await app.api("/api/health")).status).toBe(200);

  // Back from the tray; the next close hides at once, without asking again.
  const item = host.items.at(-1);
  if (!item) throw new Error("no tray item");
  await host.click(item, "Open Sage");
  await waitUntil("the window shown again", () => (visibleWindow() !== "" ? true : undefined));
  await closeWindow(app);
  await waitUntil("the window hidden again", () => (visibleWindow() === "" ? true : undefined));
  expect(asked(app)).toBe(1);
  expect(app.logText()).toContain("window closed: Sage keeps running in the tray");
  await host.click(item, "Quit");
  expect(await app.exited(15_000)).toBe(0);
}, 120_000);

test("closing again while the question is open quits, so the window can always be closed", async () => {
  const app = await startWithTray();
  await closeWindow(app);
  await waitUntil("the question asked", () => (asked(app) === 1 ? true : undefined));
  await closeWindow(app);
  expect(await app.exited(20_000)).toBe(0);
  expect(app.logText()).toContain("window closed again while asking: quitting");
}, 90_000);
