/**
 * Benchmark: the overhead of one MCP tool call over stdio, from the Sage tool's `validate` + `execute`
 * to its result (JSON-RPC over the pipe, the server's handling, result shaping), for the hand-written
 * fixture server (`ping`, near-zero work) and @modelcontextprotocol/server-everything (`echo`), both run
 * by Bun and contained as in the app (bubblewrap when usable).
 *
 *   bun scripts/bench/mcp-call.ts [calls]
 *
 * Prints start-up time, p50 / p90 / p99 / max per call, and calls per second (sequential calls).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ToolContext } from "../../src/agent/tool-contract.ts";
import { Logger } from "../../src/core/logger.ts";
import { McpConnection } from "../../src/mcp/connection.ts";
import { adaptTool } from "../../src/mcp/tool-adapter.ts";
import { sandboxStatus } from "../../src/sandbox/bubblewrap.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import type { McpServerInput } from "../../src/shared/mcp.ts";

const calls = Number(process.argv[2] ?? 2000);
const root = resolve(import.meta.dir, "..", "..");
const workspaceDir = mkdtempSync(join(tmpdir(), "sage-bench-mcp-"));
const workspace = createWorkspace(workspaceDir);

function config(name: string, args: string[]): McpServerInput {
  return {
    name,
    transport: "stdio",
    command: process.execPath,
    args,
    env: [],
    headers: [],
    enabled: true,
    startup: "lazy",
    initTimeoutSec: 30,
    callTimeoutSec: 60,
    trustReadOnly: false,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function bench(server: McpServerInput, tool: string, input: Record<string, unknown>): Promise<void> {
  const connection = new McpConnection({
    config: server,
    values: async () => ({ env: {}, headers: {}, missing: [] }),
    launchContext: async () => ({
      baseEnv: process.env,
      userEnv: {},
      execPath: process.execPath,
      compiled: false,
      sandbox: await sandboxStatus(),
      hiddenPaths: [],
      visiblePaths: [],
      setprivPath: Bun.which("setpriv") ?? null,
    }),
    clientInfo: { name: "sage-bench", version: "0" },
    logger: new Logger({ level: "error", console: false }),
    onChange: () => {},
  });
  const started = performance.now();
  await connection.ensureReady(workspaceDir);
  const startMs = performance.now() - started;
  const definition = connection.tools.find((candidate) => candidate.name === tool);
  if (!definition) throw new Error(`${server.name} has no tool ${tool}`);
  const adapted = adaptTool(connection, definition);
  if ("skipped" in adapted) throw new Error(adapted.skipped);
  const ctx: ToolContext = {
    signal: new AbortController().signal,
    workspace,
    sessionId: "bench",
    agentId: "bench",
    turnId: "bench",
    callId: "bench",
    progress: () => {},
    ask: async () => null,
    services: {},
  };
  const once = async () => {
    const problems = adapted.tool.validate?.(input);
    if (problems) throw new Error(problems);
    await adapted.tool.execute(input, ctx);
  };
  for (let index = 0; index < 100; index++) await once();
  const times: number[] = [];
  const loopStarted = performance.now();
  for (let index = 0; index < calls; index++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  const total = performance.now() - loopStarted;
  times.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  console.log(
    `${server.name}.${tool}: start ${startMs.toFixed(0)} ms; ${calls} calls: p50 ${ms(percentile(times, 50))}, p90 ${ms(percentile(times, 90))}, p99 ${ms(percentile(times, 99))}, max ${ms(times.at(-1) ?? 0)}; ${(calls / (total / 1000)).toFixed(0)} calls/s (containment: ${(await sandboxStatus()).mode === "bubblewrap" ? "bubblewrap" : "setpriv/process group"})`,
  );
  await connection.stop("shutdown");
}

try {
  await bench(config("fixture", [join(root, "test/fixtures/mcp/raw-server.ts"), "ok"]), "ping", {});
  await bench(
    config("everything", [
      join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"),
      "stdio",
    ]),
    "echo",
    { message: "hello" },
  );
} finally {
  rmSync(workspaceDir, { recursive: true, force: true });
}
