/**
 * Disk writes per streamed token, end to end: the compiled executable (`dist/sage --serve`) streams
 * answers from the fake model (its own process) to one WebSocket client, and the executable's own
 * write counters (/proc/PID/io) say how much it wrote while each turn ran.
 *
 *   bun scripts/bench/disk-writes.ts [--tokens 2000] [--interval-ms 10] [--turns 3]
 *
 * Figures, per streamed token (a turn's writes divided by its tokens, median of `--turns` turns):
 * - `wchar`: bytes the process handed to write()/pwrite() — SQLite's WAL frames and checkpoints, the
 *   event journal, logs. Socket sends do not count (Bun sends with send(), which this counter skips).
 * - `write_bytes`: bytes the kernel accounted to storage for it (page-cache pages dirtied: rewrites of a
 *   still-dirty page count once, so this is the lower figure).
 * Two runs: "fast" (the model sends every token at once: the server sees them many per loop turn) and
 * "slow" (one token every `--interval-ms`: each token is its own loop turn, the costly case for a
 * write-before-send log). Each turn's counters are read after `turn.ended` plus a short pause, so
 * writes the server makes at the end of a turn are included. The daily backup (a `VACUUM INTO` copy of
 * the database a minute after start-up) is put off for the run, or a slow turn would count it. Target: 10x fewer bytes per token than
 * one SQLite commit per token (the figure before the batched log: ~7.6 KiB per slow token).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launchExecutable,
  type RunningExecutable,
  seedDataDir,
} from "../../test/integration/executable-app.ts";
import { TestSocket } from "../../test/support/test-socket.ts";
import { type ModelProcess, startModelProcess } from "./model-process.ts";
import { numberOption } from "./options.ts";

const tokens = numberOption("tokens", 2000);
const intervalMs = numberOption("interval-ms", 10);
const turns = Math.max(1, numberOption("turns", 3));
/** Time after turn.ended before the counters are read (end-of-turn writes, a pending batch). */
const SETTLE_MS = 400;

interface IoCounters {
  wchar: number;
  writeBytes: number;
}

async function ioOf(pid: number): Promise<IoCounters> {
  const text = await Bun.file(`/proc/${pid}/io`).text();
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  return { wchar: field("wchar"), writeBytes: field("write_bytes") };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** One turn streaming `count` tokens; returns what the executable wrote while it ran. */
async function measuredTurn(
  exe: RunningExecutable,
  fake: ModelProcess,
  socket: TestSocket,
  sessionId: string,
  label: string,
  paced: boolean,
): Promise<IoCounters> {
  await fake.enqueue({
    text: { repeat: "tok ", count: tokens },
    ...(paced ? { paced: { intervalMs } } : {}),
  });
  const before = await ioOf(exe.pid);
  const clientTurnId = `${label}-${crypto.randomUUID()}`;
  socket.send({ type: "submit", sessionId, clientTurnId, text: label });
  const started = await socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId, 30_000);
  const ended = await socket.waitFor("turn.ended", (e) => e.turnId === started.turnId, 120_000);
  if (ended.status !== "completed") throw new Error(`${label} ended ${ended.status}: ${ended.reason}`);
  await Bun.sleep(SETTLE_MS);
  const after = await ioOf(exe.pid);
  return { wchar: after.wchar - before.wchar, writeBytes: after.writeBytes - before.writeBytes };
}

async function main(): Promise<void> {
  // Inherited by the executable (test hooks only): no backup during the measured turns.
  process.env.SAGE_TEST_HOOKS = "1";
  process.env.SAGE_BACKUP_DELAY_MS = String(24 * 3600 * 1000);
  const fake = await startModelProcess();
  const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-disk-"));
  let exe: RunningExecutable | undefined;
  try {
    await seedDataDir(dataDir, fake.url);
    exe = await launchExecutable(dataDir);
    const { body: session } = await exe.api<{ id: string }>("/api/sessions", { json: {} });
    // A titled session: no title request takes a scripted reply from the fake's queue.
    await exe.api(`/api/sessions/${session.id}`, { method: "PATCH", json: { title: "Bench" } });
    const socket = await TestSocket.connect(exe);
    socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
    await socket.waitFor("subscribed");

    // Warm-up (first turn pays for set-up).
    await measuredTurn(exe, fake, socket, session.id, "warm-up", false);
    const rows: [string, string, string][] = [];
    for (const [mode, paced] of [
      ["fast", false],
      [`slow (1 token / ${intervalMs} ms)`, true],
    ] as const) {
      const runs: IoCounters[] = [];
      for (let i = 0; i < turns; i++)
        runs.push(await measuredTurn(exe, fake, socket, session.id, mode, paced));
      const wchar = median(runs.map((r) => r.wchar)) / tokens;
      const writeBytes = median(runs.map((r) => r.writeBytes)) / tokens;
      rows.push([`${mode}: wchar per token`, `${wchar.toFixed(0)} B`, `${(wchar / 1024).toFixed(2)} KiB`]);
      rows.push([
        `${mode}: write_bytes per token`,
        `${writeBytes.toFixed(0)} B`,
        `${(writeBytes / 1024).toFixed(2)} KiB`,
      ]);
    }
    socket.close();
    rows.push([
      `data folder size after ${1 + 2 * turns} turns`,
      `${(folderBytes(dataDir) / 1024).toFixed(0)} KiB`,
      "",
    ]);
    const width = Math.max(...rows.map((r) => r[0].length));
    const valueWidth = Math.max(...rows.map((r) => r[1].length));
    console.log(
      `\nSage disk writes per streamed token (compiled executable, ${tokens}-token answers, median of ${turns} turns)`,
    );
    for (const [label, value, extra] of rows)
      console.log(`  ${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${extra}`);
  } finally {
    if (exe) await exe.process.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
