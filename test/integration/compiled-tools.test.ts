/**
 * The browser and web_fetch inside the compiled executable (dist/sage, built when stale): playwright-core
 * is bundled into the single file, so this checks that it still drives Chromium from there, in serve
 * mode (backend on the main thread, headless browser) and in window mode under Xvfb (backend in the
 * server worker, browser shown on the display). The tools are run through the "try it" API, which uses
 * the same per-agent services as turns. Stopping the app closes the browser. playwright-core and the
 * HTML libraries are cold packages (scripts/build-cold.ts): unpacked into `<data>/modules` on first use,
 * and an altered copy there is replaced, never run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, spawnApp } from "../support/app-process.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

interface RunResult {
  status: string;
  text: string;
  error?: string;
  details?: Record<string, unknown>;
  images: { mime: string; dataUrl: string; path?: string }[];
}

const pages = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () =>
    new Response(
      "<!doctype html><html><head><title>Compiled Check</title></head><body><h1>Hello from a local page</h1><button>Go</button></body></html>",
      { headers: { "content-type": "text/html; charset=utf-8" } },
    ),
});
const pageUrl = `http://127.0.0.1:${pages.port}/`;

let executable: string;
let screen: VirtualDisplay | undefined;
const launched: AppProcess[] = [];

beforeAll(async () => {
  executable = await ensureExecutable();
}, 300_000);
afterEach(async () => {
  for (const app of launched.splice(0)) await app.stop();
});
afterAll(async () => {
  await screen?.stop();
  pages.stop(true);
});

async function runTool(app: AppProcess, tool: string, input: unknown): Promise<RunResult> {
  const response = await app.api(`/api/tools/${tool}/run`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as RunResult;
}

/** Command lines of Chromium processes using this app's profile folder. */
function browserProcesses(dataDir: string): string[] {
  const result = Bun.spawnSync(["ps", "-eo", "args"], { stdout: "pipe" });
  return result.stdout
    .toString()
    .split("\n")
    .filter((line) => line.includes(`${dataDir}/browser-profiles/`) && line.includes("--user-data-dir"));
}

describe("compiled executable", () => {
  test("serve mode: browser_navigate drives a headless Chromium; web_fetch fetches; exit closes it", async () => {
    const app = spawnApp({
      executable,
      args: ["--serve", "--port", "0", "--no-open"],
      env: { SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE: "1", DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
    });
    launched.push(app);
    await app.waitForLock(20_000);

    const navigated = await runTool(app, "browser_navigate", { url: pageUrl });
    expect(navigated.error).toBeUndefined();
    expect(navigated.status).toBe("completed");
    expect(navigated.text).toContain("Hello from a local page");
    expect(navigated.text).toContain('button "Go"');
    expect(navigated.details?.title).toBe("Compiled Check");

    const shot = await runTool(app, "browser_screenshot", {});
    expect(shot.status).toBe("completed");
    expect(shot.images[0]?.dataUrl.startsWith("data:image/png;base64,iVBOR")).toBe(true);

    const fetched = await runTool(app, "web_fetch", { url: pageUrl });
    expect(fetched.status).toBe("completed");
    expect(fetched.text).toContain("# Hello from a local page");

    const running = browserProcesses(app.dataDir);
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((line) => line.includes("--headless"))).toBe(true);

    app.child.kill("SIGTERM");
    expect(await app.exited(20_000)).toBe(0);
    expect(browserProcesses(app.dataDir)).toEqual([]);
  }, 120_000);

  test("cold packages: unpacked once into <data>/modules; an altered copy is replaced, not run", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sage-cold-"));
    const modules = join(dataDir, "modules");
    const env = { SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE: "1", DISPLAY: undefined, WAYLAND_DISPLAY: undefined };
    try {
      const first = spawnApp({ executable, dataDir, args: ["--serve", "--port", "0", "--no-open"], env });
      launched.push(first);
      await first.waitForLock(20_000);
      expect(existsSync(modules)).toBe(false); // nothing unpacked before it is needed
      expect((await runTool(first, "web_fetch", { url: pageUrl })).text).toContain(
        "# Hello from a local page",
      );
      expect((await runTool(first, "browser_navigate", { url: pageUrl })).status).toBe("completed");
      const unpacked = readdirSync(modules).sort();
      expect(unpacked.map((name) => name.replace(/-[0-9a-f]{16}\.js$/, ""))).toEqual([
        "linkedom",
        "mozilla-readability",
        "parse5",
        "playwright-core",
        "turndown",
      ]);
      await first.stop();

      // An altered copy (what another process could leave there) is replaced before it is imported.
      const driver = join(modules, unpacked.find((name) => name.startsWith("playwright-core-")) as string);
      const original = readFileSync(driver);
      writeFileSync(driver, 'throw new Error("altered copy ran");\n');
      const second = spawnApp({ executable, dataDir, args: ["--serve", "--port", "0", "--no-open"], env });
      launched.push(second);
      await second.waitForLock(20_000);
      const navigated = await runTool(second, "browser_navigate", { url: pageUrl });
      expect(navigated.error).toBeUndefined();
      expect(navigated.text).toContain("Hello from a local page");
      expect(readFileSync(driver).equals(original)).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test("a modules folder that cannot be written: the tool says why; the app keeps working", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sage-cold-"));
    try {
      writeFileSync(join(dataDir, "modules"), "not a folder");
      const env = { SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE: "1", DISPLAY: undefined, WAYLAND_DISPLAY: undefined };
      const app = spawnApp({ executable, dataDir, args: ["--serve", "--port", "0", "--no-open"], env });
      launched.push(app);
      await app.waitForLock(20_000);
      const fetched = await runTool(app, "web_fetch", { url: pageUrl });
      expect(fetched.status).toBe("error");
      expect(`${fetched.error ?? ""} ${fetched.text}`).toContain(
        `could not be unpacked into ${join(dataDir, "modules")}`,
      );
      expect((await app.api("/api/health")).status).toBe(200);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  test("window mode (backend in the worker): the browser is headed on the display", async () => {
    if (!hasXvfb())
      throw new Error("This test needs Xvfb, xdotool and xwd: sudo apt install xvfb xdotool x11-apps");
    screen ??= await startXvfb();
    // The page is on 127.0.0.1: the browser, like web_fetch, needs the test override to open it.
    const app = spawnApp({
      executable,
      env: { ...screen.env, WAYLAND_DISPLAY: undefined, SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE: "1" },
    });
    launched.push(app);
    await app.waitForLock(30_000);

    const navigated = await runTool(app, "browser_navigate", { url: pageUrl });
    expect(navigated.error).toBeUndefined();
    expect(navigated.text).toContain("Hello from a local page");
    const running = browserProcesses(app.dataDir);
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((line) => line.includes("--headless"))).toBe(false);
  }, 120_000);
});
