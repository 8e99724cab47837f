/**
 * Which MCP tools of an agent's servers a turn offers. The agent picks servers (`mcpServers`); its
 * tool list (`tools`) may narrow a server further:
 * - `tools: "all"`, or a list naming none of a server's tools: every tool of that server;
 * - a list naming some `mcp__<server>__*` tools: only those of that server.
 * Built-in tools are chosen by `enabledTools` (src/tools/registry.ts) as before.
 */

import type { AnyTool } from "../agent/tool-contract.ts";
import { MCP_TOOL_PREFIX } from "../shared/mcp.ts";

export function selectMcpTools(tools: readonly AnyTool[], enabled: "all" | readonly string[]): AnyTool[] {
  if (enabled === "all") return [...tools];
  const named = new Set(enabled.filter((name) => name.startsWith(MCP_TOOL_PREFIX)));
  const narrowed = new Set<string>();
  for (const tool of tools) if (named.has(tool.name) && tool.origin) narrowed.add(tool.origin.server);
  return tools.filter((tool) => !tool.origin || !narrowed.has(tool.origin.server) || named.has(tool.name));
}
