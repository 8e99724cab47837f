/**
 * Window start-up benchmark: the compiled executable in window mode, on a private Xvfb display with its
 * own session bus (test/support/xvfb.ts), a fresh data dir per run.
 *
 *   bun scripts/bench/window.ts [--runs N] [--executable PATH]
 *
 * "Usable" means the UI is drawn and its socket is connected, i.e. what the user sees: the sidebar is
 * painted and the connection dot has turned "connected" green. It is measured from outside, with no
 * help from the app: screenshots (`xwd -root`, only the sidebar's corner decoded) are taken back to
 * back from spawn on; the first one showing the connected dot gives the time. Each screenshot is stamped
 * with the moment it started, so a figure is an upper bound, too late by at most one capture interval
 * (printed as "resolution"). Screenshots cost CPU that the app also wants (2 cores), which makes the
 * figures slightly pessimistic. Also reported: when the window is first mapped (xdotool) and when the
 * app logs "window open" (server up, page navigating).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { captureScreen, countPixels, themeColor } from "../../test/support/screenshot.ts";
import { startXvfb, type VirtualDisplay } from "../../test/support/xvfb.ts";
import { quitSage } from "./sage-process.ts";

const root = resolve(import.meta.dir, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(flag("--runs") ?? 10);
const executable = resolve(flag("--executable") ?? join(root, "dist", "sage"));

/** Theme colours (light): the "connected" dot and the sidebar panel. */
const CONNECTED = themeColor("ok");
const PANEL = themeColor("panel");

if (!existsSync(executable)) {
  console.error(`${executable} is missing: build it first (bun run build).`);
  process.exit(1);
}

interface Run {
  windowMs: number;
  openLoggedMs: number;
  usableMs: number;
  resolutionMs: number;
}

function windowMapped(display: VirtualDisplay): boolean {
  const result = Bun.spawnSync(["xdotool", "search", "--onlyvisible", "--name", "^Sage$"], {
    env: { ...process.env, ...display.env },
    stdout: "pipe",
    stderr: "ignore",
  });
  return result.stdout.toString().trim().length > 0;
}

async function measure(display: VirtualDisplay): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-window-"));
  const spawnedAtWall = Date.now();
  const started = performance.now();
  const child = Bun.spawn([executable, "--data-dir", dataDir], {
    env: { ...process.env, ...display.env, WAYLAND_DISPLAY: "" },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    let windowMs = Number.NaN;
    let usableMs = Number.NaN;
    let previousShot = started;
    let slowestGap = 0;
    const corner = { x: 0, y: display.height - 200, width: 260, height: 200 };
    while (performance.now() - started < 30_000) {
      if (child.exitCode !== null) throw new Error(`sage exited with ${child.exitCode}`);
      const shotAt = performance.now();
      slowestGap = Math.max(slowestGap, shotAt - previousShot);
      previousShot = shotAt;
      if (Number.isNaN(windowMs) && windowMapped(display)) windowMs = shotAt - started;
      const image = await captureScreen(display.display, corner);
      const connected = countPixels(image, CONNECTED, 16) > 15 && countPixels(image, PANEL, 4) > 5000;
      if (connected) {
        usableMs = shotAt - started;
        break;
      }
    }
    if (Number.isNaN(usableMs)) throw new Error("the UI did not show a connected socket within 30 s");
    const log = readFileSync(join(dataDir, "logs", "sage.log"), "utf8");
    const openStamp = /^(\S+) INFO window open on port/m.exec(log)?.[1];
    const openLoggedMs = openStamp ? Date.parse(openStamp) - spawnedAtWall : Number.NaN;
    await quitSage(dataDir);
    const code = await child.exited;
    if (code !== 0) throw new Error(`sage exited with ${code} after quit`);
    return { windowMs, openLoggedMs, usableMs, resolutionMs: slowestGap };
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await child.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function stats(values: number[]) {
  const sorted = [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { median: at(0.5), p90: at(0.9), min: sorted[0] as number, max: sorted.at(-1) as number };
}

const display = await startXvfb();
try {
  await measure(display); // warm-up: font and shader caches, page cache of the executable
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure(display));

  const row = (label: string, values: number[]) => {
    const s = stats(values);
    const cells = [s.median, s.p90, s.min, s.max].map((v) => `${v.toFixed(0).padStart(7)} ms`);
    return `${label.padEnd(34)}${cells.join("")}`;
  };
  console.log(`\nSage window start-up: ${executable}, ${runs} runs, fresh data dir each (from spawn)\n`);
  console.log(`${"".padEnd(34)}${["median", "p90", "min", "max"].map((h) => h.padStart(10)).join("")}`);
  console.log(
    row(
      "window mapped (xdotool)",
      results.map((r) => r.windowMs),
    ),
  );
  console.log(
    row(
      '"window open" logged (server up)',
      results.map((r) => r.openLoggedMs),
    ),
  );
  console.log(
    row(
      "UI drawn + socket connected",
      results.map((r) => r.usableMs),
    ),
  );
  console.log(
    `\nresolution: screenshots every ${stats(results.map((r) => r.resolutionMs)).median.toFixed(0)} ms ` +
      "(median of each run's slowest gap); figures are upper bounds by at most that much.",
  );
} finally {
  await display.stop();
}
