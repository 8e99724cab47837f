/**
 * /api/tools: the tool catalogue (every tool with its kind, default approval rule and JSON schema) and
 * the Tools page's "try it" runner, which runs one tool by hand in an agent's workspace.
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { ToolInfo, ToolRunResult } from "../../shared/tools-api.ts";
import { describeTool, toolCatalogue } from "../../tools/catalogue.ts";
import { bodyLimit, MiB } from "../body-limits.ts";

const name = t.String({ minLength: 1, maxLength: 200, description: "The tool's name" });

export function toolRoutes(app: AppContext) {
  return new Elysia({ name: "tools", prefix: "/api/tools", detail: { tags: ["tools"] } })
    .get("/", () => ({ tools: toolCatalogue([...app.tools, ...app.mcp.knownTools()]) }), {
      response: t.Object({ tools: t.Array(ToolInfo) }),
      detail: {
        summary:
          "Every tool: name, description, kind, default approval rule, argument schema (MCP tools of servers that listed them)",
      },
    })
    .get("/:name", ({ params }) => describeTool(app.toolRunner.find(params.name)), {
      params: t.Object({ name }),
      response: ToolInfo,
      detail: { summary: "One tool of the catalogue" },
    })
    .post(
      "/:name/run",
      ({ params, body, request }) =>
        app.toolRunner.run({
          tool: params.name,
          agentId: body.agentId,
          input: body.input,
          signal: request.signal,
        }),
      {
        params: t.Object({ name }),
        body: t.Object({
          agentId: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
          input: t.Unknown({ description: "The tool's arguments, checked against its schema" }),
        }),
        response: ToolRunResult,
        detail: {
          summary:
            "Run a tool by hand (no session) in an agent's workspace; audited as 'manual'. 400 when the arguments do not match the schema",
          ...bodyLimit(16 * MiB),
        },
      },
    );
}
