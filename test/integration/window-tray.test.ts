/**
 * The tray icon of the real window app (compiled executable under Xvfb) with a fake tray host on the
 * display's session bus: Sage registers a StatusNotifierItem with the watcher; the host reads its
 * properties and dbusmenu; the menu's items act (New chat opens a new chat in the window, a waiting
 * chat is listed and opens, Quit quits cleanly); the status follows the turns (Active -> NeedsAttention
 * while a turn waits for an answer -> Active).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { desktopEntryPaths } from "../../src/desktop/desktop-entry.ts";
import type { DesktopStatus } from "../../src/shared/desktop.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import { FakeTrayHost } from "../fixtures/fake-desktop/tray-host.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import { captureScreen, savePng } from "../support/screenshot.ts";
import { TestSocket } from "../support/test-socket.ts";
import { sessionBusOf, startSeededWindow } from "../support/window-app.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

let screen: VirtualDisplay;
let host: FakeTrayHost;
let fake: FakeModel;
let app: AppProcess;

beforeAll(async () => {
  if (!hasXvfb()) throw new Error("The window tests need Xvfb, xdotool and xwd");
  const executable = await ensureExecutable();
  screen = await startXvfb();
  host = await FakeTrayHost.start(sessionBusOf(screen));
  fake = await startFakeModel({ apiKey: "test-key-0001" });
  app = await startSeededWindow(executable, screen, fake, "sage-tray-");
}, 180_000);

afterAll(async () => {
  await app?.stop();
  host?.stop();
  await fake?.stop();
  await screen?.stop();
});

async function json<T>(path: string, init?: { json?: unknown }): Promise<T> {
  const response = await app.api(path, {
    method: init?.json === undefined ? "GET" : "POST",
    headers: init?.json === undefined ? {} : { "content-type": "application/json" },
    body: init?.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return (await response.json()) as T;
}

test("the tray item registers, its menu acts, its status follows the turns, and Quit quits", async () => {
  const lock = await app.waitForLock(30_000);
  const item = await host.waitForItem();
  expect(item.service).toMatch(/^org\.kde\.StatusNotifierItem-\d+-1$/);
  expect(await host.properties(item)).toMatchObject({
    Id: "sage",
    Title: "Sage",
    Category: "ApplicationStatus",
    Status: "Active",
    IconName: expect.stringMatching(/(^sage|\/sage\.png)$/),
    Menu: "/MenuBar",
    ItemIsMenu: false,
  });
  expect((await host.menu(item)).map((entry) => entry.label ?? entry.type)).toEqual([
    "Open Sage",
    "New chat",
    "separator",
    "Pause scheduled work",
    "Quit",
  ]);
  expect((await json<DesktopStatus>("/api/app/desktop")).tray).toBe("shown");

  // Pause / resume scheduled work from the tray: the API (and the Tasks page) follow, and the menu shows
  // the way back.
  await host.click(item, "Pause scheduled work");
  await waitUntil("scheduled work paused", async () =>
    (await json<{ paused: boolean }>("/api/scheduled-tasks/status")).paused ? true : undefined,
  );
  expect((await host.menu(item)).map((entry) => entry.label ?? entry.type)).toContain(
    "Resume scheduled work",
  );
  await host.click(item, "Resume scheduled work");
  await waitUntil("scheduled work resumed", async () =>
    (await json<{ paused: boolean }>("/api/scheduled-tasks/status")).paused ? undefined : true,
  );

  // The first window launch offers the desktop entry once (a toast); accepting writes it.
  const entry = desktopEntryPaths(process.env).desktopFile;
  rmSync(entry, { force: true });
  await waitUntil("the offer shown", async () => {
    const state = await json<{ installed: boolean; offer: boolean }>("/api/app/desktop-entry");
    return state.offer === false && state.installed === false ? true : undefined;
  });
  await Bun.sleep(500);
  savePng(
    await captureScreen(screen.display),
    join(REPO_ROOT, "test-results", "window", "install-offer.png"),
  );
  expect(await json("/api/app/desktop-entry", { json: { action: "install" } })).toEqual({ installed: true });
  expect(existsSync(entry)).toBe(true);
  rmSync(entry, { force: true });

  const socket = await TestSocket.connect({ url: `http://127.0.0.1:${lock.port}`, token: lock.token });
  await host.click(item, "New chat");
  const opened = await socket.waitFor("app.open-session", undefined, 10_000);
  const created = await json<SessionSummary>(`/api/sessions/${opened.sessionId}`);
  await Bun.sleep(1000);
  savePng(
    await captureScreen(screen.display),
    join(REPO_ROOT, "test-results", "window", "tray-new-chat.png"),
  );
  expect(created.id).toBe(opened.sessionId);

  // A turn that waits for an answer: listed in the menu, the icon asks for attention.
  const session = await json<SessionSummary>("/api/sessions", { json: { title: "Trip plan" } });
  socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await socket.waitFor("subscribed", (event) => event.sessionId === session.id);
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
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "c_tray_1", text: "Ask me" });
  const asked = await socket.waitFor("question.asked", (event) => event.sessionId === session.id, 15_000);
  await waitUntil("the attention status", async () =>
    (await host.properties(item)).Status === "NeedsAttention" ? true : undefined,
  );
  const labels = (await host.menu(item)).map((entry) => entry.label ?? entry.type);
  expect(labels).toEqual([
    "Open Sage",
    "New chat",
    "separator",
    "⏸ Trip plan",
    "separator",
    "Pause scheduled work",
    "Quit",
  ]);
  expect(((await host.properties(item)).ToolTip as unknown[])[3]).toBe("1 waiting for you");
  savePng(await captureScreen(screen.display), join(REPO_ROOT, "test-results", "window", "tray-waiting.png"));

  await host.click(item, "⏸ Trip plan");
  const openedChat = await socket.waitFor(
    "app.open-session",
    (event) => event.sessionId === session.id,
    10_000,
  );
  expect(openedChat.sessionId).toBe(session.id);
  await Bun.sleep(1000);
  savePng(
    await captureScreen(screen.display),
    join(REPO_ROOT, "test-results", "window", "tray-open-chat.png"),
  );

  const done = socket.waitFor("turn.ended", (event) => event.sessionId === session.id, 15_000, true);
  socket.send({ type: "answer", sessionId: session.id, questionId: asked.questionId, answers: { n: "Ada" } });
  await done;
  await waitUntil("the active status again", async () =>
    (await host.properties(item)).Status === "Active" ? true : undefined,
  );
  expect((await host.menu(item)).map((entry) => entry.label ?? entry.type)).toEqual([
    "Open Sage",
    "New chat",
    "separator",
    "Pause scheduled work",
    "Quit",
  ]);
  socket.close();

  // "Keep running in the tray": closing the window (GTK's close-request) hides it; the tray brings it back.
  const visibleWindows = () =>
    Bun.spawnSync(["xdotool", "search", "--onlyvisible", "--name", "^Sage$"], {
      env: { ...process.env, DISPLAY: screen.display },
      stdout: "pipe",
    })
      .stdout.toString()
      .trim();
  expect(visibleWindows()).not.toBe("");
  const patched = await app.api("/api/settings", {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ closeToTray: true }),
  });
  expect(patched.status).toBe(200);
  await Bun.sleep(600); // the worker publishes the choice with its next heartbeat
  await json("/api/app/debug/close-window", { json: {} });
  await waitUntil("the window hidden", () => (visibleWindows() === "" ? true : undefined));
  expect((await app.api("/api/health")).status).toBe(200);
  expect(app.logText()).toContain("window closed: Sage keeps running in the tray");
  await host.click(item, "Open Sage");
  await waitUntil("the window shown again", () => (visibleWindows() !== "" ? true : undefined));

  await host.click(item, "Quit");
  expect(await app.exited(15_000)).toBe(0);
}, 120_000);

test("a hidden start (the autostart entry's --hidden) stays in the tray until Open Sage", async () => {
  const executable = await ensureExecutable();
  const dataDir = mkdtempSync(join(tmpdir(), "sage-tray-hidden-"));
  const hidden = spawnApp({
    executable,
    dataDir,
    args: ["--hidden"],
    env: { ...screen.env, WAYLAND_DISPLAY: undefined },
  });
  try {
    await hidden.waitForLock(30_000);
    await waitUntil("the hidden start logged", () =>
      hidden.logText().includes("started hidden in the tray") ? true : undefined,
    );
    const visible = () =>
      Bun.spawnSync(["xdotool", "search", "--onlyvisible", "--name", "^Sage$"], {
        env: { ...process.env, DISPLAY: screen.display },
        stdout: "pipe",
      })
        .stdout.toString()
        .trim();
    expect(visible()).toBe("");
    const item = host.items.at(-1);
    if (!item) throw new Error("no tray item");
    await host.click(item, "Open Sage");
    await waitUntil("the window shown", () => (visible() !== "" ? true : undefined));
    await host.click(item, "Quit");
    expect(await hidden.exited(15_000)).toBe(0);
  } finally {
    await hidden.stop();
  }
}, 60_000);
