/**
 * An agent's workspace, confined, as every turn, tool run, undo and workspace route uses it: the agent's
 * configured folder (or its own folder under Sage's workspaces), with Sage's own folders and the
 * credential folders hidden from every tool (src/sandbox/protected-paths.ts).
 */
import type { Workspace } from "../agent/tool-contract.ts";
import { ValidationError } from "../core/errors.ts";
import type { Paths } from "../core/paths.ts";
import { protectedPaths } from "../sandbox/protected-paths.ts";
import { createWorkspace } from "../sandbox/workspace.ts";
import type { Agent } from "../shared/agent.ts";
import { forbiddenWorkspaceReason, workspaceRootOf, workspaceRulesFor } from "./workspace-location.ts";

/** What finding an agent's workspace needs: Sage's folders and the machine's credential folders. */
export interface WorkspaceDeps {
  paths: Paths;
  /** The credential folder entries (hidden from tools like Sage's own folders). */
  credentialFolders(): readonly string[];
}

/**
 * The agent's workspace, confined. A workspace in a forbidden place (a config saved before the location
 * rule, or edited by hand) is refused with a `ValidationError` naming the reason.
 */
export function workspaceFor(deps: WorkspaceDeps, agent: Agent): Workspace {
  const { paths } = deps;
  const credentials = deps.credentialFolders();
  const root = workspaceRootOf(agent, paths.workspaces);
  const forbidden = forbiddenWorkspaceReason(root, workspaceRulesFor(paths, credentials));
  if (forbidden !== undefined) {
    throw new ValidationError(
      `The agent "${agent.config.name}" cannot work in ${root}: ${forbidden}. Change its workspace in Settings → Agents.`,
      "workspace",
    );
  }
  return createWorkspace(root, { hidden: protectedPaths(paths, credentials) });
}
