/**
 * The real window (compiled executable under Xvfb, with the display's own session bus) and a fake
 * notification service on that bus. The page in the webview reports its focus itself: while the Sage
 * window has the X input focus a finished turn sends nothing; once another X client takes the focus,
 * the next finished turn sends one Notify, and clicking it (ActionInvoked) brings Sage back with the
 * chat open. Screenshots land in test-results/window/ for a person to look at.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DesktopStatus } from "../../src/shared/desktop.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import { FakeNotificationService } from "../fixtures/fake-desktop/notification-service.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import { captureScreen, savePng } from "../support/screenshot.ts";
import { TestSocket } from "../support/test-socket.ts";
import { sessionBusOf, startSeededWindow } from "../support/window-app.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";
import { seedDataDir } from "./executable-app.ts";

const SCREENSHOTS = join(REPO_ROOT, "test-results", "window");

let screen: VirtualDisplay;
let service: FakeNotificationService;
let fake: FakeModel;
let app: AppProcess;
let other: Bun.Subprocess | undefined;
let executable: string;

beforeAll(async () => {
  if (!hasXvfb()) throw new Error("The window tests need Xvfb, xdotool and xwd");
  executable = await ensureExecutable();
  screen = await startXvfb();
  service = await FakeNotificationService.start(sessionBusOf(screen));
  fake = await startFakeModel({ apiKey: "test-key-0001" });
  app = await startSeededWindow(executable, screen, fake, "sage-notify-");
}, 180_000);

afterAll(async () => {
  other?.kill();
  await app?.stop();
  service?.stop();
  await fake?.stop();
  await screen?.stop();
});

function xdotool(...args: string[]): string {
  const result = Bun.spawnSync(["xdotool", ...args], {
    env: { ...process.env, DISPLAY: screen.display },
    stdout: "pipe",
    stderr: "pipe",
  });
  return result.stdout.toString().trim();
}

async function json<T>(path: string, init?: { method?: string; json?: unknown }): Promise<T> {
  const response = await app.api(path, {
    method: init?.method ?? (init?.json === undefined ? "GET" : "POST"),
    headers: init?.json === undefined ? {} : { "content-type": "application/json" },
    body: init?.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return (await response.json()) as T;
}

async function finishedTurn(socket: TestSocket, sessionId: string, text: string): Promise<void> {
  fake.enqueue({ text: `Reply to ${text}` });
  const done = socket.waitFor("turn.ended", (event) => event.sessionId === sessionId, 20_000, true);
  socket.send({ type: "submit", sessionId, clientTurnId: `c_${text}`, text });
  await done;
}

test("a turn that ends while the window is unfocused sends one notification; clicking it opens the chat", async () => {
  const lock = await app.waitForLock(30_000);
  const status = await waitUntil("notifications ready", async () => {
    const body = await json<DesktopStatus>("/api/app/desktop");
    return body.notifications.status === "ready" ? body : undefined;
  });
  expect(status.shell).toBe("window");
  // No StatusNotifierWatcher on this bus: no tray icon, and Settings says closing the window quits.
  await waitUntil("the tray status", async () =>
    (await json<DesktopStatus>("/api/app/desktop")).tray === "no-host" ? true : undefined,
  );
  const sageWindow = await waitUntil(
    "the Sage window",
    () => xdotool("search", "--onlyvisible", "--name", "^Sage$") || undefined,
  );
  xdotool("windowfocus", "--sync", sageWindow.split("\n")[0] ?? "");
  await waitUntil(
    "the page's focus report",
    () => (app.logText().includes("a Sage page has the focus") ? true : undefined),
    20_000,
  );

  const session = await json<SessionSummary>("/api/sessions", { json: { title: "Trip plan" } });
  const socket = await TestSocket.connect({ url: `http://127.0.0.1:${lock.port}`, token: lock.token });
  socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await socket.waitFor("subscribed", (event) => event.sessionId === session.id);

  await finishedTurn(socket, session.id, "while-focused");
  await Bun.sleep(500);
  expect(service.calls).toEqual([]);

  // Another X client takes the input focus: the webview's page reports blur by itself.
  other = Bun.spawn(["xlogo", "-geometry", "300x200+900+600"], {
    env: { ...process.env, DISPLAY: screen.display },
    stdout: "ignore",
    stderr: "ignore",
  });
  const logo = await waitUntil(
    "the xlogo window",
    () => xdotool("search", "--onlyvisible", "--class", "xlogo") || undefined,
  );
  xdotool("windowfocus", "--sync", logo.split("\n")[0] ?? "");
  await waitUntil(
    "no page focused",
    () => (app.logText().includes("no Sage page has the focus") ? true : undefined),
    20_000,
  );

  await finishedTurn(socket, session.id, "while-away");
  const [call] = await service.waitForCalls(1, 15_000);
  await Bun.sleep(500);
  expect(service.calls).toHaveLength(1);
  expect(call).toMatchObject({ appName: "Sage", summary: "Trip plan", body: "Sage has finished." });
  savePng(await captureScreen(screen.display), join(SCREENSHOTS, "notification-before-click.png"));

  service.click(call?.id ?? -1);
  const opened = await socket.waitFor("app.open-session", undefined, 10_000);
  expect(opened.sessionId).toBe(session.id);
  await waitUntil("the click in the log", () =>
    app.logText().includes(`notification ${call?.id} clicked: opening session ${session.id}`)
      ? true
      : undefined,
  );
  await Bun.sleep(1500);
  savePng(await captureScreen(screen.display), join(SCREENSHOTS, "notification-after-click.png"));
  socket.close();
}, 120_000);

test("a sage://session/ID launch while Sage runs opens that chat there and exits", async () => {
  const lock = await app.waitForLock(30_000);
  const session = await json<SessionSummary>("/api/sessions", { json: { title: "Linked chat" } });
  const socket = await TestSocket.connect({ url: `http://127.0.0.1:${lock.port}`, token: lock.token });
  const second = spawnApp({
    executable,
    dataDir: app.dataDir,
    args: [`sage://session/${session.id}`],
    env: { ...screen.env, WAYLAND_DISPLAY: undefined },
  });
  expect(await second.exited(20_000)).toBe(0);
  expect(second.output()).toContain(`it opened sage://session/${session.id}`);
  const opened = await socket.waitFor("app.open-session", (event) => event.sessionId === session.id, 10_000);
  expect(opened.sessionId).toBe(session.id);
  await Bun.sleep(1500);
  savePng(await captureScreen(screen.display), join(SCREENSHOTS, "deep-link-opened.png"));

  const bad = spawnApp({
    executable,
    dataDir: app.dataDir,
    args: ["sage://session/ses_missing"],
    env: { ...screen.env, WAYLAND_DISPLAY: undefined },
  });
  expect(await bad.exited(20_000)).toBe(1);
  expect(bad.output()).toContain("Sage could not open sage://session/ses_missing");
  socket.close();
}, 60_000);

test("a sage://new?prompt= launch while Sage runs opens a new chat there with the prompt as its draft", async () => {
  const lock = await app.waitForLock(30_000);
  const socket = await TestSocket.connect({ url: `http://127.0.0.1:${lock.port}`, token: lock.token });
  const requestsBefore = fake.requests.length;
  const link = `sage://new?${new URLSearchParams({ prompt: "Plan my week from the calendar" })}`;
  const second = spawnApp({
    executable,
    dataDir: app.dataDir,
    args: [link],
    env: { ...screen.env, WAYLAND_DISPLAY: undefined },
  });
  expect(await second.exited(20_000)).toBe(0);
  expect(second.output()).toContain(`it opened ${link}`);
  const opened = await socket.waitFor("app.open-session", (event) => event.draft !== undefined, 10_000);
  expect(opened.draft).toBe("Plan my week from the calendar");
  await Bun.sleep(1500);
  savePng(await captureScreen(screen.display), join(SCREENSHOTS, "deep-link-prefill.png"));
  // Not sent by the link.
  expect(fake.requests.length).toBe(requestsBefore);
  socket.close();
}, 60_000);

test("a sage://new?prompt= link that starts Sage opens the window on a new chat with the draft", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sage-cold-link-"));
  await seedDataDir(dataDir, fake);
  const requestsBefore = fake.requests.length;
  const started = spawnApp({
    executable,
    dataDir,
    args: [`sage://new?${new URLSearchParams({ prompt: "Started by a link" })}`],
    env: { ...screen.env, WAYLAND_DISPLAY: undefined, LANG: "en_US.UTF-8" },
  });
  try {
    await started.waitForLock(30_000);
    const logged = await waitUntil(
      "the link's chat opened",
      () => /started by a link: opening chat (\S+) with a draft/.exec(started.logText())?.[1],
    );
    const session = (await (await started.api(`/api/sessions/${logged}`)).json()) as SessionSummary;
    expect(session.id).toBe(logged);
    await Bun.sleep(2000);
    savePng(await captureScreen(screen.display), join(SCREENSHOTS, "deep-link-cold-start.png"));
    expect(fake.requests.length).toBe(requestsBefore);
  } finally {
    await started.stop();
  }
}, 60_000);

test("without a tray host, closing the window quits even when 'keep running in the tray' is on", async () => {
  await json("/api/settings", { method: "PATCH", json: { closeToTray: true } });
  await Bun.sleep(600);
  await json("/api/app/debug/close-window", { json: {} });
  expect(await app.exited(20_000)).toBe(0);
  expect(app.logText()).toContain("window closed: quitting");
}, 40_000);

test("a hidden start without a tray shows the window after all", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sage-hidden-"));
  const hidden = spawnApp({
    executable,
    dataDir,
    args: ["--hidden"],
    env: { ...screen.env, WAYLAND_DISPLAY: undefined },
  });
  try {
    await hidden.waitForLock(30_000);
    await waitUntil(
      "the window shown after the grace period",
      () =>
        hidden.logText().includes("started hidden, but no tray shows Sage: showing the window")
          ? true
          : undefined,
      15_000,
    );
    await waitUntil(
      "a visible window",
      () => xdotool("search", "--onlyvisible", "--name", "^Sage$") || undefined,
    );
  } finally {
    await hidden.stop();
  }
}, 60_000);
