/**
 * The built-in tools, as one explicit list (no hidden registration). An agent enables all of them or a
 * subset by name. MCP tools are not here: each turn adds the tools of the agent's MCP servers, which
 * `McpManager.toolsForAgent` (src/mcp/manager.ts) starts when needed (src/sessions/turn-setup.ts).
 *
 * The browser tools need `services.browser`, web_fetch reads `services.webFetch` and web_search
 * `services.webSearch` (left out of a turn when no provider is set up); they come from the
 * app's per-agent services (src/app/agent-services.ts, wired through `TurnSetupDeps.agentServices`).
 */

import type { AnyTool } from "../agent/tool-contract.ts";
import { loadSkillTool } from "../skills/load-skill-tool.ts";
import { applyPatchTool } from "./apply-patch.ts";
import { askUserTool } from "./ask-user.ts";
import { browserClickTool } from "./browser-click.ts";
import { browserEvaluateTool } from "./browser-evaluate.ts";
import { browserNavigateTool } from "./browser-navigate.ts";
import { browserPressKeyTool } from "./browser-press-key.ts";
import { browserScreenshotTool } from "./browser-screenshot.ts";
import { browserScrollTool } from "./browser-scroll.ts";
import { browserSnapshotTool } from "./browser-snapshot.ts";
import { browserTabsTool } from "./browser-tabs.ts";
import { browserTypeTool } from "./browser-type.ts";
import { delegateTool } from "./delegate.ts";
import { deleteScheduledTaskTool } from "./delete-scheduled-task.ts";
import { editFileTool } from "./edit-file.ts";
import { globTool } from "./glob.ts";
import { grepTool } from "./grep.ts";
import { listDirTool } from "./list-dir.ts";
import { listScheduledTasksTool } from "./list-scheduled-tasks.ts";
import { readFileTool } from "./read-file.ts";
import { scheduleTaskTool } from "./schedule-task.ts";
import { searchMemoryTool } from "./search-memory.ts";
import { shellTool } from "./shell.ts";
import { shellJobKillTool, shellJobTool } from "./shell-jobs-tool.ts";
import { todoTool } from "./todo.ts";
import { updateScheduledTaskTool } from "./update-scheduled-task.ts";
import { webFetchTool } from "./web-fetch.ts";
import { webSearchTool } from "./web-search.ts";
import { writeFileTool } from "./write-file.ts";

export const BUILTIN_TOOLS: readonly AnyTool[] = [
  readFileTool,
  writeFileTool,
  editFileTool,
  applyPatchTool,
  listDirTool,
  globTool,
  grepTool,
  shellTool,
  shellJobTool,
  shellJobKillTool,
  webFetchTool,
  webSearchTool,
  browserNavigateTool,
  browserSnapshotTool,
  browserClickTool,
  browserTypeTool,
  browserPressKeyTool,
  browserScrollTool,
  browserScreenshotTool,
  browserTabsTool,
  browserEvaluateTool,
  todoTool,
  askUserTool,
  loadSkillTool,
  delegateTool,
  searchMemoryTool,
  listScheduledTasksTool,
  scheduleTaskTool,
  updateScheduledTaskTool,
  deleteScheduledTaskTool,
];

/** The tools an agent has enabled ("all", or the named ones that exist). */
export function enabledTools(all: readonly AnyTool[], enabled: "all" | readonly string[]): AnyTool[] {
  if (enabled === "all") return [...all];
  const names = new Set(enabled);
  return all.filter((tool) => names.has(tool.name));
}
