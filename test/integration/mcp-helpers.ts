/**
 * Shared steps of the MCP integration tests: adding a server through the API, waiting for a state in
 * its health entry, the fixture servers' command lines, and process checks by PID.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { McpServerEntry, McpServerInput, McpServerState } from "../../src/shared/mcp.ts";
import type { TestBackend } from "../support/backend.ts";

export const REPO = resolve(import.meta.dir, "../..");
export const RAW_SERVER = join(REPO, "test/fixtures/mcp/raw-server.ts");
export const EVERYTHING = join(REPO, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
export const FILESYSTEM = join(REPO, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");

/** A stdio server config running `bun <script> ...args`. */
export function bunServer(name: string, script: string, args: string[], extra: Partial<McpServerInput> = {}) {
  return {
    name,
    transport: "stdio",
    command: process.execPath,
    args: [script, ...args],
    initTimeoutSec: 10,
    ...extra,
  } satisfies Partial<McpServerInput>;
}

export async function addServer(app: TestBackend, input: Partial<McpServerInput>): Promise<McpServerEntry> {
  const { status, body } = await app.api<McpServerEntry>("/api/mcp/servers", { json: input });
  if (status !== 200) throw new Error(`POST /api/mcp/servers answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

export async function entry(app: TestBackend, name: string): Promise<McpServerEntry> {
  const { body } = await app.api<{ servers: McpServerEntry[] }>("/api/mcp/servers");
  const found = body.servers.find((server) => server.config.name === name);
  if (!found) throw new Error(`no server ${name}`);
  return found;
}

/** Poll the health entry until `state` (or the timeout). */
export async function waitForState(
  app: TestBackend,
  name: string,
  state: McpServerState,
  timeoutMs = 15_000,
): Promise<McpServerEntry> {
  const deadline = Date.now() + timeoutMs;
  let last: McpServerEntry | undefined;
  while (Date.now() < deadline) {
    last = await entry(app, name);
    if (last.status.state === state) return last;
    await Bun.sleep(50);
  }
  throw new Error(`server ${name} did not reach ${state}; last: ${JSON.stringify(last?.status)}`);
}

export async function restart(app: TestBackend, name: string) {
  return app.api<McpServerEntry["status"]>(`/api/mcp/servers/${name}/restart`, { method: "POST", json: {} });
}

/** Give the default agent these servers. */
export async function useServers(app: TestBackend, servers: string[]): Promise<string> {
  const agent = app.running.backend.context.agents.defaultAgent();
  const { status, body } = await app.api(`/api/agents/${agent.id}`, {
    method: "PUT",
    json: { ...agent.config, mcpServers: servers },
  });
  if (status !== 200) throw new Error(`PATCH agent answered ${status}: ${JSON.stringify(body)}`);
  return agent.id;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/** Every descendant of `pid` (from /proc), deepest last. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of new Bun.Glob("[0-9]*").scanSync({ cwd: "/proc", onlyFiles: false })) {
    const path = `/proc/${entry}/stat`;
    if (!existsSync(path)) continue;
    try {
      const stat = readFileSync(path, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift() as number;
    for (const child of children.get(next) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await Bun.sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}
