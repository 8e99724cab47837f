/**
 * MCP server configuration through the API: validation, secrets kept out of the database, API answers,
 * logs and exports (but handed to the server), pasted Claude Desktop / Claude Code JSON, agents carrying
 * server references in exports, and a project's `.mcp.json` that is read but never started.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { McpParseResult, McpProjectConfig, McpServerEntry } from "../../src/shared/mcp.ts";
import type { ToolRunResult } from "../../src/shared/tools-api.ts";
import { useBackend } from "../support/backend.ts";
import { workspaceRoot } from "../support/session-steps.ts";
import { addServer, bunServer, entry, RAW_SERVER, restart, useServers, waitForState } from "./mcp-helpers.ts";

const SECRET = "mcp-secret-value-7c1e9a40b2";
const HEADER_SECRET = "Bearer hdr-secret-55aa10ff";

const app = useBackend();

/** Every byte Sage wrote to its data folder's database files and logs, as text. */
function storedText(): string {
  const { paths } = app().running.backend.context;
  const files = readdirSync(paths.data)
    .filter((name) => name.startsWith("sage.db"))
    .map((name) => join(paths.data, name));
  const logs = readdirSync(paths.logs).map((name) => join(paths.logs, name));
  return [...files, ...logs].map((file) => readFileSync(file).toString("latin1")).join("\n");
}

describe("validation", () => {
  test("bad names, missing command or URL, duplicates are refused with the field", async () => {
    const bad = await app().api<{ error: { field?: string } }>("/api/mcp/servers", {
      json: { name: "has space", transport: "stdio", command: "x" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("name");
    const noCommand = await app().api<{ error: { field?: string } }>("/api/mcp/servers", {
      json: { name: "nocmd", transport: "stdio" },
    });
    expect(noCommand.body.error.field).toBe("command");
    const badUrl = await app().api<{ error: { field?: string } }>("/api/mcp/servers", {
      json: { name: "badurl", transport: "http", url: "file:///etc/passwd" },
    });
    expect(badUrl.body.error.field).toBe("url");
    await addServer(app(), { name: "dup", transport: "stdio", command: "x" });
    const again = await app().api("/api/mcp/servers", {
      json: { name: "dup", transport: "stdio", command: "y" },
    });
    expect(again.status).toBe(409);
    expect((await app().api("/api/mcp/servers/nope/restart", { method: "POST", json: {} })).status).toBe(404);
  });
});

describe("secrets", () => {
  test("secret values go to the key store: not in the database, logs, API answers or exports — but reach the server", async () => {
    await addServer(
      app(),
      bunServer("secretive", RAW_SERVER, ["ok"], {
        env: [
          { name: "MCP_TEST_SECRET", value: SECRET, secret: true },
          { name: "MCP_TEST_PLAIN", value: "visible", secret: false },
        ],
      }),
    );
    await addServer(app(), {
      name: "remote",
      transport: "http",
      url: "http://127.0.0.1:9/mcp",
      headers: [{ name: "Authorization", value: HEADER_SECRET, secret: true }],
    });
    await useServers(app(), ["secretive", "remote"]);
    const listed = await app().api<{ servers: McpServerEntry[] }>("/api/mcp/servers");
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("hdr-secret");
    const secretive = listed.body.servers.find((server) => server.config.name === "secretive");
    expect(secretive?.config.env).toEqual([
      { name: "MCP_TEST_SECRET", secret: true, hasValue: true },
      { name: "MCP_TEST_PLAIN", secret: false, value: "visible", hasValue: true },
    ]);

    await restart(app(), "secretive");
    await waitForState(app(), "secretive", "ready");
    await restart(app(), "remote");

    const settingsExport = await app().api<unknown>("/api/settings/export");
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const agentExport = await fetch(`${app().url}/api/agents/${agentId}/export?format=json`, {
      headers: { authorization: `Bearer ${app().token}` },
    }).then((response) => response.text());
    for (const exported of [JSON.stringify(settingsExport.body), agentExport]) {
      expect(exported).not.toContain(SECRET);
      expect(exported).not.toContain("hdr-secret");
    }
    // The agent file carries the server references.
    expect(JSON.parse(agentExport).agent.mcpServers).toEqual(["secretive", "remote"]);
    await app().running.backend.context.events.flush();
    const stored = storedText();
    expect(stored.includes(SECRET)).toBe(false);
    expect(stored.includes("hdr-secret")).toBe(false);
    expect(stored.includes("MCP_TEST_SECRET")).toBe(true); // the name is stored, the value is not

    // The server itself gets the value (checked last: the tool's answer, which shows it, is audited).
    const run = await app().api<ToolRunResult>("/api/tools/mcp__secretive__env/run", { json: { input: {} } });
    expect(JSON.parse(run.body.text)).toMatchObject({ MCP_TEST_SECRET: SECRET, MCP_TEST_PLAIN: "visible" });
  }, 30_000);

  test("an edit without the secret's value keeps it; making it plain or removing the server deletes it", async () => {
    const current = await entry(app(), "secretive");
    const { status } = await app().api(`/api/mcp/servers/secretive`, {
      method: "PUT",
      json: {
        ...current.config,
        env: [
          { name: "MCP_TEST_SECRET", secret: true },
          { name: "MCP_TEST_PLAIN", value: "changed", secret: false },
        ],
      },
    });
    expect(status).toBe(200);
    await restart(app(), "secretive");
    const run = await app().api<ToolRunResult>("/api/tools/mcp__secretive__env/run", { json: { input: {} } });
    expect(JSON.parse(run.body.text)).toMatchObject({ MCP_TEST_SECRET: SECRET, MCP_TEST_PLAIN: "changed" });

    // Removed and added again under the same name: the old secret is gone.
    expect((await app().api("/api/mcp/servers/secretive", { method: "DELETE" })).status).toBe(200);
    await addServer(
      app(),
      bunServer("secretive", RAW_SERVER, ["ok"], { env: [{ name: "MCP_TEST_SECRET", secret: true }] }),
    );
    expect((await entry(app(), "secretive")).config.env).toEqual([
      { name: "MCP_TEST_SECRET", secret: true, hasValue: false },
    ]);
  }, 30_000);
});

describe("configurations users already have", () => {
  test("Claude Desktop and Claude Code JSON (with comments) become server forms; secrets guessed", async () => {
    const text = `{
      // Claude Code .mcp.json
      "mcpServers": {
        "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                    "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_abc", "LOG_LEVEL": "info" } },
        "docs": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer x" } },
        "legacy": { "type": "sse", "url": "https://old.example.com/sse" },
        "my server.v2": { "command": "uvx", "args": ["thing"] },
        "broken": { "type": "carrier-pigeon" }
      }
    }`;
    const { status, body } = await app().api<McpParseResult>("/api/mcp/parse", { json: { text } });
    expect(status).toBe(200);
    expect(body.servers.map((server) => [server.name, server.transport])).toEqual([
      ["github", "stdio"],
      ["docs", "http"],
      ["legacy", "sse"],
      ["my-server-v2", "stdio"],
    ]);
    expect(body.servers[0]?.env).toEqual([
      { name: "GITHUB_PERSONAL_ACCESS_TOKEN", value: "ghp_abc", secret: true },
      { name: "LOG_LEVEL", value: "info", secret: false },
    ]);
    expect(body.servers[1]?.headers).toEqual([{ name: "Authorization", value: "Bearer x", secret: true }]);
    expect(body.problems).toEqual(['broken: unknown type "carrier-pigeon" (expected stdio, http or sse).']);
    const invalid = await app().api<{ error: { message: string } }>("/api/mcp/parse", {
      json: { text: "{nope" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain("not JSON");
  });

  test("a config beyond the form's limits is passed on as read (the form checks it), in its declared shape", async () => {
    const args = Array.from({ length: 250 }, (_, index) => `--flag-${index}`);
    const long = "v".repeat(20_000);
    const text = JSON.stringify({
      mcpServers: { big: { command: "npx", args, env: { LONG_VALUE: long } } },
    });
    const { status, body } = await app().api<McpParseResult>("/api/mcp/parse", { json: { text } });
    expect(status).toBe(200);
    expect(body.servers).toHaveLength(1);
    expect(body.servers[0]?.args).toEqual(args);
    expect(body.servers[0]?.env).toEqual([{ name: "LONG_VALUE", value: long, secret: false }]);
    // Over the limits McpServerInput sets: saving it as is would be refused with the field named.
    const saved = await app().api<{ error: { field?: string } }>("/api/mcp/servers", {
      json: body.servers[0],
    });
    expect(saved.status).toBe(400);
  });

  test("a project's .mcp.json is offered, never started", async () => {
    const root = workspaceRoot(app());
    const pidFile = join(root, "started.pids");
    writeFileSync(
      join(root, ".mcp.json"),
      JSON.stringify({
        mcpServers: {
          project: {
            command: process.execPath,
            args: [RAW_SERVER, "ok"],
            env: { MCP_TEST_PID_FILE: pidFile },
          },
        },
      }),
    );
    const { body } = await app().api<McpProjectConfig>("/api/mcp/project");
    expect(body.path).toBe(join(root, ".mcp.json"));
    expect(body.servers.map((server) => server.name)).toEqual(["project"]);
    expect(body.existing).toEqual([]);
    // Nothing from it is configured or running, even after a turn setup of the agent.
    const servers = await app().api<{ servers: McpServerEntry[] }>("/api/mcp/servers");
    expect(servers.body.servers.map((server) => server.config.name)).not.toContain("project");
    await Bun.sleep(300);
    expect(() => readFileSync(pidFile)).toThrow();
  });
});
