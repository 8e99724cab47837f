/**
 * MCP server definitions in the settings export/import, over real HTTP between two backends: the
 * export carries every definition but no secret value (grepped) and names the secrets to enter again;
 * importing a definition is a widened permission: without consent nothing is added or changed, with
 * consent the server arrives disabled until its secrets are entered; a secret value smuggled into a
 * file is dropped.
 */
import { describe, expect, test } from "bun:test";
import type { McpServerEntry, McpServerInput } from "../../src/shared/mcp.ts";
import type { SettingsImportPreview } from "../../src/shared/permissions.ts";
import { type TestBackend, useBackend } from "../support/backend.ts";

const source = useBackend({ provider: false });
const target = useBackend({ provider: false });
const TOKEN = "ghp-secret-token-value-77aa88bb99cc";
const API_KEY = "sk-mcp-env-secret-1234567890abcdef";

const remote: McpServerInput = {
  name: "remote-docs",
  transport: "http",
  url: "http://127.0.0.1:1/mcp",
  args: [],
  env: [],
  headers: [
    { name: "Authorization", value: `Bearer ${TOKEN}`, secret: true },
    { name: "Accept-Language", value: "en", secret: false },
  ],
  enabled: true,
  startup: "lazy",
  initTimeoutSec: 5,
  callTimeoutSec: 30,
  trustReadOnly: false,
};
const local: McpServerInput = {
  name: "local-tool",
  transport: "stdio",
  command: "some-mcp-server",
  args: ["--flag"],
  env: [
    { name: "API_KEY", value: API_KEY, secret: true },
    { name: "MODE", value: "fast", secret: false },
  ],
  headers: [],
  enabled: true,
  startup: "lazy",
  initTimeoutSec: 5,
  callTimeoutSec: 30,
  trustReadOnly: false,
};

async function servers(backend: TestBackend): Promise<McpServerEntry[]> {
  return (await backend.api<{ servers: McpServerEntry[] }>("/api/mcp/servers")).body.servers;
}

describe("MCP servers in the settings file", () => {
  let exported = "";

  test("the export carries the definitions, names the secrets, and holds no secret value", async () => {
    for (const server of [remote, local])
      expect((await source().api("/api/mcp/servers", { json: server })).status).toBe(200);
    const response = await source().api<Record<string, unknown>>("/api/settings/export");
    expect(response.status).toBe(200);
    exported = response.text;
    expect(exported).not.toContain(TOKEN);
    expect(exported).not.toContain(API_KEY);
    expect(exported).not.toContain("Bearer");
    const file = response.body as {
      mcpServers: McpServerInput[];
      mcpSecrets: { server: string; kind: string; name: string }[];
    };
    expect(file.mcpServers.map((server) => server.name)).toEqual(["remote-docs", "local-tool"]);
    expect(file.mcpServers[1]?.env).toEqual([
      { name: "API_KEY", secret: true },
      { name: "MODE", value: "fast", secret: false },
    ]);
    expect(file.mcpSecrets).toEqual([
      { server: "remote-docs", kind: "header", name: "Authorization" },
      { server: "local-tool", kind: "env", name: "API_KEY" },
    ]);
  });

  test("the preview lists each new definition as a widening to confirm", async () => {
    const preview = await target().api<SettingsImportPreview>("/api/settings/import/preview", {
      json: {
        content: exported,
      },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.mcpServers).toEqual([
      {
        name: "remote-docs",
        existing: false,
        widened: [
          {
            id: "mcpServerDefinition:remote-docs",
            kind: "mcpServerDefinition",
            server: "remote-docs",
            launch: "http http://127.0.0.1:1/mcp",
            secrets: ["Authorization"],
          },
        ],
      },
      {
        name: "local-tool",
        existing: false,
        widened: [
          {
            id: "mcpServerDefinition:local-tool",
            kind: "mcpServerDefinition",
            server: "local-tool",
            launch: "some-mcp-server --flag",
            secrets: ["API_KEY"],
          },
        ],
      },
    ]);
  });

  test("without consent no server is added", async () => {
    const result = await target().api<{ mcpServers: { withheld: string[]; created: string[] } }>(
      "/api/settings/import",
      { json: { content: exported } },
    );
    expect(result.status).toBe(200);
    expect(result.body.mcpServers.withheld).toEqual(["remote-docs", "local-tool"]);
    expect(result.body.mcpServers.created).toEqual([]);
    expect(await servers(target())).toEqual([]);
  });

  test("a confirmed name the file does not define is refused, nothing changes", async () => {
    const result = await target().api<{ error: { field: string } }>("/api/settings/import", {
      json: {
        content: exported,
        acceptServers: ["nope"],
      },
    });
    expect(result.status).toBe(400);
    expect(result.body.error.field).toBe("acceptServers");
    expect(await servers(target())).toEqual([]);
  });

  test("with consent the servers arrive disabled until their secrets are entered", async () => {
    const result = await target().api<{
      mcpServers: { created: string[]; needSecrets: { server: string; names: string[] }[] };
    }>("/api/settings/import", { json: { content: exported, acceptServers: ["local-tool"] } });
    expect(result.status).toBe(200);
    expect(result.body.mcpServers.created).toEqual(["local-tool"]);
    expect(result.body.mcpServers.needSecrets).toEqual([{ server: "local-tool", names: ["API_KEY"] }]);
    const [entry] = await servers(target());
    expect(entry?.config.name).toBe("local-tool");
    expect(entry?.config.enabled).toBe(false);
    expect(entry?.status.state).toBe("disabled");
    expect(entry?.config.env).toEqual([
      { name: "API_KEY", secret: true, hasValue: false },
      { name: "MODE", secret: false, value: "fast", hasValue: true },
    ]);
    // Entering the secret (and enabling) is the user's step in Settings → MCP servers.
    const saved = await target().api<McpServerEntry>("/api/mcp/servers/local-tool", {
      method: "PUT",
      json: {
        ...local,
        env: [{ name: "API_KEY", value: "entered-here", secret: true }, local.env[1]],
      },
    });
    expect(saved.body.config.env[0]).toEqual({ name: "API_KEY", secret: true, hasValue: true });
  });

  test("the same definition again is no widening; a stored secret is kept and the server stays enabled", async () => {
    const preview = await target().api<SettingsImportPreview>("/api/settings/import/preview", {
      json: {
        content: exported,
      },
    });
    expect(preview.body.mcpServers.find((server) => server.name === "local-tool")?.widened).toEqual([]);
    const changed = JSON.parse(exported) as { mcpServers: McpServerInput[] };
    const tool = changed.mcpServers[1];
    if (!tool) throw new Error("fixture");
    tool.args = ["--other"];
    const content = JSON.stringify(changed);
    const refused = await target().api<{ mcpServers: { withheld: string[] } }>("/api/settings/import", {
      json: {
        content,
      },
    });
    expect(refused.body.mcpServers.withheld).toContain("local-tool");
    expect((await servers(target())).find((e) => e.config.name === "local-tool")?.config.args).toEqual([
      "--flag",
    ]);
    const accepted = await target().api<{ mcpServers: { updated: string[]; needSecrets: unknown[] } }>(
      "/api/settings/import",
      { json: { content, acceptServers: ["local-tool"] } },
    );
    expect(accepted.body.mcpServers.updated).toEqual(["local-tool"]);
    expect(accepted.body.mcpServers.needSecrets).toEqual([]);
    const entry = (await servers(target())).find((e) => e.config.name === "local-tool");
    expect(entry?.config.args).toEqual(["--other"]);
    expect(entry?.config.enabled).toBe(true);
    expect(entry?.config.env[0]).toEqual({ name: "API_KEY", secret: true, hasValue: true });
  });

  test("a secret value written into a file is dropped with a warning, never stored", async () => {
    const file = JSON.parse(exported) as { mcpServers: McpServerInput[] };
    const header = file.mcpServers[0]?.headers[0];
    if (!header) throw new Error("fixture");
    header.value = "Bearer smuggled-value-42";
    const result = await target().api<{ warnings: string[]; mcpServers: { needSecrets: unknown[] } }>(
      "/api/settings/import",
      { json: { content: JSON.stringify(file), acceptServers: ["remote-docs"] } },
    );
    expect(result.status).toBe(200);
    expect(result.body.warnings.join("\n")).toContain("remote-docs: Authorization");
    expect(result.body.mcpServers.needSecrets).toEqual([{ server: "remote-docs", names: ["Authorization"] }]);
    const exportedAgain = await target().api("/api/settings/export");
    expect(exportedAgain.text).not.toContain("smuggled-value-42");
    expect(await target().running.backend.context.mcp.store.secretValues()).not.toContain(
      "Bearer smuggled-value-42",
    );
  });

  test("an invalid definition refuses the whole file", async () => {
    const file = JSON.parse(exported) as { mcpServers: McpServerInput[] };
    const first = file.mcpServers[0];
    if (!first) throw new Error("fixture");
    first.url = "ftp://nowhere";
    const result = await target().api<{ error: { message: string } }>("/api/settings/import/preview", {
      json: {
        content: JSON.stringify(file),
      },
    });
    expect(result.status).toBe(400);
    expect(result.body.error.message).toContain("mcpServers.0.url");
  });
});
