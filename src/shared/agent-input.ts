/**
 * Validation of an agent's configuration as the user edits it, shared by the agent form (live, in the
 * browser) and the server (before saving). The workspace folder is checked here for shape only
 * (absolute); whether it can be created is checked on the server.
 */
import { AgentConfig } from "./agent.ts";
import { type FieldIssue, isAbsolutePath, schemaIssues } from "./validation.ts";

export function agentConfigIssues(
  config: unknown,
  options: { takenNames?: readonly string[] } = {},
): FieldIssue[] {
  const issues = schemaIssues(AgentConfig, config);
  const has = (field: string) => issues.some((issue) => issue.field === field);
  const value = (typeof config === "object" && config !== null ? config : {}) as Partial<AgentConfig>;
  if (!has("name") && typeof value.name === "string") {
    const wanted = value.name.trim().toLowerCase();
    if (!wanted) issues.push({ field: "name", code: "required" });
    else if ((options.takenNames ?? []).some((name) => name.trim().toLowerCase() === wanted)) {
      issues.push({ field: "name", code: "duplicate" });
    }
  }
  if (!has("workspace") && typeof value.workspace === "string" && value.workspace.trim()) {
    if (!isAbsolutePath(value.workspace.trim())) issues.push({ field: "workspace", code: "notAbsolute" });
  }
  return issues;
}
