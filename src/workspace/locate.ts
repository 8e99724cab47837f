/**
 * Which workspace a request is about: an agent's (by id) or a session's (its agent's, falling back to
 * the default agent exactly as a turn does when the session's agent was deleted).
 */

import type { Workspace } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { NotFoundError } from "../core/errors.ts";
import type { Paths } from "../core/paths.ts";
import type { SessionManager } from "../sessions/manager.ts";
import { workspaceFor } from "../sessions/turn-setup.ts";
import type { Agent } from "../shared/agent.ts";

export interface WorkspaceLocator {
  /** The agent's workspace; `NotFoundError` for an unknown agent. */
  forAgent(agentId: string): { agent: Agent; workspace: Workspace };
  /** The workspace a session's turns use; `NotFoundError` for an unknown session. */
  forSession(sessionId: string): { agent: Agent; workspace: Workspace };
}

export function workspaceLocator(deps: {
  paths: Paths;
  credentialFolders(): readonly string[];
  agents: AgentRepository;
  sessions: Pick<SessionManager, "get">;
}): WorkspaceLocator {
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
