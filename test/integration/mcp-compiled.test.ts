/**
 * MCP in the compiled executable on a machine without Node: PATH holds only bubblewrap and setpriv, so
 * `npx -y @modelcontextprotocol/server-everything stdio` and `node <server.js>` run with the Bun built
 * into Sage (BUN_BE_BUN=1), and the panel says so. Then the process tree: no server process survives
 * Sage, after a normal exit (SIGTERM) and after kill -9, checked by PID — including a server that
 * ignores SIGTERM and its stdin closing, and the child it started.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { McpServerEntry, McpServerStatus } from "../../src/shared/mcp.ts";
import type { ToolRunResult } from "../../src/shared/tools-api.ts";
import { type AppProcess, spawnApp } from "../support/app-process.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";
import { descendants, EVERYTHING, isAlive, RAW_SERVER, REPO, waitUntil } from "./mcp-helpers.ts";

let executable: string;
// Not under /tmp: the sandbox probe runs `true` inside bubblewrap, where /tmp is private.
const noNodeBin = mkdtempSync("/var/tmp/sage-no-node-");
const dataDir = mkdtempSync(join(tmpdir(), "sage-mcp-exe-"));

beforeAll(async () => {
  executable = await ensureExecutable();
  // bubblewrap's own probe runs `true` from the PATH.
  for (const tool of ["bwrap", "setpriv", "true"]) {
    const found = Bun.which(tool);
    if (found) symlinkSync(found, join(noNodeBin, tool));
  }
}, 180_000);

async function start(): Promise<{ app: AppProcess; api: <T>(path: string, json?: unknown) => Promise<T> }> {
  const app = spawnApp({
    executable,
    dataDir,
    args: ["--serve", "--port", "0", "--no-open"],
    env: { PATH: noNodeBin },
  });
  const lock = await app.waitForLock(20_000);
  const api = async <T>(path: string, json?: unknown): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${lock.port}${path}`, {
      method: json === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${lock.token}`, "content-type": "application/json" },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { app, api };
}

/** Start every server and return the PIDs of their whole process trees. */
async function startAll(api: <T>(path: string, json?: unknown) => Promise<T>): Promise<number[]> {
  const pids: number[] = [];
  for (const name of ["npxless", "nodeless", "raw"]) {
    const status = await api<McpServerStatus>(`/api/mcp/servers/${name}/restart`, {});
    expect(status.state, JSON.stringify(status)).toBe("ready");
    const pid = status.pid as number;
    pids.push(pid, ...descendants(pid));
  }
  expect(pids.every(isAlive)).toBe(true);
  return pids;
}

let current: AppProcess | undefined;
afterAll(async () => {
  await current?.stop();
  rmSync(noNodeBin, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe("no Node on the PATH", () => {
  test("npx and node map to Sage's own Bun; the panel says so; tools work", async () => {
    const { app, api } = await start();
    current = app;
    await api("/api/mcp/servers", {
      name: "npxless",
      transport: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-everything", "stdio"],
      // bun x finds the package in this repository's node_modules: no download in the test.
      cwd: REPO,
      initTimeoutSec: 30,
    });
    await api("/api/mcp/servers", {
      name: "nodeless",
      transport: "stdio",
      command: "node",
      args: [EVERYTHING, "stdio"],
      initTimeoutSec: 30,
    });
    await api("/api/mcp/servers", {
      name: "raw",
      transport: "stdio",
      command: "node",
      args: [RAW_SERVER, "ok", "--stubborn", "--grandchild"],
      env: [{ name: "SECRET_FROM_SAGE", value: "should-not-leak", secret: false }],
    });
    await startAll(api);
    const { servers } = await api<{ servers: McpServerEntry[] }>("/api/mcp/servers");
    const npx = servers.find((entry) => entry.config.name === "npxless");
    expect(npx?.status.note).toContain("npx is not installed on this computer");
    expect(npx?.status.note).toContain("Bun built into Sage (bun x)");
    expect(npx?.status.launch).toBe("npx -y @modelcontextprotocol/server-everything stdio");
    expect(servers.find((entry) => entry.config.name === "nodeless")?.status.note).toContain(
      "node is not installed",
    );
    const echoed = await api<ToolRunResult>("/api/tools/mcp__npxless__echo/run", {
      input: { message: "no node here" },
    });
    expect(echoed.text).toContain("no node here");
    const summed = await api<ToolRunResult>("/api/tools/mcp__nodeless__get-sum/run", {
      input: { a: 1, b: 2 },
    });
    expect(summed.text).toContain("3");
    // A clean environment: the configured variables, not Sage's own (BUN_BE_BUN is not leaked either).
    const env = JSON.parse((await api<ToolRunResult>("/api/tools/mcp__raw__env/run", { input: {} })).text);
    expect(env).toMatchObject({ hasHome: true, hasPath: true, leaked: "should-not-leak" });
  }, 120_000);

  test("no server process outlives a normal exit", async () => {
    const app = current as AppProcess;
    const lock = await app.waitForLock();
    const api = async <T>(path: string, json?: unknown): Promise<T> => {
      const response = await fetch(`http://127.0.0.1:${lock.port}${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${lock.token}`, "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      return (await response.json()) as T;
    };
    const { servers } = await api<{ servers: McpServerEntry[] }>("/api/mcp/servers");
    const pids = servers.flatMap((entry) =>
      entry.status.pid ? [entry.status.pid, ...descendants(entry.status.pid)] : [],
    );
    expect(pids.length).toBeGreaterThanOrEqual(3);
    app.child.kill("SIGTERM");
    expect(await app.exited(15_000)).toBe(0);
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5000, `no survivors among ${pids.join(", ")}`);
  }, 60_000);

  test("no server process outlives kill -9 of Sage", async () => {
    const { app, api } = await start();
    current = app;
    const pids = await startAll(api);
    // The servers run in bubblewrap's PID namespace, tied to Sage (see src/mcp/launch.ts).
    expect(app.logText()).toContain("MCP server raw: starting: node");
    expect(app.logText()).toMatch(/MCP server raw: starting: .*; bubblewrap\)/);
    app.child.kill("SIGKILL");
    await app.exited(10_000).catch(() => 0);
    await waitUntil(
      () => pids.every((pid) => !isAlive(pid)),
      5000,
      `no survivors among ${pids.filter(isAlive).join(", ")}`,
    );
  }, 120_000);
});
