/** Typed calls to /api/mcp (shapes in src/shared/mcp.ts). Failures throw `ApiError` (lib/api.ts). */
import type { McpServerEntry, McpServerInput } from "../../../../src/shared/mcp.ts";
import { call } from "../../lib/api-client.ts";

export const mcpApi = {
  list: () => call("GET /api/mcp/servers").then((result) => result.servers),
  create: (input: McpServerInput) => call("POST /api/mcp/servers", { json: input }),
  update: (name: string, input: McpServerInput) =>
    call("PUT /api/mcp/servers/:name", { params: { name }, json: input }),
  remove: (name: string) => call("DELETE /api/mcp/servers/:name", { params: { name } }),
  restart: (name: string) => call("POST /api/mcp/servers/:name/restart", { params: { name } }),
  stop: (name: string) => call("POST /api/mcp/servers/:name/stop", { params: { name } }),
  /** Start an OAuth sign-in; the status's `auth.signIn.url` is the page to open. */
  signIn: (name: string) => call("POST /api/mcp/servers/:name/sign-in", { params: { name } }),
  cancelSignIn: (name: string) => call("POST /api/mcp/servers/:name/sign-in/cancel", { params: { name } }),
  signOut: (name: string) => call("POST /api/mcp/servers/:name/sign-out", { params: { name } }),
  log: (name: string) =>
    call("GET /api/mcp/servers/:name/log", { params: { name } }).then((result) => result.entries),
  parse: (text: string) => call("POST /api/mcp/parse", { json: { text } }),
  readResource: (server: string, uri: string, agentId?: string) =>
    call("POST /api/mcp/servers/:name/resources/read", { params: { name: server }, json: { uri, agentId } }),
  project: (agentId?: string) => call("GET /api/mcp/project", { query: agentId ? { agentId } : {} }),
};

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
