/**
 * Which workspace a request is about: an agent's (by id) or a session's (its agent's, falling back to
 * the default agent exactly as a turn does when the session's agent was deleted).
 */

import type { Workspace } from "../agent/tool-contract.ts";
import { NotFoundError } from "../core/errors.ts";
import type { Agent } from "../shared/agent.ts";
import { type WorkspaceDeps, workspaceFor } from "./agent-workspace.ts";

export interface WorkspaceLocator {
  /** The agent's workspace; `NotFoundError` for an unknown agent. */
  forAgent(agentId: string): { agent: Agent; workspace: Workspace };
  /** The workspace a session's turns use; `NotFoundError` for an unknown session. */
  forSession(sessionId: string): { agent: Agent; workspace: Workspace };
}

export function workspaceLocator(
  deps: WorkspaceDeps & {
    /** The agents (src/agent-configs/repository.ts). */
    agents: { find(agentId: string): Agent | undefined; defaultAgent(): Agent };
    /** The sessions (src/sessions/manager.ts): `get` throws `NotFoundError` for an unknown one. */
    sessions: { get(sessionId: string): { agentId: string } };
  },
): WorkspaceLocator {
  return {
    forAgent(agentId) {
      const agent = deps.agents.find(agentId);
      if (!agent) throw new NotFoundError("Agent", agentId);
      return { agent, workspace: workspaceFor(deps, agent) };
    },
    forSession(sessionId) {
      const session = deps.sessions.get(sessionId);
      const agent = deps.agents.find(session.agentId) ?? deps.agents.defaultAgent();
      return { agent, workspace: workspaceFor(deps, agent) };
    },
  };
}
