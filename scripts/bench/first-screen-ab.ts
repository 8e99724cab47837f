/**
 * A/B of the long chat's last screen in the real window (webview under Xvfb) and in Chromium (serve
 * mode): seeds the 10,000-message session of scripts/bench/long-chat.ts once, then opens it with each
 * executable in turn, round after round (interleaved, so a busy machine weighs on both alike), and
 * prints per executable the median last screen and the median of each mark of the page's breakdown.
 *
 *   bun scripts/bench/first-screen-ab.ts --rounds N [--skip-chromium] [--skip-window] EXE_A EXE_B ...
 * An executable may carry URL parameters for the page, e.g. `dist/sage?variant=x` (an A/B of one build).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../test/support/chromium.ts";
import { startXvfb } from "../../test/support/xvfb.ts";
import { quitSage, startServe } from "./sage-process.ts";

type Marks = Record<string, number>;
interface Open {
  lastScreenMs: number;
  marks: Marks;
  /** The window only: CPU time of the app's whole process tree (webview processes included) at the report. */
  cpuMs?: number;
}

/** CPU time (user + system, ms) of `pid` and every process under it, from /proc (Linux). */
function treeCpuMs(pid: number): number {
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => {
      try {
        const fields = readFileSync(`/proc/${name}/stat`, "utf8")
          .replace(/^.*\) /, "")
          .split(" ");
        return { pid: Number(name), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
      } catch {
        return undefined;
      }
    })
    .filter((stat) => stat !== undefined);
  const inTree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats)
      if (!inTree.has(stat.pid) && inTree.has(stat.ppid)) {
        inTree.add(stat.pid);
        grew = true;
      }
  }
  const hz = 100;
  return Math.round(
    (stats.filter((s) => inTree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) * 1000) / hz,
  );
}

const args = process.argv.slice(2);
const valued = new Set(["--rounds"]);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const rounds = Number(flag("--rounds") ?? 9);
const executables = args
  .filter((a, i) => !a.startsWith("--") && !valued.has(args[i - 1] ?? ""))
  .map((a) => resolve(a));
const pathOf = (executable: string) => executable.split("?")[0] as string;
const queryOf = (executable: string) => (executable.includes("?") ? `&${executable.split("?")[1]}` : "");
if (executables.length === 0 || executables.some((e) => !existsSync(pathOf(e)))) {
  console.error("usage: first-screen-ab.ts [--rounds N] [--skip-chromium] [--skip-window] EXE...");
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-ab-"));
const seeded = Bun.spawnSync(
  [
    "bun",
    join(import.meta.dir, "long-chat.ts"),
    "--seed-only",
    dataDir,
    "--executable",
    pathOf(executables[0] as string),
  ],
  { stderr: "inherit" },
);
const sessionId = seeded.stdout.toString().trim().split("\n").pop() ?? "";

async function inWindow(executable: string): Promise<Open> {
  const display = await startXvfb();
  const log = join(dataDir, "logs", "sage.log");
  rmSync(log, { force: true });
  try {
    const child = Bun.spawn([pathOf(executable), "--data-dir", dataDir], {
      env: {
        ...process.env,
        ...display.env,
        WAYLAND_DISPLAY: "",
        SAGE_TEST_HOOKS: "1",
        SAGE_START_PATH: `/s/${sessionId}?bench=long-chat&scroll=0${queryOf(executable)}`,
      },
      stdout: "ignore",
      stderr: "ignore",
    });
    let line: string | undefined;
    const deadline = Date.now() + 120_000;
    while (!line && Date.now() < deadline) {
      await Bun.sleep(50);
      line = existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .find((l) => l.includes(" bench long-chat "))
        : undefined;
    }
    const cpuMs = treeCpuMs(child.pid);
    await quitSage(dataDir).catch(() => {});
    await child.exited;
    if (!line) throw new Error("the webview never reported");
    return {
      ...(JSON.parse(line.slice(line.indexOf(" bench long-chat ") + " bench long-chat ".length)) as Open),
      cpuMs,
    };
  } finally {
    await display.stop();
  }
}

/** One serve process and browser per executable and round; a warm-up open, then one measured open. */
async function inChromium(executable: string): Promise<Open> {
  const served = await startServe(pathOf(executable), dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${served.base}/?token=${served.token}`);
    let result: Open = { lastScreenMs: 0, marks: {} };
    for (let i = 0; i < 2; i++) {
      const reported = page.waitForRequest((r) => r.url().endsWith("/api/app/debug/report"), {
        timeout: 60_000,
      });
      await page.goto(`${served.base}/s/${sessionId}?bench=long-chat&scroll=0${queryOf(executable)}`);
      result = (JSON.parse((await reported).postData() ?? "{}") as { data: Open }).data;
    }
    return result;
  } finally {
    await browser.close();
    await served.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const results = new Map<string, Open[]>();
const engines = [
  ...(args.includes("--skip-window") ? [] : [["window", inWindow] as const]),
  ...(args.includes("--skip-chromium") ? [] : [["chromium", inChromium] as const]),
];
for (let round = 0; round < rounds; round++)
  for (const [engine, open] of engines)
    for (const executable of round % 2 ? [...executables].reverse() : executables) {
      const key = `${engine} ${executable}`;
      const result = await open(executable);
      results.set(key, [...(results.get(key) ?? []), result]);
      console.log(
        `round ${round} ${key}: ${result.lastScreenMs} ms${result.cpuMs ? ` (cpu ${result.cpuMs} ms)` : ""}`,
      );
    }
rmSync(dataDir, { recursive: true, force: true });

for (const [key, opens] of results) {
  const marks = opens.map((o) => o.marks ?? {});
  const names = [...new Set(marks.flatMap((m) => Object.keys(m)))].sort(
    (a, b) => median(marks.map((m) => m[a] ?? 0)) - median(marks.map((m) => m[b] ?? 0)),
  );
  console.log(
    `\n${key}: median ${median(opens.map((o) => o.lastScreenMs))} ms over ${opens.length} (${opens.map((o) => o.lastScreenMs).join(", ")})${opens[0]?.cpuMs ? `; process tree CPU median ${median(opens.map((o) => o.cpuMs ?? 0))} ms` : ""}`,
  );
  console.log(`  ${names.map((n) => `${n} ${median(marks.map((m) => m[n] ?? 0))}`).join(" · ")}`);
  // Per open, then the median: the rows' own frames, apart from the app's start before them.
  const rowsFrames = marks.filter((m) => m["rows-placed"] !== undefined && m["last-screen"] !== undefined);
  if (rowsFrames.length > 0)
    console.log(
      `  rows placed → last screen: median ${median(rowsFrames.map((m) => (m["last-screen"] as number) - (m["rows-placed"] as number)))} ms`,
    );
}
