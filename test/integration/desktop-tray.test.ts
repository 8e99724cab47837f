/**
 * The tray icon's state on a private D-Bus session bus with a fake tray host (a StatusNotifierWatcher
 * that records registrations and reads the item as a panel does), the backend in-process in window
 * mode, real turns against the fake model: the icon is the app icon while nothing runs, badged
 * "working" while a turn runs, badged "waiting for you" (also the attention icon, status
 * NeedsAttention) while a turn waits for an answer, and back; each change is announced with NewIcon.
 * The state icons are installed into the user's icon theme and `sage --uninstall` removes them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { desktopEntryPaths, uninstallDesktopEntry } from "../../src/desktop/desktop-entry.ts";
import { type PrivateBus, startPrivateBus } from "../fixtures/fake-desktop/private-bus.ts";
import { FakeTrayHost, type RegisteredItem } from "../fixtures/fake-desktop/tray-host.ts";
import { waitUntil } from "../support/app-process.ts";
import { useBackend } from "../support/backend.ts";
import { openSession, submit } from "../support/session-steps.ts";

const ASSETS = join(import.meta.dir, "..", "..", "src", "desktop", "assets");
let bus: PrivateBus;
let host: FakeTrayHost;
let item: RegisteredItem;
let signals: string[];
const home = mkdtempSync(join(tmpdir(), "sage-tray-home-"));
const env = {
  HOME: home,
  XDG_DATA_HOME: join(home, "data"),
  XDG_CONFIG_HOME: join(home, "config"),
  LANG: "en_US.UTF-8",
};

beforeAll(async () => {
  bus = await startPrivateBus();
  host = await FakeTrayHost.start(bus.address);
});
const app = useBackend(() => ({
  env: { ...env, DBUS_SESSION_BUS_ADDRESS: bus.address },
  shell: { kind: "window", activate: () => true, quit: () => {} },
}));
beforeAll(async () => {
  await app().running.desktop.ready;
  item = await host.waitForItem();
  signals = await host.watchSignals(item);
});

afterAll(async () => {
  host?.stop();
  await bus?.stop();
  rmSync(home, { recursive: true, force: true });
});

const icons = async () => {
  const properties = await host.properties(item);
  return {
    status: properties.Status as string,
    icon: properties.IconName as string,
    attention: properties.AttentionIconName as string,
  };
};

/** Wait until the item shows `file` as its icon. */
const iconBecomes = (file: string) =>
  waitUntil(`the tray icon ${file}`, async () =>
    (await icons()).icon.endsWith(`/${file}`) ? true : undefined,
  );

describe("the tray icon shows what Sage is doing", () => {
  test("the state icons are installed in the user's theme as the assets' bytes", async () => {
    const iconDir = join(env.XDG_DATA_HOME, "icons", "hicolor", "256x256", "apps");
    expect(await icons()).toEqual({
      status: "Active",
      icon: join(iconDir, "sage.png"),
      attention: join(iconDir, "sage-waiting.png"),
    });
    for (const [installed, asset] of [
      ["sage.png", "sage-icon.png"],
      ["sage-running.png", "sage-running.png"],
      ["sage-waiting.png", "sage-waiting.png"],
    ] as const)
      expect(readFileSync(join(iconDir, installed)).equals(readFileSync(join(ASSETS, asset)))).toBe(true);
    // The PNG signature: the badged icons are real images, not the SVG sources.
    expect(readFileSync(join(iconDir, "sage-running.png")).subarray(1, 4).toString()).toBe("PNG");
  });

  test("badged while a turn runs, back to the app icon when it ends", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ text: "one two three four five six seven eight", tokenDelayMs: 150 });
    signals.length = 0;
    const started = await submit(session, "Work slowly");
    await iconBecomes("sage-running.png");
    expect((await icons()).status).toBe("Active");
    expect(signals).toContain("NewIcon");
    expect(((await host.properties(item)).ToolTip as unknown[])[3]).toBe("1 running");
    expect((await host.menu(item)).map((entry) => entry.label)).toContain("▶ Test");

    await session.socket.waitFor("turn.ended", (event) => event.turnId === started.turnId, 15_000);
    await iconBecomes("sage.png");
    expect(signals.filter((member) => member === "NewIcon")).toHaveLength(2);
    session.socket.close();
  });

  test("a turn waiting for an answer: the waiting badge and the attention status, until answered", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
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
    signals.length = 0;
    const started = await submit(session, "Ask me");
    const asked = await session.socket.waitFor("question.asked");
    await iconBecomes("sage-waiting.png");
    expect(await icons()).toMatchObject({ status: "NeedsAttention" });
    expect((await icons()).attention).toEndWith("/sage-waiting.png");
    expect(signals).toContain("NewAttentionIcon");
    expect(signals).toContain("NewStatus");

    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: asked.questionId,
      answers: { n: "Ada" },
    });
    await session.socket.waitFor("turn.ended", (event) => event.turnId === started.turnId, 15_000);
    await iconBecomes("sage.png");
    expect((await icons()).status).toBe("Active");
    session.socket.close();
  });

  test("sage --uninstall removes the state icons with the rest", () => {
    const paths = desktopEntryPaths(env);
    expect(paths.trayIcons.every((file) => existsSync(file))).toBe(true);
    const removed = uninstallDesktopEntry(env);
    expect(removed).toEqual(expect.arrayContaining([paths.icon, ...paths.trayIcons]));
    expect([paths.icon, ...paths.trayIcons].some((file) => existsSync(file))).toBe(false);
  });
});
