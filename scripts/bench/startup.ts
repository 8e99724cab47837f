/**
 * Start-up benchmark of the compiled executable in serve mode.
 *
 *   bun scripts/bench/startup.ts [--runs N] [--executable PATH]
 *
 * Cold start: `dist/sage --serve --port P --no-open --data-dir <fresh temp dir>` — the database is
 * created and migrated and the built-in skills are synced on every run. Warm start: the same command
 * on a data dir that a previous run already set up. Each run is timed from spawn to the first HTTP 200
 * of GET /api/health (polled every 2 ms; the token is fixed up front with SAGE_DEV_TOKEN, the port
 * with --port, so no output parsing sits on the measured path). Then the idle resident memory: VmRSS
 * from /proc/<pid>/status after 5 s without requests.
 *
 * With a provider and key (issue 19): a data dir that knows a provider (its key in the encrypted key
 * file) and the fake model (in this process). Per launch: idle RSS after 5 s, then the first turn
 * after start — submit over the WebSocket -> the first `message.part.delta` — which pays for reading
 * the key, loading the provider SDK and the first model request.
 *
 * Targets (issue 2): median cold start under 100 ms, idle RSS under 60 MB; (issue 19) idle RSS with a
 * provider and key <= 50 MiB, first turn after start, submit -> first token <= 30 ms.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ServerEvent } from "../../src/shared/events.ts";
import { startFakeModel } from "../../test/fixtures/fake-model/index.ts";
import { seedDataDir } from "../../test/integration/executable-app.ts";
import { freePort } from "../free-port.ts";

const root = resolve(import.meta.dir, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(flag("--runs") ?? 15);
const executable = resolve(flag("--executable") ?? join(root, "dist", "sage"));
const IDLE_MS = 5000;
const RSS_SAMPLES = 3;
const TARGET_START_MS = 100;
const TARGET_RSS_MB = 60;
const TARGET_PROVIDER_RSS_MIB = 50;
const TARGET_FIRST_TOKEN_MS = 30;
const providerRuns = Number(flag("--provider-runs") ?? 5);

if (!existsSync(executable)) {
  console.error(`${executable} is missing: build it first (bun run build).`);
  process.exit(1);
}

interface Launched {
  child: Bun.Subprocess;
  startMs: number;
}

/** Spawn serve mode and wait for the first 200 from /api/health; returns the elapsed time. */
async function launch(dataDir: string): Promise<Launched & { url: string; token: string }> {
  const port = freePort();
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
  const url = `http://127.0.0.1:${port}/api/health`;
  const headers = { authorization: `Bearer ${token}` };
  const env = { ...process.env, SAGE_DEV_TOKEN: token, DISPLAY: "", WAYLAND_DISPLAY: "" };
  const started = performance.now();
  const child = Bun.spawn(
    [executable, "--serve", "--port", String(port), "--no-open", "--data-dir", dataDir],
    {
      env,
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  for (;;) {
    try {
      const response = await fetch(url, { headers });
      if (response.status === 200) {
        await response.arrayBuffer();
        return { child, startMs: performance.now() - started, url: `http://127.0.0.1:${port}`, token };
      }
      throw new Error(`unexpected status ${response.status}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("unexpected")) throw error;
      if (child.exitCode !== null) throw new Error(`sage exited with ${child.exitCode} before answering`);
      if (performance.now() - started > 20_000) throw new Error("no answer within 20 s");
      await Bun.sleep(2);
    }
  }
}

async function stop(child: Bun.Subprocess): Promise<void> {
  child.kill("SIGTERM");
  const code = await child.exited;
  if (code !== 0) throw new Error(`sage exited with ${code} on SIGTERM`);
}

/**
 * Where the resident memory is (MiB, /proc/<pid>/smaps_rollup): pages of files (mostly the executable
 * itself: the Bun runtime's code and Sage's bytecode, shared with the page cache) and private memory.
 */
function residentParts(pid: number): { file: number; anon: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(rollup)?.[1] ?? Number.NaN);
  return { file: (kib("Rss") - kib("Anonymous")) / 1024, anon: kib("Anonymous") / 1024 };
}
const providerParts: { file: number; anon: number }[] = [];

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { median: at(0.5), p90: at(0.9), min: sorted[0] as number, max: sorted.at(-1) as number };
}

/** Submit one turn on a fresh session; milliseconds from sending the submit to the first delta. */
async function firstTurn(url: string, token: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const created = (await (
    await fetch(`${url}/api/sessions`, { method: "POST", headers, body: "{}" })
  ).json()) as { id: string };
  await fetch(`${url}/api/sessions/${created.id}`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({ title: "Bench" }),
  });
  const socket = new WebSocket(`${url.replace("http", "ws")}/ws?token=${token}`);
  await new Promise<void>((done, fail) => {
    socket.onopen = () => done();
    socket.onerror = () => fail(new Error("WebSocket failed to open"));
  });
  let submitted = 0;
  const result = new Promise<number>((done, fail) => {
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as ServerEvent;
      if (event.type === "subscribed") {
        submitted = performance.now();
        socket.send(
          JSON.stringify({
            type: "submit",
            sessionId: created.id,
            clientTurnId: crypto.randomUUID(),
            text: "hi",
          }),
        );
      } else if (event.type === "message.part.delta" && submitted > 0) done(performance.now() - submitted);
      else if (event.type === "turn.ended")
        fail(new Error(`the turn ended (${event.status}) without a delta`));
    };
  });
  socket.send(JSON.stringify({ type: "subscribe", sessionId: created.id, afterSeq: 0 }));
  try {
    return await result;
  } finally {
    socket.close();
  }
}

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sage-bench-start-"));
  dirs.push(dir);
  return dir;
};

try {
  // One unmeasured run pages the executable into the file cache.
  await stop((await launch(freshDir())).child);

  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { child, startMs } = await launch(freshDir());
    cold.push(startMs);
    await stop(child);
  }

  const warmDir = freshDir();
  await stop((await launch(warmDir)).child);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { child, startMs } = await launch(warmDir);
    warm.push(startMs);
    await stop(child);
  }

  const rss: number[] = [];
  for (let i = 0; i < RSS_SAMPLES; i++) {
    const { child } = await launch(i === 0 ? freshDir() : warmDir);
    await Bun.sleep(IDLE_MS);
    rss.push(rssMb(child.pid));
    await stop(child);
  }

  // With a provider and key: idle RSS, then the first turn after start.
  delete process.env.DBUS_SESSION_BUS_ADDRESS; // the key goes to the encrypted file in the data dir
  const fake = await startFakeModel({ apiKey: "test-key-0001" });
  const providerDir = freshDir();
  await seedDataDir(providerDir, fake.url);
  const providerRss: number[] = [];
  const firstToken: number[] = [];
  try {
    for (let i = 0; i < providerRuns; i++) {
      const launched = await launch(providerDir);
      await Bun.sleep(IDLE_MS);
      providerRss.push(rssMb(launched.child.pid));
      providerParts.push(residentParts(launched.child.pid));
      fake.enqueue({ text: "Hello there, this is the first answer." });
      firstToken.push(await firstTurn(launched.url, launched.token));
      await stop(launched.child);
    }
  } finally {
    await fake.stop();
  }

  const row = (label: string, values: number[]) => {
    const s = stats(values);
    const cells = [s.median, s.p90, s.min, s.max].map((v) => `${v.toFixed(1).padStart(7)} ms`);
    return `${label.padEnd(24)}${cells.join("")}`;
  };
  const coldStats = stats(cold);
  const rssStats = stats(rss);
  console.log(`\nSage start-up: ${executable} --serve, ${runs} runs each (spawn -> first HTTP 200)\n`);
  console.log(`${"".padEnd(24)}${["median", "p90", "min", "max"].map((h) => h.padStart(10)).join("")}`);
  console.log(row("cold (fresh data dir)", cold));
  console.log(row("warm (existing data dir)", warm));
  console.log(
    `\nidle RSS after ${IDLE_MS / 1000} s: median ${rssStats.median.toFixed(1)} MB ` +
      `(samples: ${rss.map((v) => v.toFixed(1)).join(", ")} MB)`,
  );
  const providerRssStats = stats(providerRss);
  const firstTokenStats = stats(firstToken);
  console.log(
    `with a provider and key: idle RSS median ${providerRssStats.median.toFixed(1)} MiB ` +
      `(samples: ${providerRss.map((v) => v.toFixed(1)).join(", ")}); first turn after start, submit -> first token: ` +
      `median ${firstTokenStats.median.toFixed(1)} ms (samples: ${firstToken.map((v) => v.toFixed(1)).join(", ")} ms)`,
  );
  const part = (key: "file" | "anon") => stats(providerParts.map((p) => p[key])).median.toFixed(1);
  console.log(
    `  of which file pages (the executable's code and bytecode) ${part("file")} MiB, private memory ${part("anon")} MiB`,
  );
  console.log(
    `targets (issue 19): idle RSS with a provider <= ${TARGET_PROVIDER_RSS_MIB} MiB: ` +
      `${providerRssStats.median <= TARGET_PROVIDER_RSS_MIB ? "met" : "NOT met"}; first token <= ${TARGET_FIRST_TOKEN_MS} ms: ` +
      `${firstTokenStats.median <= TARGET_FIRST_TOKEN_MS ? "met" : "NOT met"}`,
  );
  console.log(
    `\ntargets: cold start median < ${TARGET_START_MS} ms: ${coldStats.median < TARGET_START_MS ? "met" : "NOT met"}` +
      `; idle RSS < ${TARGET_RSS_MB} MB: ${rssStats.median < TARGET_RSS_MB ? "met" : "NOT met"}`,
  );
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
