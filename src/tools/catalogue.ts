/**
 * The tool catalogue as the API and the Tools page see it: each tool's name, description, kind,
 * default approval rule and argument schema (TypeBox schemas are JSON Schema; serialising drops
 * TypeBox's symbol keys).
 */

import type { AnyTool } from "../agent/tool-contract.ts";
import { ALWAYS_ASK, defaultRule } from "../sandbox/approval-policy.ts";
import type { JsonSchema, ToolInfo, ToolSource } from "../shared/tools-api.ts";

/** Tools that only work inside a chat session, and why (shown by the "try it" runner). */
const SESSION_ONLY: Readonly<Record<string, string>> = {
  todo: "The plan belongs to a chat session: use this tool from a chat.",
  ask_user: "Questions go to the user in a chat session: the try-it runner cannot ask them.",
};

/** Why `tool` cannot run outside a session, or undefined when it can. */
export function sessionRequirement(toolName: string): string | undefined {
  return SESSION_ONLY[toolName];
}

export function describeTool(tool: AnyTool): ToolInfo {
  const needsSession = sessionRequirement(tool.name);
  const source: ToolSource = tool.origin?.source ?? "builtin";
  return {
    name: tool.name,
    description: tool.description,
    kind: tool.kind,
    source,
    ...(tool.origin ? { server: tool.origin.server } : {}),
    defaultRule: defaultRule(tool),
    alwaysAsks: ALWAYS_ASK.has(tool.name),
    ...(needsSession ? { needsSession } : {}),
    parameters: JSON.parse(JSON.stringify(tool.parameters)) as JsonSchema,
  };
}

/** Every tool, in the order given (built-ins first, as listed in the registry, then MCP tools). */
export function toolCatalogue(tools: readonly AnyTool[]): ToolInfo[] {
  return tools.map((tool) => describeTool(tool));
}
