/** GET /api/agents/:id/project-context: the agent's instruction files and in-place skills. */
import type { ProjectContextResponse } from "../../../src/shared/project-context.ts";
import { call } from "./api-client.ts";

export function fetchProjectContext(agentId: string): Promise<ProjectContextResponse> {
  return call("GET /api/agents/:id/project-context", { params: { id: agentId } });
}
