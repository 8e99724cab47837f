/**
 * First launch on a brand-new account: the compiled executable with an empty HOME, no XDG_*, no
 * SAGE_HOME and no --data-dir (every other suite passes --data-dir, which hid that the default folders
 * were never created before the single-instance lock). It must create its folders private (0700) and
 * serve the UI. The window-mode variant is in window.test.ts (it needs the Xvfb display there).
 *
 * Also here: what `dist/sage` says on such an account without a display, where it falls back to serve
 * mode: it blames the missing display (not the installed libraries), says no browser was opened, and
 * prints a URL that works.
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type AppProcess,
  defaultFolderModes,
  PRIVATE_DEFAULT_FOLDERS,
  spawnApp,
} from "../support/app-process.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";
import { openLaunchUrl } from "../support/launch-url.ts";

const URL_LINE = /Open this URL[^\n]*\n\s+(http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+)/;

let executable: string;
const launched: AppProcess[] = [];

beforeAll(async () => {
  executable = await ensureExecutable();
}, 180_000);

afterEach(async () => {
  for (const app of launched.splice(0)) await app.stop();
});

function launchOnFreshHome(args: string[], env: Record<string, string | undefined> = {}): AppProcess {
  const app = spawnApp({ executable, freshHome: true, args, env });
  launched.push(app);
  return app;
}

/** The printed URL serves the UI's HTML, and the API answers with its token. */
async function expectUiAt(url: string): Promise<Record<string, unknown>> {
  const opened = await openLaunchUrl(url);
  expect(opened.status).toBe(200);
  expect(opened.contentType).toContain("text/html");
  expect(opened.html).toContain('<div id="root"');
  expect(opened.healthStatus).toBe(200);
  return opened.health ?? {};
}

describe("the compiled executable on a brand-new account (empty HOME)", () => {
  test("--serve creates its folders 0700 and serves the UI at the printed URL", async () => {
    const app = launchOnFreshHome(["--serve", "--no-open", "--port", "0"]);
    const [, url] = await app.waitForOutput(URL_LINE, 30_000);
    const home = app.home as string;
    expect(app.output()).not.toContain("could not start");

    const health = await expectUiAt(url as string);
    expect(health).toMatchObject({ status: "ok", mode: "serve", dataDir: join(home, ".local/share/sage") });
    expect(defaultFolderModes(home)).toEqual(PRIVATE_DEFAULT_FOLDERS);
    expect(existsSync(join(home, ".local/share/sage/sage.lock"))).toBe(true);
    expect(existsSync(join(home, ".local/share/sage/sage.db"))).toBe(true);
    expect(existsSync(join(home, ".local/state/sage/logs/sage.log"))).toBe(true);

    app.child.kill("SIGTERM");
    expect(await app.exited()).toBe(0);
    expect(existsSync(join(home, ".local/share/sage/sage.lock"))).toBe(false);
  }, 60_000);

  test("without a display, `sage` says there is no display (not missing libraries), that no browser opened, and prints a URL that works", async () => {
    const app = launchOnFreshHome([], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    const [, url, port] = await app.waitForOutput(URL_LINE, 30_000);
    await app.waitForOutput(/No browser was opened/);
    const output = app.output();

    expect(output).toContain("Sage could not open its window: no display was found");
    // The webview libraries are installed on this machine (the window tests use them): not blamed.
    expect(output).not.toContain("not installed");
    expect(output).not.toContain("apt install");
    expect(output).toContain("The webview libraries are installed");
    expect(output).not.toContain("in your browser instead");
    expect(output).toContain("No browser was opened: there is no display here.");
    expect(output).toContain(`ssh -L ${port}:127.0.0.1:${port}`);
    expect(app.logText()).toContain("window unavailable, serving instead");

    const health = await expectUiAt(url as string);
    expect(health.mode).toBe("serve");
    expect(defaultFolderModes(app.home as string)).toEqual(PRIVATE_DEFAULT_FOLDERS);

    app.child.kill("SIGTERM");
    expect(await app.exited()).toBe(0);
  }, 60_000);
});
