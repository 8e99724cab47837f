/** Typed calls to /api/mcp (shapes in src/shared/mcp.ts). Failures throw `ApiError` (lib/api.ts). */
import type {
  McpLogEntry,
  McpParseResult,
  McpProjectConfig,
  McpResourceContents,
  McpServerEntry,
  McpServerInput,
  McpServerStatus,
} from "../../../../src/shared/mcp.ts";
import { api } from "../../lib/api.ts";

const json = (method: string, body?: unknown): RequestInit & { json?: unknown } => ({ method, json: body });
const path = (name: string) => `/api/mcp/servers/${encodeURIComponent(name)}`;

export const mcpApi = {
  list: () => api<{ servers: McpServerEntry[] }>("/api/mcp/servers").then((result) => result.servers),
  create: (input: McpServerInput) => api<McpServerEntry>("/api/mcp/servers", json("POST", input)),
  update: (name: string, input: McpServerInput) => api<McpServerEntry>(path(name), json("PUT", input)),
  remove: (name: string) => api<{ removed: boolean }>(path(name), { method: "DELETE" }),
  restart: (name: string) => api<McpServerStatus>(`${path(name)}/restart`, { method: "POST" }),
  stop: (name: string) => api<McpServerStatus>(`${path(name)}/stop`, { method: "POST" }),
  /** Start an OAuth sign-in; the status's `auth.signIn.url` is the page to open. */
  signIn: (name: string) => api<McpServerStatus>(`${path(name)}/sign-in`, { method: "POST" }),
  cancelSignIn: (name: string) => api<McpServerStatus>(`${path(name)}/sign-in/cancel`, { method: "POST" }),
  signOut: (name: string) => api<McpServerStatus>(`${path(name)}/sign-out`, { method: "POST" }),
  log: (name: string) =>
    api<{ entries: McpLogEntry[] }>(`${path(name)}/log`).then((result) => result.entries),
  parse: (text: string) => api<McpParseResult>("/api/mcp/parse", json("POST", { text })),
  readResource: (server: string, uri: string, agentId?: string) =>
    api<McpResourceContents>(`${path(server)}/resources/read`, json("POST", { uri, agentId })),
  project: (agentId?: string) =>
    api<McpProjectConfig>(`/api/mcp/project${agentId ? `?agentId=${encodeURIComponent(agentId)}` : ""}`),
};

/** A server's input (for a PUT) from its entry, keeping stored secrets (sent without a value). */
export function inputOf(entry: McpServerEntry, patch: Partial<McpServerInput> = {}): McpServerInput {
  const { env, headers, ...rest } = entry.config;
  const values = (list: typeof env) =>
    list.map((item) =>
      item.secret
        ? { name: item.name, secret: true }
        : { name: item.name, value: item.value ?? "", secret: false },
    );
  return { ...rest, env: values(env), headers: values(headers), ...patch };
}
