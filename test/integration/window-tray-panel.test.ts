/**
 * The tray icon in a real panel: Debian's xfce4-panel (its systray plugin is a StatusNotifierWatcher
 * and host) under Xvfb, with the compiled executable in window mode. Sage registers with it, the icon
 * appears in the panel's top-right corner (pixels of the icon's green that were not there before), and
 * the screenshot is saved for a person to look at: test-results/window/tray-xfce4-panel.png. Then a
 * slow turn runs: the panel draws the "working" badge (its blue), saved as tray-xfce4-panel-working.png;
 * a turn waits for an answer: the "waiting for you" badge (its orange), saved as
 * tray-xfce4-panel-waiting.png, and the plain icon again once the turn ended.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { DesktopStatus } from "../../src/shared/desktop.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import {
  captureScreen,
  countPixels,
  hexColor,
  type Region,
  savePng,
  themeColor,
} from "../support/screenshot.ts";
import { TestSocket } from "../support/test-socket.ts";
import { startSeededWindow } from "../support/window-app.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

let screen: VirtualDisplay;
let panel: Bun.Subprocess | undefined;
let app: AppProcess | undefined;
let fake: FakeModel | undefined;

beforeAll(async () => {
  if (!hasXvfb()) throw new Error("The window tests need Xvfb, xdotool and xwd");
  if (!Bun.which("xfce4-panel"))
    throw new Error("This test needs a tray panel: sudo apt install xfce4-panel");
  await ensureExecutable();
  screen = await startXvfb();
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  panel?.kill();
  await panel?.exited;
  await screen?.stop();
});

/** The panel's right end, where the systray plugin sits in Xfce's default layout. */
const trayArea = (): Region => ({ x: screen.width - 260, y: 0, width: 260, height: 30 });
/** The leaf of Sage's icon (src/desktop/assets/sage-icon.png). */
const LEAF = hexColor("#3f7a5c");
/** The "working" badge (src/desktop/assets/sage-running.svg). */
const WORKING = hexColor("#2f6fd1");
/** The "waiting for you" badge (src/desktop/assets/sage-waiting.svg). */
const WAITING = hexColor("#e0761a");

test("Sage's icon appears in xfce4-panel's tray", async () => {
  panel = Bun.spawn(["xfce4-panel", "--disable-wm-check"], {
    env: { ...process.env, ...screen.env },
    stdout: "ignore",
    stderr: "ignore",
  });
  const before = await waitUntil(
    "the panel drawn",
    async () => {
      const image = await captureScreen(screen.display);
      return countPixels(image, hexColor("#ffffff"), 40, trayArea()) > 50 ? image : undefined;
    },
    20_000,
    250,
  );
  const leafBefore = countPixels(before, LEAF, 40, trayArea());

  const executable = await ensureExecutable();
  fake = await startFakeModel({ apiKey: "test-key-0001" });
  app = await startSeededWindow(executable, screen, fake, "sage-tray-panel-");
  const lock = await app.waitForLock(30_000);
  await waitUntil("the tray shown", async () => {
    const status = (await (await app?.api("/api/app/desktop"))?.json()) as DesktopStatus | undefined;
    return status?.tray === "shown" ? true : undefined;
  });
  // The window covers the panel without a window manager: move it below.
  const ids = await waitUntil("the Sage window", () => {
    const found = Bun.spawnSync(["xdotool", "search", "--onlyvisible", "--name", "^Sage$"], {
      env: { ...process.env, DISPLAY: screen.display },
      stdout: "pipe",
    });
    const list = found.stdout.toString().trim().split("\n").filter(Boolean);
    return list.length > 0 ? list : undefined;
  });
  await Bun.sleep(500);
  for (const id of ids)
    Bun.spawnSync(["xdotool", "windowmove", id, "60", "120"], {
      env: { ...process.env, DISPLAY: screen.display },
    });
  await waitUntil(
    "the icon in the panel",
    async () => {
      const image = await captureScreen(screen.display);
      return countPixels(image, LEAF, 40, trayArea()) > leafBefore + 20 ? image : undefined;
    },
    15_000,
    250,
  ).catch(async (error) => {
    savePng(
      await captureScreen(screen.display),
      join(REPO_ROOT, "test-results", "window", "tray-xfce4-panel.png"),
    );
    throw error;
  });
  // The page drawn in the window (its accent: the New chat button), so the screenshots show Sage.
  const painted = await waitUntil(
    "the page in the window",
    async () => {
      const image = await captureScreen(screen.display);
      return countPixels(image, themeColor("accent"), 12) > 500 ? image : undefined;
    },
    20_000,
    250,
  );
  savePng(painted, join(REPO_ROOT, "test-results", "window", "tray-xfce4-panel.png"));
  expect(app.logText()).toContain("tray icon registered with the tray host");
  expect(countPixels(painted, WAITING, 40, trayArea())).toBeLessThan(5);

  // A turn that waits for an answer: the panel redraws the icon with the orange badge.
  const socket = await TestSocket.connect({ url: `http://127.0.0.1:${lock.port}`, token: lock.token });
  const created = await app.api("/api/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "Panel" }),
  });
  const session = (await created.json()) as SessionSummary;
  socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await socket.waitFor("subscribed", (event) => event.sessionId === session.id);
  // A slow turn first: the blue "working" badge while it streams.
  fake.enqueue({ text: "one two three four five six seven eight nine ten eleven twelve", tokenDelayMs: 300 });
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "c_panel_0", text: "Work slowly" });
  await waitUntil(
    "the working badge in the panel",
    async () =>
      countPixels(await captureScreen(screen.display), WORKING, 40, trayArea()) > 10 ? true : undefined,
    15_000,
    250,
  );
  await Bun.sleep(500);
  const working = await captureScreen(screen.display);
  expect(countPixels(working, WORKING, 40, trayArea())).toBeGreaterThan(10);
  savePng(working, join(REPO_ROOT, "test-results", "window", "tray-xfce4-panel-working.png"));
  await socket.waitFor("turn.ended", (event) => event.sessionId === session.id, 20_000);

  fake.enqueue(
    {
      toolCalls: [
        {
          id: "call_q",
          name: "ask_user",
          arguments: { questions: [{ id: "n", prompt: "Name?", kind: "text" }] },
        },
      ],
    },
    { text: "Thanks." },
  );
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "c_panel_1", text: "Ask me" });
  const asked = await socket.waitFor("question.asked", (event) => event.sessionId === session.id, 15_000);
  await waitUntil(
    "the waiting badge in the panel",
    async () => {
      const image = await captureScreen(screen.display);
      return countPixels(image, WAITING, 40, trayArea()) > 10 ? image : undefined;
    },
    15_000,
    250,
  );
  // The webview repaints (the sidebar's new chat, the question) a moment after the panel does.
  await Bun.sleep(1500);
  const shown = await captureScreen(screen.display);
  expect(countPixels(shown, WAITING, 40, trayArea())).toBeGreaterThan(10);
  savePng(shown, join(REPO_ROOT, "test-results", "window", "tray-xfce4-panel-waiting.png"));

  const done = socket.waitFor("turn.ended", (event) => event.sessionId === session.id, 15_000, true);
  socket.send({ type: "answer", sessionId: session.id, questionId: asked.questionId, answers: { n: "Ada" } });
  await done;
  await waitUntil(
    "the plain icon again",
    async () =>
      countPixels(await captureScreen(screen.display), WAITING, 40, trayArea()) < 5 ? true : undefined,
    15_000,
    250,
  );
  socket.close();
}, 120_000);
