/**
 * The tray icon in a real panel: Debian's xfce4-panel (its systray plugin is a StatusNotifierWatcher
 * and host) under Xvfb, with the compiled executable in window mode. Sage registers with it, the icon
 * appears in the panel's top-right corner (pixels of the icon's green that were not there before), and
 * the screenshot is saved for a person to look at: test-results/window/tray-xfce4-panel.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { DesktopStatus } from "../../src/shared/desktop.ts";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import { captureScreen, countPixels, hexColor, type Region, savePng } from "../support/screenshot.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

let screen: VirtualDisplay;
let panel: Bun.Subprocess | undefined;
let app: AppProcess | undefined;

beforeAll(async () => {
  if (!hasXvfb()) throw new Error("The window tests need Xvfb, xdotool and xwd");
  if (!Bun.which("xfce4-panel"))
    throw new Error("This test needs a tray panel: sudo apt install xfce4-panel");
  await ensureExecutable();
  screen = await startXvfb();
}, 180_000);

afterAll(async () => {
  await app?.stop();
  panel?.kill();
  await panel?.exited;
  await screen?.stop();
});

/** The panel's right end, where the systray plugin sits in Xfce's default layout. */
const trayArea = (): Region => ({ x: screen.width - 260, y: 0, width: 260, height: 30 });
/** The leaf of Sage's icon (src/desktop/assets/sage-icon.png). */
const LEAF = hexColor("#3f7a5c");

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
  app = spawnApp({ executable, env: { ...screen.env, WAYLAND_DISPLAY: undefined } });
  await app.waitForLock(30_000);
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
  const after = await waitUntil(
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
  savePng(after, join(REPO_ROOT, "test-results", "window", "tray-xfce4-panel.png"));
  expect(app.logText()).toContain("tray icon registered with the tray host");
}, 90_000);
