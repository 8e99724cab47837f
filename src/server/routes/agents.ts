/**
 * /api/agents: list, create, read, update, duplicate, delete (never the last one), set default, and
 * export/import as a `sage.agent.v1` file (JSON or YAML; see src/agent-configs/agent-file.ts). An import
 * grants permissions beyond a new agent's defaults only when the request lists them in `accept`, as
 * the UI does after the user confirmed each one in the preview (src/shared/permissions.ts).
 * Bodies are validated by the agent repository, which answers with field-level messages.
 */
import { Elysia, t } from "elysia";
import { importAgentFile, previewAgentImport, serializeAgentFile } from "../../agent-configs/agent-file.ts";
import type { PermissionContext } from "../../agent-configs/permission-review.ts";
import type { AppContext } from "../../app/context.ts";
import { describeProjectContext } from "../../sessions/project-context.ts";
import { Agent, type AgentConfig } from "../../shared/agent.ts";
import { fileNameFrom } from "../../shared/file-name.ts";
import { AgentImportPreview, AgentImportResult } from "../../shared/permissions.ts";
import { ProjectContextResponse } from "../../shared/project-context.ts";
import { workspaceFor } from "../../workspace/agent-workspace.ts";
import { bodyLimit, MiB } from "../body-limits.ts";
import { fileAnswer } from "../responses.ts";

const id = t.String({ minLength: 1, maxLength: 200 });
const configBody = t.Unknown({
  description: "AgentConfig (src/shared/agent.ts), validated with field messages",
});

export function agentRoutes(app: AppContext) {
  const { agents } = app;
  const permissions = (): PermissionContext => ({ tools: app.tools, workspacesRoot: app.paths.workspaces });
  return new Elysia({ name: "agents", prefix: "/api/agents", detail: { tags: ["agents"] } })
    .get("/", () => ({ agents: agents.list() }), {
      response: t.Object({ agents: t.Array(Agent) }),
      detail: { summary: "Agents, the default first" },
    })
    .post("/", ({ body }) => agents.create(body as AgentConfig), {
      body: configBody,
      response: Agent,
      detail: { summary: "Create an agent" },
    })
    .post(
      "/import/preview",
      ({ body }) => previewAgentImport(body.content, agents, app.providers.list(), permissions()),
      {
        body: t.Object({
          content: t.String({ maxLength: 3_000_000 }),
          fileName: t.Optional(t.String({ maxLength: 300 })),
        }),
        response: AgentImportPreview,
        detail: {
          summary:
            "What importing a sage.agent.v1 file would create, and the permissions it widens beyond a new agent's defaults (nothing is written)",
          ...bodyLimit(4 * MiB),
        },
      },
    )
    .post(
      "/import",
      ({ body }) =>
        importAgentFile(body.content, agents, app.providers.list(), permissions(), body.accept ?? []),
      {
        body: t.Object({
          content: t.String({ maxLength: 3_000_000 }),
          fileName: t.Optional(t.String({ maxLength: 300 })),
          accept: t.Optional(t.Array(t.String({ maxLength: 500 }), { maxItems: 1000 })),
        }),
        response: AgentImportResult,
        detail: {
          summary:
            "Import a sage.agent.v1 file (JSON or YAML). Widened permissions not listed in accept (ids from the preview) fall back to the defaults. A taken name gets ' (2)'; a bad file is refused and nothing changes",
          ...bodyLimit(4 * MiB),
        },
      },
    )
    .get("/:id", ({ params }) => agents.get(params.id), {
      params: t.Object({ id }),
      response: Agent,
      detail: { summary: "One agent" },
    })
    .get(
      "/:id/project-context",
      ({ params }) => {
        const agent = agents.get(params.id);
        return describeProjectContext(app, agent, workspaceFor(app, agent).root);
      },
      {
        params: t.Object({ id }),
        response: ProjectContextResponse,
        detail: {
          summary:
            "The instruction files (AGENTS.md / CLAUDE.md) entering this agent's system prompt, and the skills read in place from its workspace and the user's home",
        },
      },
    )
    .put("/:id", ({ params, body }) => agents.update(params.id, body as AgentConfig), {
      params: t.Object({ id }),
      body: configBody,
      response: Agent,
      detail: { summary: "Replace an agent's configuration" },
    })
    .post("/:id/duplicate", ({ params }) => agents.duplicate(params.id), {
      params: t.Object({ id }),
      response: Agent,
      detail: { summary: "Copy an agent as '<name> (copy)'" },
    })
    .post("/:id/default", ({ params }) => agents.setDefault(params.id), {
      params: t.Object({ id }),
      response: Agent,
      detail: { summary: "Make this the default agent (new chats use it)" },
    })
    .delete(
      "/:id",
      ({ params }) => {
        agents.delete(params.id);
        return { deleted: true, defaultAgentId: agents.defaultAgent().id };
      },
      {
        params: t.Object({ id }),
        response: t.Object({ deleted: t.Literal(true), defaultAgentId: t.String() }),
        detail: {
          summary: "Delete an agent (409 for the last one); its sessions continue with the default agent",
        },
      },
    )
    .get(
      "/:id/export",
      ({ params, query, set }) => {
        const agent = agents.get(params.id);
        const format = query.format ?? "json";
        const extension = format === "yaml" ? "yaml" : "json";
        set.headers["content-type"] =
          format === "yaml" ? "application/yaml; charset=utf-8" : "application/json; charset=utf-8";
        set.headers["content-disposition"] = attachment(
          fileNameFrom(agent.config.name, `sage-agent.${extension}`, "agent"),
        );
        return serializeAgentFile(agent, app.providers.list(), format);
      },
      {
        params: t.Object({ id }),
        query: t.Object({ format: t.Optional(t.Union([t.Literal("json"), t.Literal("yaml")])) }),
        detail: {
          summary: "Export as a sage.agent.v1 file (no secrets: agents hold none)",
          ...fileAnswer("The agent file as a download (Content-Disposition: attachment)", {
            "application/json": "text",
            "application/yaml": "text",
          }),
        },
      },
    );
}

/** A Content-Disposition for a download: an ASCII fallback name plus the UTF-8 one. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
