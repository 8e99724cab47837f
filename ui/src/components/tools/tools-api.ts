/**
 * Calls to the tools, approvals and audit API (src/server/routes/tools.ts, approvals.ts). Failures throw
 * ApiError with the server's message, ready to show.
 */
import { call } from "../../lib/api-client.ts";

export interface AuditFilter {
  tool?: string;
  sessionId?: string;
}

export const toolsApi = {
  list: () => call("GET /api/tools").then((body) => body.tools),
  run: (name: string, input: unknown, agentId?: string) =>
    call("POST /api/tools/:name/run", { params: { name }, json: { input, agentId } }),
  sandbox: () => call("GET /api/sandbox/status"),
  approvals: () => call("GET /api/approvals").then((body) => body.approvals),
  revoke: (id: string) => call("DELETE /api/approvals/:id", { params: { id } }),
  audit: (filter: AuditFilter, limit: number, before?: string) =>
    call("GET /api/audit", {
      query: {
        limit,
        ...(before ? { before } : {}),
        ...(filter.tool ? { tool: filter.tool } : {}),
        ...(filter.sessionId ? { sessionId: filter.sessionId } : {}),
      },
    }),
};
