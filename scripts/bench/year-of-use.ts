/**
 * A year of use (issue 19, part 4): the compiled executable on a data folder seeded like a heavy user's
 * year (scripts/bench/year-of-use-seed.ts: 10,000 sessions, ~1,000,000 events and parts, one session of
 * 10,000 messages, 200 skills, 50 agents, a 2 GB workspace of sparse files), against an empty folder.
 *
 *   bun scripts/bench/year-of-use.ts [--scale 1] [--growth 1000,10000] [--executable PATH] [--keep DIR]
 *
 * `--keep DIR` seeds into DIR and leaves it there; when DIR already holds a database, it is measured
 * as it is (no seeding: quicker repeated runs).
 *
 * `--scale` multiplies the sessions, skills, agents and workspace (0.1 for a quick run); `--growth`
 * lists session counts for the growth table (each seeded fresh, without the long session; 100000 takes
 * a while). Figures, each against its target:
 * - start to the first HTTP 200 of /api/health, median of 5 (after one unmeasured start): no worse
 *   than the empty folder by more than 20 ms;
 * - the sidebar's first page (GET /api/sessions?limit=50): first call after start, then p50 / p95 of
 *   30: <= 50 ms;
 * - full-text search (GET /api/sessions/search) over common, rare, prefix and two-word queries: p95
 *   <= 100 ms;
 * - opening the 10,000-message session (GET the session + its newest page of messages): median;
 * - idle RSS after 5 s: within 10 MiB of the empty folder;
 * - database size per 1,000 messages;
 * - how start, sidebar, search and RSS grow from 1k to 10k (to 100k) sessions.
 */

import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../free-port.ts";
import { type SeedResult, seedYearOfUse } from "./year-of-use-seed.ts";

const root = resolve(import.meta.dir, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const scale = Number(flag("--scale") ?? 1);
const growth = (flag("--growth") ?? "1000,10000").split(",").filter(Boolean).map(Number);
const executable = resolve(flag("--executable") ?? join(root, "dist", "sage"));
const keep = flag("--keep");
if (!existsSync(executable)) {
  console.error(`${executable} is missing: build it first (bun run build).`);
  process.exit(1);
}
if (!Number.isFinite(scale) || scale <= 0 || growth.some((n) => !Number.isInteger(n) || n <= 0)) {
  console.error("--scale needs a positive number and --growth positive integers (e.g. 1000,10000)");
  process.exit(1);
}

const SEARCHES = ["the", "deploy pipeline", "quokka42", "conf", "function test", "kaloster", "error build"];

interface Running {
  child: Bun.Subprocess;
  startMs: number;
  get(path: string): Promise<{ ms: number; body: unknown }>;
  stop(): Promise<void>;
}

async function launch(dataDir: string): Promise<Running> {
  const port = freePort();
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}` };
  const env: Record<string, string | undefined> = {
    ...process.env,
    SAGE_DEV_TOKEN: token,
    DISPLAY: "",
    WAYLAND_DISPLAY: "",
  };
  delete env.DBUS_SESSION_BUS_ADDRESS; // keys (none here) would go to the encrypted file
  const started = performance.now();
  const child = Bun.spawn(
    [executable, "--serve", "--port", String(port), "--no-open", "--data-dir", dataDir],
    { env, stdin: "ignore", stdout: "ignore", stderr: "ignore" },
  );
  for (;;) {
    try {
      const response = await fetch(`${base}/api/health`, { headers });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      if (child.exitCode !== null) throw new Error(`sage exited with ${child.exitCode} before answering`);
      if (performance.now() - started > 120_000) throw new Error("no answer within 120 s");
      await Bun.sleep(2);
    }
  }
  const startMs = performance.now() - started;
  return {
    child,
    startMs,
    async get(path) {
      const at = performance.now();
      const response = await fetch(`${base}${path}`, { headers });
      const body = (await response.json()) as unknown;
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - at, body };
    },
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
    },
  };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

interface Figures {
  startMs: number;
  sidebarFirstMs: number;
  sidebarP50: number;
  sidebarP95: number;
  searchP50: number;
  searchP95: number;
  searchWorst: string;
  rssMiB: number;
}

/** Start (median of 5 after a warm-up start), sidebar, search and idle RSS on one data dir. */
async function measure(dataDir: string, searches: boolean): Promise<Figures> {
  await (await launch(dataDir)).stop(); // the first start after seeding checks the whole file
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const app = await launch(dataDir);
    starts.push(app.startMs);
    await app.stop();
  }
  const app = await launch(dataDir);
  try {
    const first = await app.get("/api/sessions?limit=50");
    const sidebar: number[] = [];
    for (let i = 0; i < 30; i++) sidebar.push((await app.get("/api/sessions?limit=50")).ms);
    const search: number[] = [];
    let worst = { ms: 0, query: "" };
    if (searches) {
      for (let round = 0; round < 5; round++) {
        for (const query of SEARCHES) {
          const { ms: took } = await app.get(`/api/sessions/search?q=${encodeURIComponent(query)}`);
          search.push(took);
          if (took > worst.ms) worst = { ms: took, query };
        }
      }
    }
    await Bun.sleep(5000);
    return {
      startMs: percentile(starts, 50),
      sidebarFirstMs: first.ms,
      sidebarP50: percentile(sidebar, 50),
      sidebarP95: percentile(sidebar, 95),
      searchP50: searches ? percentile(search, 50) : Number.NaN,
      searchP95: searches ? percentile(search, 95) : Number.NaN,
      searchWorst: searches ? `"${worst.query}" ${ms(worst.ms)}` : "",
      rssMiB: rssMiB(app.child.pid),
    };
  } finally {
    await app.stop();
  }
}

/** Open the long session as the UI does: the session, then its newest page of messages. */
async function openLongSession(dataDir: string, sessionId: string): Promise<number[]> {
  const app = await launch(dataDir);
  try {
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const at = performance.now();
      await app.get(`/api/sessions/${sessionId}`);
      await app.get(`/api/sessions/${sessionId}/messages?limit=80`);
      times.push(performance.now() - at);
    }
    return times;
  } finally {
    await app.stop();
  }
}

function growthKind(values: number[]): string {
  const first = values[0] as number;
  const last = values.at(-1) as number;
  const factor = last / Math.max(first, 0.001);
  const decades = Math.log10((growth.at(-1) as number) / (growth[0] as number));
  const perDecade = factor ** (1 / Math.max(decades, 1));
  if (perDecade < 1.3) return "flat";
  if (perDecade < 4) return "logarithmic-ish (sub-linear)";
  return "linear";
}

const dirs: string[] = [];
const temp = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `sage-year-${name}-`));
  dirs.push(dir);
  return dir;
};

try {
  const sessions = Math.round(10_000 * scale);
  const yearDir = keep ? resolve(keep) : temp("full");
  let seeded: SeedResult;
  if (existsSync(join(yearDir, "sage.db"))) {
    const db = new Database(join(yearDir, "sage.db"), { readonly: true });
    const count = (table: string) =>
      (db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const long = db.query("SELECT id FROM sessions WHERE title = 'A very long session'").get() as {
      id: string;
    } | null;
    seeded = {
      messages: count("messages"),
      parts: count("parts"),
      events: count("events"),
      longSessionId: long?.id,
      seconds: 0,
    };
    db.close();
    console.log(`measuring the existing data in ${yearDir}`);
  } else {
    console.log(`seeding ${sessions} sessions (scale ${scale}) into ${yearDir} ...`);
    seeded = seedYearOfUse(yearDir, {
      sessions,
      skills: Math.round(200 * scale),
      agents: Math.max(1, Math.round(50 * scale)),
      workspaceBytes: Math.round(2 * 1024 ** 3 * scale),
      longSession: 10_000,
    });
  }
  const dbBytes = statSync(join(yearDir, "sage.db")).size;
  console.log(
    `seeded in ${seeded.seconds.toFixed(1)} s: ${seeded.messages} messages, ${seeded.parts} parts, ${seeded.events} events ` +
      `(${seeded.parts + seeded.events} events+parts); database ${(dbBytes / 1024 ** 2).toFixed(0)} MiB`,
  );

  const empty = await measure(temp("empty"), false);
  const year = await measure(yearDir, true);
  const open = await openLongSession(yearDir, seeded.longSessionId as string);

  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  console.log(`\nA year of use (${sessions} sessions) vs an empty folder, ${executable}\n`);
  console.log(
    `start -> first 200:      ${ms(year.startMs)} vs ${ms(empty.startMs)} empty (+${ms(year.startMs - empty.startMs)}; target <= +20 ms: ${verdict(year.startMs - empty.startMs <= 20)})`,
  );
  console.log(
    `sidebar first page:      first call ${ms(year.sidebarFirstMs)}, p50 ${ms(year.sidebarP50)}, p95 ${ms(year.sidebarP95)} (target <= 50 ms: ${verdict(year.sidebarFirstMs <= 50 && year.sidebarP95 <= 50)})`,
  );
  console.log(
    `full-text search:        p50 ${ms(year.searchP50)}, p95 ${ms(year.searchP95)}, slowest ${year.searchWorst} (target p95 <= 100 ms: ${verdict(year.searchP95 <= 100)})`,
  );
  console.log(
    `open 10,000-msg session: median ${ms(percentile(open, 50))} (session + newest 80 messages; first ${ms(open[0] as number)})`,
  );
  console.log(
    `idle RSS:                ${year.rssMiB.toFixed(1)} MiB vs ${empty.rssMiB.toFixed(1)} MiB empty (target within 10 MiB: ${verdict(year.rssMiB - empty.rssMiB <= 10)})`,
  );
  console.log(
    `database per 1,000 msgs: ${(((dbBytes / seeded.messages) * 1000) / 1024 ** 2).toFixed(2)} MiB (${(dbBytes / 1024 ** 2).toFixed(0)} MiB for ${seeded.messages} messages, events and full-text index included)`,
  );

  if (growth.length > 1) {
    const rows: { sessions: number; figures: Figures; dbMiB: number }[] = [];
    for (const count of growth) {
      const dir = count === sessions ? yearDir : temp(`growth-${count}`);
      if (count !== sessions) {
        console.log(`seeding ${count} sessions for the growth table ...`);
        seedYearOfUse(dir, { sessions: count, skills: 20, agents: 5, workspaceBytes: 0, longSession: 0 }, 7);
      }
      const figures = count === sessions ? year : await measure(dir, true);
      rows.push({ sessions: count, figures, dbMiB: statSync(join(dir, "sage.db")).size / 1024 ** 2 });
    }
    console.log(
      `\nGrowth                    ${rows.map((row) => `${row.sessions} sessions`.padStart(16)).join("")}   kind`,
    );
    const line = (label: string, pick: (figures: Figures) => number, unit: string) =>
      console.log(
        `${label.padEnd(26)}${rows.map((row) => `${pick(row.figures).toFixed(1)} ${unit}`.padStart(16)).join("")}   ${growthKind(rows.map((row) => pick(row.figures)))}`,
      );
    line("start -> first 200", (f) => f.startMs, "ms");
    line("sidebar first page p50", (f) => f.sidebarP50, "ms");
    line("search p95", (f) => f.searchP95, "ms");
    line("idle RSS", (f) => f.rssMiB, "MiB");
    console.log(
      `${"database size".padEnd(26)}${rows.map((row) => `${row.dbMiB.toFixed(0)} MiB`.padStart(16)).join("")}   linear (by design: it holds the history)`,
    );
  }
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
