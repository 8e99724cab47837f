/**
 * What plan mode lets a call do (src/agent/plan-mode.ts): read and search, never change anything.
 *
 * Allowed: tools that read the workspace, talk to the user or the session (ask_user, todo,
 * submit_plan, load_skill), reach the web to read (web_fetch, web_search: still approved per policy),
 * look at the browser (snapshot, screenshot, listing tabs), MCP tools whose server the user marked as
 * read-only (`defaultApproval: "allow"`), and shell commands that only read (read-only-command.ts,
 * not in the background). Everything else is refused with a reason the model can act on.
 */
import type { AnyTool } from "../agent/tool-contract.ts";
import { judgeCommand } from "./read-only-command.ts";

const BROWSER_LOOKING = new Set(["browser_snapshot", "browser_screenshot"]);

function refused(tool: string, why: string): string {
  return (
    `Plan mode: ${tool} was refused because ${why}. This request may only read and search until the user ` +
    "approves a plan. Do not retry it; finish investigating and call submit_plan with your plan."
  );
}

function field(input: unknown, name: string): unknown {
  return input && typeof input === "object" ? (input as Record<string, unknown>)[name] : undefined;
}

/** Why plan mode refuses this call, or undefined when it may run (then the usual approval applies). */
export function planModeRefusal(tool: AnyTool, input: unknown): string | undefined {
  if (tool.name === "delegate") return refused(tool.name, "sub-agents could change things");
  switch (tool.kind) {
    case "read":
    case "interaction":
    case "network":
      return undefined;
    case "write":
      return refused(tool.name, "it changes files");
    case "browser":
      if (BROWSER_LOOKING.has(tool.name)) return undefined;
      if (tool.name === "browser_tabs" && field(input, "action") === "list") return undefined;
      return refused(
        tool.name,
        "browser actions are not allowed (only snapshots, screenshots and listing tabs)",
      );
    case "mcp":
      return tool.defaultApproval === "allow"
        ? undefined
        : refused(tool.name, "MCP tools may change things (only those of servers marked read-only run)");
    case "shell": {
      if (tool.name !== "shell") return refused(tool.name, "it controls processes");
      if (field(input, "background") === true)
        return refused(tool.name, "background commands are not allowed");
      const command = field(input, "command");
      const verdict = judgeCommand(typeof command === "string" ? command : "");
      return verdict.readOnly
        ? undefined
        : refused(tool.name, `the command is not read-only (${verdict.reason})`);
    }
  }
}
