/**
 * What an agent picks up from where it works: its instruction files (AGENTS.md / CLAUDE.md) and the skills
 * read in place from its workspace and the user's home. The turn uses `instructions.prompt` and the live
 * skills; the UI shows `describeProjectContext` (the chat's indicator, the skills page's source groups).
 */

import { type LoadedInstructions, loadProjectInstructions } from "../agent/project-instructions.ts";
import type { Paths } from "../core/paths.ts";
import type { Agent } from "../shared/agent.ts";
import type { LiveSkillEntry, ProjectContextResponse } from "../shared/project-context.ts";
import { ALL_SKILL_SOURCES_ON, type LiveSkills } from "../skills/live-sources.ts";
import type { SkillService } from "../skills/service.ts";
import type { Skill } from "../skills/types.ts";

export interface ProjectContext {
  workspaceRoot: string;
  instructions: LoadedInstructions;
  live: LiveSkills;
}

/** Read the agent's instruction files and live skills now. */
export async function readProjectContext(
  deps: { paths: Paths; skills: SkillService },
  agent: Agent,
  workspaceRoot: string,
): Promise<ProjectContext> {
  const [instructions, live] = await Promise.all([
    loadProjectInstructions({ configDir: deps.paths.config, workspaceRoot }),
    deps.skills.liveSkills(workspaceRoot, agent.config.skillSources ?? ALL_SKILL_SOURCES_ON),
  ]);
  return { workspaceRoot, instructions, live };
}

function liveEntry(skill: Skill, live: LiveSkills, library: ReadonlySet<string>): LiveSkillEntry {
  const source = skill.source === "home" ? "home" : "workspace";
  const entry: LiveSkillEntry = {
    name: skill.name,
    description: skill.description,
    source,
    location: skill.location ?? "",
    dir: skill.dir,
    warnings: [],
  };
  if (source === "home") {
    if (live.workspace.some((other) => other.name === skill.name)) entry.shadowedBy = "workspace";
    else if (library.has(skill.name)) entry.shadowedBy = "library";
  }
  return entry;
}

/** The UI's view of an agent's project context (`workspaceRoot`: see `workspaceFor` in src/workspace/agent-workspace.ts). */
export async function describeProjectContext(
  deps: { paths: Paths; skills: SkillService },
  agent: Agent,
  workspaceRoot: string,
): Promise<ProjectContextResponse> {
  await deps.skills.ready();
  const context = await readProjectContext(deps, agent, workspaceRoot);
  const library = new Set(deps.skills.list().map((skill) => skill.name));
  const skills = [...context.live.workspace, ...context.live.home].map((skill) =>
    liveEntry(skill, context.live, library),
  );
  for (const diagnostic of context.live.diagnostics) {
    const entry = skills.find((skill) => skill.dir === diagnostic.path.replace(/\/SKILL\.md$/, ""));
    if (entry && diagnostic.severity === "warning") entry.warnings.push(diagnostic.message);
  }
  const problems = context.live.diagnostics
    .filter((diagnostic) => diagnostic.severity === "error")
    .map((diagnostic) => ({ path: diagnostic.path, message: diagnostic.message }));
  return {
    workspace: context.workspaceRoot,
    instructions: context.instructions.files,
    skills,
    problems,
    sources: agent.config.skillSources ?? ALL_SKILL_SOURCES_ON,
  };
}
