/** GET /api/agents/:id/project-context: the agent's instruction files and in-place skills. */
import type { ProjectContextResponse } from "../../../src/shared/project-context.ts";
import { api } from "./api.ts";

export function fetchProjectContext(agentId: string): Promise<ProjectContextResponse> {
  return api<ProjectContextResponse>(`/api/agents/${encodeURIComponent(agentId)}/project-context`);
}
