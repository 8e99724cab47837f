/**
 * Default approval rules and what a remembered approval covers.
 *
 * Defaults: reading inside the workspace and talking to the user are allowed; writes, shell commands,
 * network access, browser actions and MCP tools ask (an MCP tool may default to "allow" when the user
 * trusts its server's read-only tools: `ToolDefinition.defaultApproval`); `browser_evaluate` always asks. Without bubblewrap, shell
 * commands run unsandboxed and therefore always ask — an agent's "allow" rule and remembered approvals
 * do not apply to them (a "deny" still does).
 */

import type { AnyTool } from "../agent/tool-contract.ts";
import { ALWAYS_ASK_TOOLS } from "../browser/types.ts";
import type { ApprovalRule } from "../shared/agent.ts";

/**
 * Tools that ask every time, whatever was remembered or configured (except "deny"). The one source of
 * truth is `ALWAYS_ASK_TOOLS` next to the tools it names (src/browser/types.ts); add other domains'
 * always-ask sets to this union.
 */
export const ALWAYS_ASK: ReadonlySet<string> = new Set([...ALWAYS_ASK_TOOLS]);
/** Browser tools that only look. */
const BROWSER_READ_ONLY = new Set(["browser_snapshot", "browser_screenshot"]);

export function defaultRule(tool: AnyTool): ApprovalRule {
  if (tool.defaultApproval) return tool.defaultApproval;
  switch (tool.kind) {
    case "read":
    case "interaction":
      return "allow";
    case "browser":
      return BROWSER_READ_ONLY.has(tool.name) ? "allow" : "ask";
    default:
      return "ask";
  }
}

export interface PolicyInput {
  tool: AnyTool;
  agentRule: ApprovalRule | undefined;
  remembered: boolean;
  sandboxed: boolean;
}

export function decideRule({ tool, agentRule, remembered, sandboxed }: PolicyInput): ApprovalRule {
  const rule = agentRule ?? defaultRule(tool);
  if (rule === "deny") return "deny";
  if (ALWAYS_ASK.has(tool.name)) return "ask";
  if (tool.kind === "shell" && !sandboxed) return "ask";
  if (rule === "allow") return "allow";
  return remembered ? "allow" : "ask";
}
