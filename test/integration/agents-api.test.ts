/**
 * /api/agents over real HTTP: CRUD with field messages, duplicate, default, delete rules (never the
 * last; sessions of a deleted agent continue with the default), export/import round trip in JSON and
 * YAML, and corrupted files refused without any change.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import type { Agent, AgentConfig } from "../../src/shared/agent.ts";
import type { AgentImportPreview } from "../../src/shared/permissions.ts";
import type { Provider } from "../../src/shared/provider.ts";
import { startBackend, useBackend } from "../support/backend.ts";

let provider: Provider;

const backend = useBackend({ provider: false });
beforeAll(async () => {
  provider = (
    await backend().api<Provider>("/api/providers", {
      json: {
        name: "Local Fake",
        kind: "openai-compatible",
        baseUrl: "http://127.0.0.1:9/v1",
        models: [{ id: "m-large" }, { id: "m-small" }],
      },
    })
  ).body;
});

const list = async () => (await backend().api<{ agents: Agent[] }>("/api/agents")).body.agents;

const FULL: AgentConfig = {
  name: "Researcher",
  emoji: "🔎",
  description: "Finds and summarises sources.",
  systemPrompt: "Cite every source.\nBe brief.",
  model: "m-large",
  fastModel: "m-small",
  tools: ["read_file", "web_fetch"],
  skills: ["pdf"],
  mcpServers: [],
  approvals: { shell: "deny", web_fetch: "allow", write_file: "ask" },
  network: "isolated",
  stepLimit: 12,
  temperature: 0.4,
};

describe("agents CRUD", () => {
  let researcher: Agent;

  test("a brand-new install lists its default agent (never an empty list)", async () => {
    const fresh = await startBackend({ provider: false });
    try {
      const response = await fresh.http("/api/agents");
      const { agents } = (await response.json()) as { agents: Agent[] };
      expect(agents).toHaveLength(1);
      expect(agents[0]?.isDefault).toBe(true);
    } finally {
      await fresh.stop();
    }
  });

  test("the first agent created becomes the default", async () => {
    const { status, body } = await backend().api<Agent>("/api/agents", {
      json: { ...FULL, providerId: provider.id },
    });
    expect(status).toBe(200);
    expect(body.isDefault).toBe(true);
    expect(body.config).toMatchObject({ ...FULL, providerId: provider.id });
    researcher = body;
  });

  test("bad input: clear field messages, nothing created", async () => {
    const cases: [unknown, string, number][] = [
      [{ name: "" }, "name", 400],
      [{ name: "   " }, "name", 400],
      [{ name: "researcher" }, "name", 409],
      [{ name: "X", stepLimit: 0 }, "stepLimit", 400],
      [{ name: "X", stepLimit: 2.5 }, "stepLimit", 400],
      [{ name: "X", temperature: 3 }, "temperature", 400],
      [{ name: "X", approvals: { shell: "sometimes" } }, "approvals.shell", 400],
      [{ name: "X", workspace: "relative/path" }, "workspace", 400],
      [{ name: "X", workspace: "/etc/hostname/inside-a-file" }, "workspace", 400],
      [{ name: "X", tools: "some" }, "tools", 400],
      [{ name: "X", delegates: "some" }, "delegates", 400],
      [{ name: "X", ownWorkspaceWhenDelegated: "yes" }, "ownWorkspaceWhenDelegated", 400],
      [{ name: "X", delegationDepth: 0 }, "delegationDepth", 400],
      [{ name: "X", delegationDepth: 6 }, "delegationDepth", 400],
      [{ name: "X", delegationDepth: 1.5 }, "delegationDepth", 400],
      [{ name: "X", delegationsPerTurn: 0 }, "delegationsPerTurn", 400],
      [{ name: "X", delegationsPerTurn: 33 }, "delegationsPerTurn", 400],
      [{ name: "X", delegationsPerTurn: "8" }, "delegationsPerTurn", 400],
      [null, "", 400],
    ];
    for (const [body, field, status] of cases) {
      const result = await backend().api<{ error: { field?: string; message: string } }>("/api/agents", {
        json: body,
      });
      expect({ body, status: result.status, field: result.body.error?.field ?? "" }).toEqual({
        body,
        status,
        field,
      });
      expect(result.body.error.message.length).toBeGreaterThan(5);
    }
    const duplicate = await backend().api<{ error: { message: string } }>("/api/agents", {
      json: {
        name: "researcher",
      },
    });
    expect(duplicate.body.error.message).toBe("Name is already used; choose another.");
    expect(await list()).toHaveLength(1);
  });

  test("a creatable absolute workspace is accepted (not created yet)", async () => {
    const root = mkdtempSync(join(tmpdir(), "sage-agent-ws-"));
    const { status, body } = await backend().api<Agent>("/api/agents", {
      json: {
        name: "Writer",
        workspace: `  ${join(root, "new", "folder")}  `,
      },
    });
    expect(status).toBe(200);
    expect(body.config.workspace).toBe(join(root, "new", "folder"));
    expect(body.isDefault).toBe(false);
  });

  test("update replaces the config and validates like create", async () => {
    const updated = await backend().api<Agent>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: {
        ...researcher.config,
        description: "Changed",
      },
    });
    expect(updated.body.config.description).toBe("Changed");
    const clash = await backend().api<{ error: { field: string } }>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: {
        ...researcher.config,
        name: "WRITER",
      },
    });
    expect(clash.status).toBe(409);
    const same = await backend().api<Agent>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: {
        ...researcher.config,
        name: "Researcher",
      },
    });
    expect(same.status).toBe(200);
  });

  test("which agents one may delegate to, and the workspace when delegated to, are saved", async () => {
    const writer = (await list()).find((agent) => agent.config.name === "Writer") as Agent;
    const saved = await backend().api<Agent>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: { ...researcher.config, delegates: [writer.id], ownWorkspaceWhenDelegated: true },
    });
    expect(saved.status).toBe(200);
    const stored = (await list()).find((agent) => agent.id === researcher.id);
    expect(stored?.config.delegates).toEqual([writer.id]);
    expect(stored?.config.ownWorkspaceWhenDelegated).toBe(true);
    const back = await backend().api<Agent>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: { ...researcher.config, delegates: "all" },
    });
    expect(back.body.config.delegates).toBe("all");
    expect(back.body.config.ownWorkspaceWhenDelegated).toBeUndefined();
    // Delegation limits: saved within their range, absent means the defaults (2 deep, 8 per turn).
    const limited = await backend().api<Agent>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: { ...back.body.config, delegationDepth: 5, delegationsPerTurn: 1 },
    });
    expect(limited.status).toBe(200);
    const reread = (await list()).find((agent) => agent.id === researcher.id);
    expect(reread?.config).toMatchObject({ delegationDepth: 5, delegationsPerTurn: 1 });
    const defaults = await backend().api<Agent>(`/api/agents/${researcher.id}`, {
      method: "PUT",
      json: back.body.config,
    });
    expect(defaults.body.config.delegationDepth).toBeUndefined();
    expect(defaults.body.config.delegationsPerTurn).toBeUndefined();
    researcher = defaults.body;
  });

  test("duplicate copies everything under a free name", async () => {
    const first = await backend().api<Agent>(`/api/agents/${researcher.id}/duplicate`, { method: "POST" });
    const second = await backend().api<Agent>(`/api/agents/${researcher.id}/duplicate`, { method: "POST" });
    expect(first.body.config.name).toBe("Researcher (copy)");
    expect(second.body.config.name).toBe("Researcher (copy) (2)");
    expect(first.body.config.approvals).toEqual(FULL.approvals);
    expect(first.body.isDefault).toBe(false);
  });

  test("set default, delete the default: another one takes over; the last one cannot go", async () => {
    const writer = (await list()).find((agent) => agent.config.name === "Writer") as Agent;
    expect(
      (await backend().api<Agent>(`/api/agents/${writer.id}/default`, { method: "POST" })).body.isDefault,
    ).toBe(true);
    expect((await list()).filter((agent) => agent.isDefault).map((agent) => agent.id)).toEqual([writer.id]);
    const deleted = await backend().api<{ defaultAgentId: string }>(`/api/agents/${writer.id}`, {
      method: "DELETE",
    });
    expect(deleted.status).toBe(200);
    const remaining = await list();
    expect(remaining.filter((agent) => agent.isDefault)).toHaveLength(1);
    expect(deleted.body.defaultAgentId).toBe(remaining.find((agent) => agent.isDefault)?.id as string);
    for (const agent of remaining.slice(1))
      await backend().api(`/api/agents/${agent.id}`, { method: "DELETE" });
    const last = (await list())[0] as Agent;
    const refused = await backend().api<{ error: { code: string; message: string } }>(
      `/api/agents/${last.id}`,
      { method: "DELETE" },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("at least one agent");
    expect(await list()).toHaveLength(1);
  });

  test("a session whose agent was deleted still opens and falls back to the default agent", async () => {
    const temporary = await backend().api<Agent>("/api/agents", { json: { name: "Temporary" } });
    const session = await backend().api<{ id: string; agentId: string }>("/api/sessions", {
      json: {
        agentId: temporary.body.id,
      },
    });
    expect(session.body.agentId).toBe(temporary.body.id);
    await backend().api(`/api/agents/${temporary.body.id}`, { method: "DELETE" });
    expect((await backend().api(`/api/sessions/${session.body.id}`)).status).toBe(200);
  });
});

describe("export and import", () => {
  test("JSON round trip keeps every field and names the provider, not its id", async () => {
    const source = (await list())[0] as Agent;
    const exported = await backend().api<Record<string, unknown>>(
      `/api/agents/${source.id}/export?format=json`,
    );
    expect(exported.headers.get("content-disposition")).toContain(".sage-agent.json");
    const file = exported.body as { format: string; agent: Record<string, unknown> };
    expect(file.format).toBe("sage.agent.v1");
    expect(file.agent.provider).toBe("Local Fake");
    expect(file.agent.providerId).toBeUndefined();
    // The source allows web_fetch without asking: the preview lists that, and the import grants it
    // only because it is accepted (see import-permissions.test.ts for what happens otherwise).
    const preview = await backend().api<AgentImportPreview>("/api/agents/import/preview", {
      json: {
        content: exported.text,
      },
    });
    expect(preview.body.widened).toEqual([
      { id: "approval:web_fetch", kind: "approval", tool: "web_fetch", from: "ask", to: "allow" },
    ]);
    const imported = await backend().api<{ agent: Agent; renamedFrom?: string; warnings: string[] }>(
      "/api/agents/import",
      { json: { content: exported.text, accept: ["approval:web_fetch"] } },
    );
    expect(imported.status).toBe(200);
    expect(imported.body.renamedFrom).toBe(source.config.name);
    expect(imported.body.agent.config.name).toBe(`${source.config.name} (2)`);
    expect(imported.body.warnings).toEqual([]);
    const { name: _a, ...expected } = source.config;
    const { name: _b, ...actual } = imported.body.agent.config;
    expect(actual).toEqual(expected);
  });

  test("YAML round trip", async () => {
    const source = (await list())[0] as Agent;
    const exported = await backend().api<string>(`/api/agents/${source.id}/export?format=yaml`);
    expect(exported.headers.get("content-type")).toContain("yaml");
    expect(exported.text).toContain("format: sage.agent.v1");
    const parsed = YAML.parse(exported.text) as { agent: { name: string } };
    parsed.agent.name = "From YAML";
    const imported = await backend().api<{ agent: Agent }>("/api/agents/import", {
      json: {
        content: YAML.stringify(parsed),
      },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.agent.config.name).toBe("From YAML");
    expect(imported.body.agent.config.systemPrompt).toBe(source.config.systemPrompt);
  });

  test("an unknown provider and an unusable workspace are dropped with warnings", async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), "sage-agent-file-")), "file");
    writeFileSync(blocker, "x");
    const content = JSON.stringify({
      format: "sage.agent.v1",
      agent: { name: "Traveller", provider: "Elsewhere", model: "x-1", workspace: join(blocker, "ws") },
    });
    const imported = await backend().api<{ agent: Agent; warnings: string[] }>("/api/agents/import", {
      json: {
        content,
      },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.agent.config.providerId).toBeUndefined();
    expect(imported.body.agent.config.model).toBeUndefined();
    expect(imported.body.agent.config.workspace).toBeUndefined();
    expect(imported.body.warnings).toHaveLength(2);
  });

  test("corrupted or wrong files are refused with a clear message and change nothing", async () => {
    const before = JSON.stringify(await list());
    const valid = { format: "sage.agent.v1", agent: { name: "Fine" } };
    const cases: [string, string][] = [
      ["", "empty"],
      ["{ not json", "cannot be read as JSON or YAML"],
      ["format: [unclosed", "cannot be read as JSON or YAML"],
      ["\u0000\u0001\u0002binary", "not an agent file"],
      ["[1, 2, 3]", "not an agent file"],
      [JSON.stringify({ agent: { name: "No format" } }), 'format: sage.agent.v1" is missing'],
      [JSON.stringify({ ...valid, format: "sage.agent.v9" }), "Unsupported agent file format"],
      [JSON.stringify({ format: "sage.agent.v1" }), "(agent)"],
      [JSON.stringify({ ...valid, agent: { name: "" } }), "(agent.name)"],
      [JSON.stringify({ ...valid, agent: { name: "T", stepLimit: "many" } }), "(agent.stepLimit)"],
      [
        JSON.stringify({ ...valid, agent: { name: "T", approvals: { shell: "maybe" } } }),
        "(agent.approvals.shell)",
      ],
      [JSON.stringify({ ...valid, agent: { name: "T", temperature: -1 } }), "(agent.temperature)"],
      [JSON.stringify(valid).slice(0, 30), "cannot be read"],
    ];
    for (const [content, expected] of cases) {
      const result = await backend().api<{ error: { message: string; field: string } }>(
        "/api/agents/import",
        {
          json: {
            content,
          },
        },
      );
      expect({ content, status: result.status }).toEqual({ content, status: 400 });
      expect(result.body.error.message).toContain(expected);
    }
    expect(JSON.stringify(await list())).toBe(before);
  });

  test("export of a missing agent is a 404; a bad format value is a 400", async () => {
    expect((await backend().api("/api/agents/agt_missing/export")).status).toBe(404);
    const source = (await list())[0] as Agent;
    expect((await backend().api(`/api/agents/${source.id}/export?format=xml`)).status).toBe(400);
  });
});
