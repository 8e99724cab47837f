/**
 * Streaming benchmark, end to end: the compiled executable (`dist/sage --serve`) talks to the fake
 * model server (its own process) and streams to one WebSocket client in this process.
 *
 *   bun scripts/bench/stream.ts [--tokens 20000] [--paced 2000] [--interval-ms 2] [--turns 50]
 *
 * Figures:
 * - throughput: the model streams `--tokens` deltas as fast as it can; tokens/s from the client's
 *   first delta to `turn.ended` (every delta passes provider parsing, the turn recorder, the SQLite
 *   event log and the WebSocket), and from submit to `turn.ended` (a server that held the deltas back
 *   and sent them in one burst at the end would look fast by the first figure only).
 * - added latency per token: the model sends `--paced` deltas every `--interval-ms`; for each delta,
 *   the client's receive time minus the fake's send time (both `performance.timeOrigin +
 *   performance.now()` on this machine), p50 / p99 / max.
 * - memory: the executable's RSS (VmRSS) after start, after 20 ordinary turns from the start (each a
 *   tool call and a 300-token answer, back to back, the first things run) at once and 6 s later (the
 *   idle collection has run), after the runs above, and after `--turns` more ordinary turns.
 * Targets: >= 20,000 tokens/s and p50 added latency under 1 ms; (issue 19) added latency p50 <= 0.2 ms
 * and RSS after 20 turns <= 100 MiB. On a busy machine the wall-clock
 * figures include waiting for a CPU; the executable's CPU time for the bulk turn (tokens per CPU
 * second) shows its own cost independently of that.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerEvent } from "../../src/shared/events.ts";
import {
  cpuSeconds,
  launchExecutable,
  type RunningExecutable,
  residentKiB,
  seedDataDir,
} from "../../test/integration/executable-app.ts";
import { startModelProcess } from "./model-process.ts";
import { numberOption } from "./options.ts";

const THROUGHPUT_TARGET = 20_000;
const LATENCY_P50_TARGET_MS = 1;
const LATENCY_P50_TARGET_19_MS = 0.2;
const FIRST_TURNS = 20;
const RSS_AFTER_FIRST_TURNS_TARGET_MIB = 100;

const tokens = numberOption("tokens", 20_000);
const pacedTokens = numberOption("paced", 2000);
const intervalMs = numberOption("interval-ms", 2);
const turns = numberOption("turns", 50);

function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Every scripted token; the server may join several into one delta, so tokens are counted by text. */
const TOKEN = "tok ";

/** A lean client: parses each frame once, records each token's receive time, resolves turn ends. */
class BenchClient {
  tokens = 0;
  deltas = 0;
  /** Receive time of every token, in order (tokens joined in one delta share its time). */
  tokenTimes: number[] = [];
  firstDeltaAt = 0;
  private endWaiters = new Map<string, (event: Extract<ServerEvent, { type: "turn.ended" }>) => void>();
  private startWaiters = new Map<string, (turnId: string) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      const received = preciseNow();
      const event = JSON.parse(String(message.data)) as ServerEvent;
      if (event.type === "message.part.delta") {
        if (this.deltas === 0) this.firstDeltaAt = received;
        this.deltas++;
        const count = event.delta.length / TOKEN.length;
        for (let i = 0; i < count; i++) this.tokenTimes.push(received);
        this.tokens += count;
      } else if (event.type === "turn.started") {
        this.startWaiters.get(event.clientTurnId)?.(event.turnId);
      } else if (event.type === "turn.ended") {
        this.endWaiters.get(event.turnId)?.(event);
      }
    };
  }

  static async connect(exe: RunningExecutable, sessionId: string): Promise<BenchClient> {
    const socket = new WebSocket(`${exe.url.replace("http", "ws")}/ws?token=${exe.token}`);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error("WebSocket failed to open"));
    });
    const client = new BenchClient(socket);
    const subscribed = new Promise<void>((resolve) => {
      const previous = socket.onmessage;
      socket.onmessage = (message) => {
        if (String(message.data).includes('"type":"subscribed"')) {
          socket.onmessage = previous;
          resolve();
        } else previous?.call(socket, message);
      };
    });
    socket.send(JSON.stringify({ type: "subscribe", sessionId, afterSeq: 0 }));
    await subscribed;
    return client;
  }

  reset(): void {
    this.tokens = 0;
    this.deltas = 0;
    this.tokenTimes = [];
    this.firstDeltaAt = 0;
  }

  /** Submit and wait for the turn to end; returns when it ended (client clock) and its status. */
  async turn(sessionId: string, text: string): Promise<{ endedAt: number; status: string }> {
    const clientTurnId = crypto.randomUUID();
    const started = new Promise<string>((resolve) => this.startWaiters.set(clientTurnId, resolve));
    this.socket.send(JSON.stringify({ type: "submit", sessionId, clientTurnId, text }));
    const turnId = await started;
    this.startWaiters.delete(clientTurnId);
    const ended = await new Promise<Extract<ServerEvent, { type: "turn.ended" }>>((resolve) =>
      this.endWaiters.set(turnId, resolve),
    );
    this.endWaiters.delete(turnId);
    return { endedAt: preciseNow(), status: ended.status };
  }

  close(): void {
    this.socket.close();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function newSession(exe: RunningExecutable): Promise<string> {
  const { body } = await exe.api<{ id: string }>("/api/sessions", { json: {} });
  // A titled session: no title request takes a scripted reply from the fake's queue.
  await exe.api(`/api/sessions/${body.id}`, { method: "PATCH", json: { title: "Bench" } });
  return body.id;
}

async function main(): Promise<void> {
  const fake = await startModelProcess();
  const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-stream-"));
  let exe: RunningExecutable | undefined;
  try {
    await seedDataDir(dataDir, fake.url);
    exe = await launchExecutable(dataDir);
    const rssStart = await residentKiB(exe.pid);
    const sessionId = await newSession(exe);
    const client = await BenchClient.connect(exe, sessionId);
    const ordinaryTurn = async (i: number) => {
      await fake.enqueue(
        { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
        { text: { repeat: "word ", count: 300 } },
      );
      const result = await client.turn(sessionId, `turn ${i}`);
      if (result.status !== "completed") throw new Error(`turn ${i} ended ${result.status}`);
    };

    // 0. Memory after the first ordinary turns of a fresh start.
    for (let i = 0; i < FIRST_TURNS; i++) await ordinaryTurn(i);
    const rssFirstTurns = await residentKiB(exe.pid);
    // As a person reading the last answer: the app's idle collection (src/app/idle-collector.ts) runs.
    await Bun.sleep(6000);
    const rssFirstTurnsIdle = await residentKiB(exe.pid);

    // Warm-up: first requests pay for connection set-up and JIT.
    await fake.enqueue({ text: { repeat: TOKEN, count: 500 } });
    await client.turn(sessionId, "warm up");

    // 1. Throughput.
    client.reset();
    await fake.enqueue({ text: { repeat: TOKEN, count: tokens } });
    const cpuBefore = await cpuSeconds(exe.pid);
    const submitted = preciseNow();
    const bulk = await client.turn(sessionId, "stream as fast as you can");
    const cpuAfter = await cpuSeconds(exe.pid);
    const bulkCpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    const firstDeltaMs = client.firstDeltaAt - submitted;
    const streamSeconds = (bulk.endedAt - client.firstDeltaAt) / 1000;
    const throughput = client.tokens / streamSeconds;
    const bulkDeltas = client.deltas;
    const totalSeconds = (bulk.endedAt - submitted) / 1000;
    if (client.tokens !== tokens) throw new Error(`received ${client.tokens} tokens, expected ${tokens}`);

    // 2. Added latency with paced tokens.
    client.reset();
    await fake.enqueue({ text: { repeat: TOKEN, count: pacedTokens }, paced: { intervalMs } });
    await client.turn(sessionId, "stream at a steady pace");
    const sent = await fake.sentAt();
    if (sent.length !== client.tokenTimes.length)
      throw new Error(`sent ${sent.length} tokens, received ${client.tokenTimes.length}`);
    const latencies = client.tokenTimes
      .map((received, i) => received - (sent[i] as number))
      .sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const max = latencies.at(-1) ?? Number.NaN;
    const rssAfterStreams = await residentKiB(exe.pid);

    // 3. Memory after many ordinary turns.
    const turnsStarted = preciseNow();
    for (let i = 0; i < turns; i++) await ordinaryTurn(FIRST_TURNS + i);
    const turnsSeconds = (preciseNow() - turnsStarted) / 1000;
    Bun.gc(true);
    await Bun.sleep(500);
    const rssEnd = await residentKiB(exe.pid);
    client.close();

    const mib = (kib: number | undefined) => (kib === undefined ? "n/a" : `${(kib / 1024).toFixed(1)} MiB`);
    const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
    const rows: [string, string, string][] = [
      [
        `throughput (${tokens} tokens, client first delta -> turn.ended)`,
        `${Math.round(throughput).toLocaleString("en")} tokens/s`,
        `>= ${THROUGHPUT_TARGET.toLocaleString("en")}: ${verdict(throughput >= THROUGHPUT_TARGET)}`,
      ],
      [
        `throughput (same turn, submit -> turn.ended)`,
        `${Math.round(tokens / totalSeconds).toLocaleString("en")} tokens/s`,
        `>= ${THROUGHPUT_TARGET.toLocaleString("en")}: ${verdict(tokens / totalSeconds >= THROUGHPUT_TARGET)}`,
      ],
      [`  submit -> first delta`, `${firstDeltaMs.toFixed(1)} ms`, ""],
      [`  WebSocket delta messages for the ${tokens} tokens`, bulkDeltas.toLocaleString("en"), ""],
      [`  submit -> turn.ended`, `${totalSeconds.toFixed(3)} s`, ""],
      [
        `  executable CPU time for it (tokens per CPU second)`,
        bulkCpu === undefined
          ? "n/a"
          : `${bulkCpu.toFixed(2)} s (${Math.round(tokens / bulkCpu).toLocaleString("en")}/s)`,
        "",
      ],
      [
        `added latency p50 (${pacedTokens} tokens every ${intervalMs} ms)`,
        `${p50.toFixed(3)} ms`,
        `< ${LATENCY_P50_TARGET_MS} ms: ${verdict(p50 < LATENCY_P50_TARGET_MS)}; ` +
          `<= ${LATENCY_P50_TARGET_19_MS} ms (issue 19): ${verdict(p50 <= LATENCY_P50_TARGET_19_MS)}`,
      ],
      [`added latency p99`, `${p99.toFixed(3)} ms`, ""],
      [`added latency max`, `${max.toFixed(3)} ms`, ""],
      [`RSS after start`, mib(rssStart), ""],
      ...(
        [
          [`RSS after the first ${FIRST_TURNS} turns, at once`, rssFirstTurns],
          [`  and 6 s later (idle collection ran)`, rssFirstTurnsIdle],
        ] as const
      ).map(([label, kib]): [string, string, string] => [
        label,
        mib(kib),
        `<= ${RSS_AFTER_FIRST_TURNS_TARGET_MIB} MiB (issue 19): ${verdict(
          kib !== undefined && kib / 1024 <= RSS_AFTER_FIRST_TURNS_TARGET_MIB,
        )}`,
      ]),
      [`RSS after the streaming runs`, mib(rssAfterStreams), ""],
      [`RSS after ${turns} more turns (${turnsSeconds.toFixed(1)} s)`, mib(rssEnd), ""],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    const valueWidth = Math.max(...rows.map((r) => r[1].length));
    console.log(`\nSage streaming benchmark (compiled executable, fake model, one WebSocket client)`);
    for (const [label, value, target] of rows)
      console.log(`  ${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${target}`);
  } finally {
    if (exe) await exe.process.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
