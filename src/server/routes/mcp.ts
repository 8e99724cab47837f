/**
 * /api/mcp: MCP server configs (secrets never returned), their health, log, Restart/Stop, reading
 * pasted Claude Desktop / Claude Code JSON, and a project's `.mcp.json` (read, never started: the
 * user adds what they want). Shapes: src/shared/mcp.ts.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { ValidationError } from "../../core/errors.ts";
import { parseMcpConfigText } from "../../mcp/config-import.ts";
import {
  McpAgentPrompts,
  McpAgentResources,
  McpLogEntry,
  McpParseResult,
  McpProjectConfig,
  McpPromptText,
  McpResourceContents,
  McpServerEntry,
  type McpServerInput,
  McpServerStatus,
} from "../../shared/mcp.ts";
import { workspaceFor } from "../../workspace/agent-workspace.ts";

const name = t.String({ minLength: 1, maxLength: 40, description: "The server's name" });
/** A project file bigger than this is not read. */
const PROJECT_FILE_LIMIT = 1024 * 1024;

export function mcpRoutes(app: AppContext) {
  return new Elysia({ name: "mcp", prefix: "/api/mcp", detail: { tags: ["mcp"] } })
    .get("/servers", () => ({ servers: app.mcp.entries() }), {
      response: t.Object({ servers: t.Array(McpServerEntry) }),
      detail: { summary: "Every MCP server: its config (secret values left out) and its health" },
    })
    .post("/servers", ({ body }) => app.mcp.create(body as McpServerInput), {
      body: t.Unknown({ description: "McpServerInput (src/shared/mcp.ts)" }),
      response: McpServerEntry,
      detail: { summary: "Add a server; secrets go to the key store; 409 when the name is taken" },
    })
    .put("/servers/:name", ({ params, body }) => app.mcp.update(params.name, body as McpServerInput), {
      params: t.Object({ name }),
      body: t.Unknown({ description: "McpServerInput; a secret without value keeps the stored one" }),
      response: McpServerEntry,
      detail: {
        summary:
          "Change a server (its name stays); a running instance stops, the next use starts the new one",
      },
    })
    .delete(
      "/servers/:name",
      async ({ params }) => {
        await app.mcp.remove(params.name);
        return { removed: true };
      },
      {
        params: t.Object({ name }),
        response: t.Object({ removed: t.Literal(true) }),
        detail: { summary: "Remove a server and its stored secrets (it stops)" },
      },
    )
    .post("/servers/:name/restart", ({ params }) => app.mcp.restart(params.name), {
      params: t.Object({ name }),
      response: McpServerStatus,
      detail: { summary: "Start the server again now (waits for it, up to its init timeout)" },
    })
    .post("/servers/:name/stop", ({ params }) => app.mcp.stop(params.name), {
      params: t.Object({ name }),
      response: McpServerStatus,
      detail: { summary: "Stop the server (a turn that needs it starts it again)" },
    })
    .post("/servers/:name/sign-in", ({ params }) => app.mcp.signIn(params.name), {
      params: t.Object({ name }),
      response: McpServerStatus,
      detail: {
        summary:
          "Start an OAuth sign-in (authorization code + PKCE, loopback redirect); auth.signIn.url is the page to open",
      },
    })
    .post("/servers/:name/sign-in/cancel", ({ params }) => app.mcp.cancelSignIn(params.name), {
      params: t.Object({ name }),
      response: McpServerStatus,
      detail: { summary: "Stop waiting for the browser (the loopback listener closes)" },
    })
    .post("/servers/:name/sign-out", ({ params }) => app.mcp.signOut(params.name), {
      params: t.Object({ name }),
      response: McpServerStatus,
      detail: { summary: "Delete the server's OAuth tokens and client registration from the key store" },
    })
    .get("/servers/:name/log", ({ params }) => ({ entries: app.mcp.log(params.name) }), {
      params: t.Object({ name }),
      response: t.Object({ entries: t.Array(McpLogEntry) }),
      detail: { summary: "The server's log: start-up, stderr lines, MCP log messages, errors" },
    })
    .get(
      "/agents/:agentId/resources",
      ({ params }) => {
        const agent = app.agents.get(params.agentId);
        return app.mcp.resourcesFor(agent, workspaceFor(app, agent).root);
      },
      {
        params: t.Object({ agentId: t.String({ minLength: 1, maxLength: 200 }) }),
        response: McpAgentResources,
        detail: {
          summary: "Resources of the agent's MCP servers (started when needed), for attaching to a message",
        },
      },
    )
    .post(
      "/servers/:name/resources/read",
      ({ params, body }) => {
        const agent = body.agentId ? app.agents.get(body.agentId) : app.agents.defaultAgent();
        return app.mcp.readResource(params.name, body.uri, workspaceFor(app, agent).root);
      },
      {
        params: t.Object({ name }),
        body: t.Object({
          uri: t.String({ minLength: 1, maxLength: 8192 }),
          agentId: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
        }),
        response: McpResourceContents,
        detail: { summary: "Read one resource of a server: text, or base64 blob" },
      },
    )
    .get(
      "/agents/:agentId/prompts",
      ({ params }) => {
        const agent = app.agents.get(params.agentId);
        return app.mcp.promptsFor(agent, workspaceFor(app, agent).root);
      },
      {
        params: t.Object({ agentId: t.String({ minLength: 1, maxLength: 200 }) }),
        response: McpAgentPrompts,
        detail: {
          summary: "Prompts of the agent's MCP servers, offered as /<server>:<prompt> slash commands",
        },
      },
    )
    .post(
      "/servers/:name/prompts/get",
      ({ params, body }) => {
        const agent = body.agentId ? app.agents.get(body.agentId) : app.agents.defaultAgent();
        return app.mcp.getPrompt(params.name, body.name, body.arguments ?? {}, workspaceFor(app, agent).root);
      },
      {
        params: t.Object({ name }),
        body: t.Object({
          name: t.String({ minLength: 1, maxLength: 500 }),
          arguments: t.Optional(t.Record(t.String({ maxLength: 200 }), t.String({ maxLength: 100_000 }))),
          agentId: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
        }),
        response: McpPromptText,
        detail: { summary: "A prompt's messages as text for the composer" },
      },
    )
    .post(
      "/parse",
      ({ body }) => {
        try {
          return parseMcpConfigText(body.text);
        } catch (error) {
          throw new ValidationError(error instanceof Error ? error.message : String(error), "text");
        }
      },
      {
        body: t.Object({ text: t.String({ maxLength: 512 * 1024 }) }),
        response: McpParseResult,
        detail: {
          summary: "Read Claude Desktop / Claude Code / VS Code MCP JSON into server forms (nothing saved)",
        },
      },
    )
    .get(
      "/project",
      async ({ query }): Promise<McpProjectConfig> => {
        const agent = query.agentId ? app.agents.get(query.agentId) : app.agents.defaultAgent();
        const path = join(workspaceFor(app, agent).root, ".mcp.json");
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) return { servers: [], problems: [], existing: [] };
        if (info.size > PROJECT_FILE_LIMIT)
          return {
            path,
            servers: [],
            problems: [".mcp.json is larger than 1 MiB; it was not read."],
            existing: [],
          };
        let parsed: ReturnType<typeof parseMcpConfigText>;
        try {
          parsed = parseMcpConfigText(await readFile(path, "utf8"));
        } catch (error) {
          return {
            path,
            servers: [],
            problems: [error instanceof Error ? error.message : String(error)],
            existing: [],
          };
        }
        const known = new Set(app.mcp.entries().map((entry) => entry.config.name));
        return { path, ...parsed, existing: parsed.servers.map((s) => s.name).filter((n) => known.has(n)) };
      },
      {
        query: t.Object({ agentId: t.Optional(t.String({ minLength: 1, maxLength: 200 })) }),
        response: McpProjectConfig,
        detail: { summary: "The .mcp.json in an agent's workspace, read but never started" },
      },
    );
}
