/**
 * Settings → Tools & approvals: the shell sandbox's mode, the remembered "always" approvals (listed,
 * revocable) and the audit log of tool runs (newest first, paged).
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { SandboxStatus } from "../../sandbox/types.ts";
import { AUDIT_PAGE_MAXIMUM } from "../../sessions/audit-log.ts";
import { AuditPage, RememberedApproval } from "../../shared/tools-api.ts";

export function approvalRoutes(app: AppContext) {
  return new Elysia({ name: "approvals", detail: { tags: ["tools"] } })
    .get("/api/sandbox/status", () => app.sandbox(), {
      response: SandboxStatus,
      detail: { summary: "How shell commands are isolated (bubblewrap or none) and why" },
    })
    .get("/api/approvals", () => ({ approvals: app.approvals.list() }), {
      response: t.Object({ approvals: t.Array(RememberedApproval) }),
      detail: { summary: "Approvals remembered 'always for this agent', newest first" },
    })
    .delete(
      "/api/approvals/:id",
      ({ params }) => {
        app.approvals.revoke(params.id);
        return { revoked: true };
      },
      {
        params: t.Object({ id: t.String({ minLength: 1, maxLength: 200 }) }),
        response: t.Object({ revoked: t.Literal(true) }),
        detail: { summary: "Revoke a remembered approval (the next call asks again)" },
      },
    )
    .get(
      "/api/audit",
      ({ query }) =>
        app.audit.page({
          limit: query.limit,
          before: query.before,
          tool: query.tool,
          sessionId: query.sessionId,
        }),
      {
        query: t.Object({
          limit: t.Optional(t.Integer({ minimum: 1, maximum: AUDIT_PAGE_MAXIMUM })),
          before: t.Optional(
            t.String({ maxLength: 200, description: "nextBefore of the previous page, or a time in ms" }),
          ),
          tool: t.Optional(t.String({ maxLength: 200 })),
          sessionId: t.Optional(t.String({ maxLength: 200 })),
        }),
        response: AuditPage,
        detail: { summary: "Tool runs, newest first; page with nextBefore" },
      },
    );
}
