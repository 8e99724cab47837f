/**
 * A start that fails in window mode (a double-click has no terminal): the compiled executable under a
 * private Xvfb display, on a damaged database. The window shows why and what to do instead of closing
 * at once; the terminal says it too; closing exits 65 and the file is left byte-identical.
 * The screenshot lands in test-results/window/start-failure.png for a person to look at.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import { sha256, writeGarbagePages } from "../support/damage.ts";
import { captureScreen, countPixels, savePng } from "../support/screenshot.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

let executable: string;
let screen: VirtualDisplay;
const dataDir = mkdtempSync(join(tmpdir(), "sage-window-fail-"));
const apps: AppProcess[] = [];

beforeAll(async () => {
  if (!hasXvfb())
    throw new Error("This test needs Xvfb, xdotool and xwd: sudo apt install xvfb xdotool x11-apps");
  executable = await ensureExecutable();
  screen = await startXvfb();
}, 180_000);
afterAll(async () => {
  for (const app of apps) await app.stop();
  await screen?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function windowNamed(name: string): string[] {
  const result = Bun.spawnSync(["xdotool", "search", "--onlyvisible", "--name", name], {
    env: { ...process.env, DISPLAY: screen.display },
    stdout: "pipe",
    stderr: "ignore",
  });
  return result.stdout.toString().trim().split("\n").filter(Boolean);
}

/**
 * The start-failure window is up and its page drawn: the light background fills most of the screen, with
 * dark text on it (a tight tolerance: the black screen around the window would pass a loose one as
 * text). The screenshot lands in test-results/window/`shot` for a person to look at.
 */
async function startFailureShown(shot: string): Promise<void> {
  await waitUntil("the start-failure window", () => {
    const ids = windowNamed("^Sage could not start$");
    return ids.length > 0 ? ids : undefined;
  });
  const image = await waitUntil(
    "the start-failure page drawn",
    async () => {
      const screenshot = await captureScreen(screen.display);
      const background = countPixels(screenshot, { r: 0xf6, g: 0xf7, b: 0xf6 }, 3);
      const text = countPixels(screenshot, { r: 0x1d, g: 0x26, b: 0x21 }, 12);
      return background > 100_000 && text > 500 ? screenshot : undefined;
    },
    20_000,
    250,
  );
  savePng(image, join(REPO_ROOT, "test-results", "window", shot));
}

test("a damaged database in window mode: the window says why, the terminal too, exit 65, file unchanged", async () => {
  // A real database made by Sage, then damaged.
  const seed = spawnApp({ executable, args: ["--serve", "--no-open"], dataDir, env: { DISPLAY: "" } });
  apps.push(seed);
  await seed.waitForLock(30_000);
  seed.child.kill("SIGTERM");
  expect(await seed.exited(15_000)).toBe(0);
  const database = join(dataDir, "sage.db");
  writeGarbagePages(database, [4, 5, 6, 7, 8]);
  const before = sha256(database);

  const app = spawnApp({
    executable,
    dataDir,
    env: { ...screen.env, WAYLAND_DISPLAY: undefined },
  });
  apps.push(app);
  await app.waitForOutput(/is damaged/, 30_000);
  expect(app.output()).toContain(`The database ${database} is damaged`);
  await startFailureShown("start-failure.png");
  expect(app.child.exitCode).toBeNull(); // it waits for the user to read and close it

  app.child.kill("SIGTERM");
  expect(await app.exited(15_000)).toBe(65);
  expect(sha256(database)).toBe(before);
  expect(existsSync(`${database}-wal`)).toBe(false);
  expect(existsSync(`${database}-shm`)).toBe(false);
  expect(existsSync(join(dataDir, "sage.lock"))).toBe(false);
}, 120_000);

test("a Sage that holds the data folder but does not answer: a double-click shows why in a window, the lock is kept", async () => {
  // Another "Sage" (a live process started before its lock) that never answers on its port.
  const holder = Bun.spawn(["sleep", "120"], { stdout: "ignore", stderr: "ignore" });
  const busyDir = mkdtempSync(join(tmpdir(), "sage-window-busy-"));
  try {
    const lockText = JSON.stringify({
      pid: holder.pid,
      mode: "window",
      port: null,
      host: null,
      token: null,
      startedAt: Date.now(),
    });
    writeFileSync(join(busyDir, "sage.lock"), lockText);
    const app = spawnApp({
      executable,
      dataDir: busyDir,
      env: { ...screen.env, WAYLAND_DISPLAY: undefined },
    });
    apps.push(app);
    await app.waitForOutput(/does not answer/, 30_000);
    expect(app.output()).toContain(`Another Sage (pid ${holder.pid}) is using this data folder`);
    await startFailureShown("start-failure-busy.png");
    expect(app.child.exitCode).toBeNull(); // it waits for the user to read and close it
    app.child.kill("SIGTERM");
    expect(await app.exited(15_000)).toBe(1);
    // The holder's lock is untouched: nothing took its data folder over.
    expect(readFileSync(join(busyDir, "sage.lock"), "utf8")).toBe(lockText);
  } finally {
    holder.kill(9);
    await holder.exited;
    rmSync(busyDir, { recursive: true, force: true });
  }
}, 120_000);
