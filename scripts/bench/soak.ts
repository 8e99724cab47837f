/**
 * Soak benchmark (issue 19, part 5): one compiled executable (`dist/sage --serve`) running for a long
 * time, against a fake model in its own process (scripts/bench/soak-model-process.ts) that answers
 * every user message with a tool call and every tool result with a short answer.
 *
 *   bun scripts/bench/soak.ts [--turns 1000] [--sessions 20] [--stream-tokens 2000] [--executable PATH]
 *
 * 1. `--turns` turns, round-robin over `--sessions` sessions, one at a time, each with a tool call
 *    (list_dir, read_file, grep and — when bubblewrap is usable — shell, allowed for the agent). At
 *    turn 100, 500 and 1,000 (scaled with --turns): RSS (VmRSS), open file descriptors (/proc/PID/fd)
 *    and processes below the executable. Target: RSS growth <= 10% from turn 100 (after warm-up) to the
 *    end; no descriptor or process growth.
 * 2. All sessions streaming at once: each asks for `--stream-tokens` tokens in the same instant;
 *    every token must arrive in its own session; aggregate tokens/s from the first submit to the last
 *    `turn.ended`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { initialize } from "../../src/app/lifecycle.ts";
import { Logger } from "../../src/core/logger.ts";
import { resolvePaths } from "../../src/core/paths.ts";
import { sandboxStatus } from "../../src/sandbox/bubblewrap.ts";
import type { ServerEvent } from "../../src/shared/events.ts";
import { freePort } from "../free-port.ts";
import { spawnModelScript } from "./model-process.ts";

const root = resolve(import.meta.dir, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const totalTurns = Number(flag("--turns") ?? 1000);
const sessionCount = Number(flag("--sessions") ?? 20);
const streamTokens = Number(flag("--stream-tokens") ?? 2000);
const executable = resolve(flag("--executable") ?? join(root, "dist", "sage"));
const checkpoints = [Math.round(totalTurns / 10), Math.round(totalTurns / 2), totalTurns];
const RSS_GROWTH_TARGET = 0.1;

async function startModel(shell: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  const { info, stop } = await spawnModelScript("soak-model-process.ts", shell ? ["--shell"] : []);
  return { url: info.url, stop };
}

/** A data dir whose default agent uses the fake model and may run shell commands without asking. */
async function seed(dataDir: string, modelUrl: string): Promise<void> {
  const paths = resolvePaths({}, dataDir);
  const backend = await initialize({
    paths,
    logger: new Logger({ level: "error", console: false }),
    mode: "serve",
    compiled: false,
  });
  try {
    const { providers, agents } = backend.context;
    await providers.create({
      name: "Fake",
      kind: "openai-compatible",
      baseUrl: modelUrl,
      apiKey: "test-key-0001",
      models: [{ id: "fake-model", contextWindow: 1_000_000, tools: true, vision: true }],
      defaultModel: "fake-model",
      isDefault: true,
    });
    const agent = agents.defaultAgent();
    agents.update(agent.id, { ...agent.config, approvals: { ...agent.config.approvals, shell: "allow" } });
    const workspace = join(paths.workspaces, agent.id);
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, "notes.md"), "line one\nline two\nline three\n".repeat(20));
  } finally {
    await backend.shutdown();
  }
}

interface ProcessFigures {
  rssMiB: number;
  fds: number;
  children: number;
}

function figures(pid: number): ProcessFigures {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssMiB = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  // Every process whose chain of parents reaches `pid`.
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  let children = 0;
  for (const start of parents.keys()) {
    let current = parents.get(start);
    for (let depth = 0; current !== undefined && current > 1 && depth < 50; depth++) {
      if (current === pid) {
        children++;
        break;
      }
      current = parents.get(current);
    }
  }
  return { rssMiB, fds, children };
}

/** One WebSocket for every session: counts tokens per session, resolves turn starts and ends. */
class SoakClient {
  readonly tokens = new Map<string, number>();
  readonly toolEnds = new Map<string, number>();
  private starts = new Map<string, (turnId: string) => void>();
  private ends = new Map<string, (status: string) => void>();
  private subscribed = new Map<string, () => void>();

  constructor(private readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as ServerEvent;
      if (event.type === "message.part.delta") {
        const count = event.delta.split("tok ").length - 1;
        this.tokens.set(event.sessionId, (this.tokens.get(event.sessionId) ?? 0) + count);
      } else if (event.type === "tool.ended") {
        this.toolEnds.set(event.sessionId, (this.toolEnds.get(event.sessionId) ?? 0) + 1);
      } else if (event.type === "turn.started") this.starts.get(event.clientTurnId)?.(event.turnId);
      else if (event.type === "turn.ended") this.ends.get(event.turnId)?.(event.status);
      else if (event.type === "subscribed") this.subscribed.get(event.sessionId)?.();
      else if (event.type === "approval.requested")
        console.error(`an approval was asked in ${event.sessionId}: the soak expects none`);
    };
  }

  static async connect(url: string, token: string): Promise<SoakClient> {
    const socket = new WebSocket(`${url.replace("http", "ws")}/ws?token=${token}`);
    await new Promise<void>((done, fail) => {
      socket.onopen = () => done();
      socket.onerror = () => fail(new Error("WebSocket failed to open"));
    });
    return new SoakClient(socket);
  }

  async subscribe(sessionId: string): Promise<void> {
    const done = new Promise<void>((resolve) => this.subscribed.set(sessionId, resolve));
    this.socket.send(JSON.stringify({ type: "subscribe", sessionId, afterSeq: 0 }));
    await done;
  }

  async turn(sessionId: string, text: string): Promise<string> {
    const clientTurnId = crypto.randomUUID();
    const started = new Promise<string>((resolve) => this.starts.set(clientTurnId, resolve));
    this.socket.send(JSON.stringify({ type: "submit", sessionId, clientTurnId, text }));
    const turnId = await started;
    this.starts.delete(clientTurnId);
    const status = await new Promise<string>((resolve) => this.ends.set(turnId, resolve));
    this.ends.delete(turnId);
    return status;
  }

  close(): void {
    this.socket.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-soak-"));
const sandboxed = (await sandboxStatus()).mode === "bubblewrap";
const model = await startModel(sandboxed);
await seed(dataDir, model.url);

const port = freePort();
const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
const url = `http://127.0.0.1:${port}`;
const env: Record<string, string | undefined> = {
  ...process.env,
  SAGE_DEV_TOKEN: token,
  DISPLAY: "",
  WAYLAND_DISPLAY: "",
};
delete env.DBUS_SESSION_BUS_ADDRESS;
const child = Bun.spawn([executable, "--serve", "--port", String(port), "--no-open", "--data-dir", dataDir], {
  env,
  stdin: "ignore",
  stdout: "ignore",
  stderr: "inherit",
});
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
try {
  for (let waited = 0; ; waited += 10) {
    const ok = await fetch(`${url}/api/health`, { headers }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (waited > 30_000) throw new Error("the executable did not answer within 30 s");
    await Bun.sleep(10);
  }
  const client = await SoakClient.connect(url, token);
  const sessions: string[] = [];
  for (let i = 0; i < sessionCount; i++) {
    const created = (await (
      await fetch(`${url}/api/sessions`, { method: "POST", headers, body: "{}" })
    ).json()) as {
      id: string;
    };
    await fetch(`${url}/api/sessions/${created.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ title: `Soak ${i}` }),
    });
    await client.subscribe(created.id);
    sessions.push(created.id);
  }

  console.log(
    `soak: ${totalTurns} turns over ${sessionCount} sessions, tools: list_dir, read_file, grep${sandboxed ? ", shell (bubblewrap)" : " (no shell: bubblewrap unusable)"}`,
  );
  const start = figures(child.pid);
  console.log(
    `  after start     RSS ${start.rssMiB.toFixed(1)} MiB, fds ${start.fds}, processes below ${start.children}`,
  );
  const marks: (ProcessFigures & { turn: number; seconds: number })[] = [];
  const began = performance.now();
  let failed = 0;
  for (let turn = 1; turn <= totalTurns; turn++) {
    const sessionId = sessions[turn % sessionCount] as string;
    const status = await client.turn(sessionId, `turn ${turn}: look at the workspace`);
    if (status !== "completed") failed++;
    if (checkpoints.includes(turn)) {
      await Bun.sleep(6500); // an idle moment: past the idle housekeeping's collection (5 s)
      const mark = { ...figures(child.pid), turn, seconds: (performance.now() - began) / 1000 };
      marks.push(mark);
      console.log(
        `  turn ${String(turn).padStart(5)}      RSS ${mark.rssMiB.toFixed(1)} MiB, fds ${mark.fds}, processes below ${mark.children} (${mark.seconds.toFixed(0)} s)`,
      );
    }
  }
  const tools = [...client.toolEnds.values()].reduce((sum, n) => sum + n, 0);
  const first = marks[0] as (typeof marks)[number];
  const last = marks.at(-1) as (typeof marks)[number];
  const growth = (last.rssMiB - first.rssMiB) / first.rssMiB;
  console.log(
    `  ${totalTurns - failed}/${totalTurns} turns completed, ${tools} tool calls; ${((last.seconds * 1000) / totalTurns).toFixed(0)} ms per turn`,
  );
  console.log(
    `  RSS growth turn ${first.turn} -> ${last.turn}: ${(growth * 100).toFixed(1)}% (target <= ${RSS_GROWTH_TARGET * 100}%: ${growth <= RSS_GROWTH_TARGET ? "met" : "NOT met"}); ` +
      `fds ${first.fds} -> ${last.fds}; processes ${first.children} -> ${last.children} (target: no growth: ${last.fds <= first.fds && last.children <= first.children ? "met" : "NOT met"})`,
  );

  // 2. Every session streaming at once.
  for (const sessionId of sessions) client.tokens.set(sessionId, 0);
  const submitted = performance.now();
  const statuses = await Promise.all(
    sessions.map((sessionId) => client.turn(sessionId, `stream ${streamTokens}`)),
  );
  const seconds = (performance.now() - submitted) / 1000;
  const received = sessions.map((sessionId) => client.tokens.get(sessionId) ?? 0);
  const total = received.reduce((sum, n) => sum + n, 0);
  const complete =
    received.every((n) => n === streamTokens) && statuses.every((status) => status === "completed");
  console.log(
    `\n${sessionCount} sessions streaming ${streamTokens} tokens each at once: ${total}/${streamTokens * sessionCount} tokens arrived ` +
      `(${complete ? "every token, in its own session" : `MISSING: ${received.join(", ")}`}), ` +
      `${seconds.toFixed(2)} s, aggregate ${Math.round(total / seconds).toLocaleString("en")} tokens/s`,
  );
  const after = figures(child.pid);
  console.log(
    `  after streaming RSS ${after.rssMiB.toFixed(1)} MiB, fds ${after.fds}, processes below ${after.children}`,
  );
  client.close();
} finally {
  child.kill("SIGTERM");
  await child.exited;
  await model.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
