/**
 * Calls to the tools, approvals and audit API (src/server/routes/tools.ts, approvals.ts). Failures throw
 * ApiError with the server's message, ready to show.
 */
import type {
  AuditPage,
  RememberedApproval,
  SandboxStatusInfo,
  ToolInfo,
  ToolRunResult,
} from "../../../../src/shared/tools-api.ts";
import { api } from "../../lib/api.ts";

const one = (name: string) => `/api/tools/${encodeURIComponent(name)}`;

export interface AuditFilter {
  tool?: string;
  sessionId?: string;
}

export const toolsApi = {
  list: () => api<{ tools: ToolInfo[] }>("/api/tools").then((body) => body.tools),
  run: (name: string, input: unknown, agentId?: string) =>
    api<ToolRunResult>(`${one(name)}/run`, { method: "POST", json: { input, agentId } }),
  sandbox: () => api<SandboxStatusInfo>("/api/sandbox/status"),
  approvals: () => api<{ approvals: RememberedApproval[] }>("/api/approvals").then((body) => body.approvals),
  revoke: (id: string) =>
    api<{ revoked: boolean }>(`/api/approvals/${encodeURIComponent(id)}`, { method: "DELETE" }),
  audit: (filter: AuditFilter, limit: number, before?: string) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before) query.set("before", before);
    if (filter.tool) query.set("tool", filter.tool);
    if (filter.sessionId) query.set("sessionId", filter.sessionId);
    return api<AuditPage>(`/api/audit?${query}`);
  },
};
