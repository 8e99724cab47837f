/**
 * Skills where they already are: read in place (never copied into Sage's library) from the agent's
 * workspace and from the user's home, on every turn and every listing, so an edit shows at the next read.
 *
 * Folders, in precedence order (the first skill of a name wins). Within an origin (workspace, home) a later
 * skill of the same name is left out with a problem naming the one used; across origins the catalog keeps
 * the first and the project context reports the others as shadowed:
 *   1. the workspace: `.agents/skills/`, `.claude/skills/`, `.opencode/skills/`, `skills/` (in that order);
 *   2. Sage's own library (built-in, the user's own and imported skills);
 *   3. the home folders: `~/.agents/skills/`, `~/.claude/skills/`.
 * A project's skill thus overrides a same-named skill anywhere else, and a skill the user imported into Sage
 * (and maybe edited) wins over the copy it came from.
 *
 * Each source has a per-agent switch (`AgentConfig.skillSources`, both on when absent). The agent's list of
 * enabled skills applies to the library only: turning a source off is how its skills are turned off.
 *
 * Confinement: a workspace skill whose real path (symbolic links resolved) leaves the workspace is refused,
 * and so is a home skill whose real path lies in a hidden folder (the protected paths the app passes:
 * Sage's own folders and the credential folders of Settings, src/sandbox/protected-paths.ts): discovery
 * never reads what the agent's file tools and shell may not.
 */
import { realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { HOME_SKILL_FOLDERS, WORKSPACE_SKILL_FOLDERS } from "../shared/project-context.ts";
import { type DiscoverOptions, discoverSkills } from "./discover.ts";
import type { Skill, SkillDiagnostic } from "./types.ts";

export type LiveSkillOrigin = "workspace" | "home";

export { HOME_SKILL_FOLDERS, WORKSPACE_SKILL_FOLDERS };

export interface SkillSourceSwitches {
  workspace: boolean;
  home: boolean;
}

export const ALL_SKILL_SOURCES_ON: SkillSourceSwitches = { workspace: true, home: true };

export interface LiveSkillOptions {
  workspaceRoot: string;
  home: string;
  switches: SkillSourceSwitches;
  /** Folders no skill may be read from (Sage's data/config/state folders, credential stores). */
  hiddenPaths: readonly string[];
  discover?: DiscoverOptions;
}

export interface LiveSkillFolder {
  origin: LiveSkillOrigin;
  /** As shown to the user: `.claude/skills` or `~/.claude/skills`. */
  label: string;
  dir: string;
}

export interface LiveSkills {
  /** Workspace skills, then home skills; each in folder precedence order, names unique within each list. */
  workspace: Skill[];
  home: Skill[];
  diagnostics: SkillDiagnostic[];
}

/** True when `path` is `root` or inside it. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

async function real(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/** The live skill folders for a workspace and home (whether or not they exist). */
export function liveSkillFolders(workspaceRoot: string, home: string): LiveSkillFolder[] {
  return [
    ...WORKSPACE_SKILL_FOLDERS.map((folder) => ({
      origin: "workspace" as const,
      label: folder,
      dir: join(workspaceRoot, folder),
    })),
    ...HOME_SKILL_FOLDERS.map((folder) => ({
      origin: "home" as const,
      label: `~/${folder}`,
      dir: join(home, folder),
    })),
  ];
}

/** The folders of an origin in precedence order, as shown to the user. */
function folderOrder(origin: LiveSkillOrigin): string {
  return origin === "workspace"
    ? WORKSPACE_SKILL_FOLDERS.join(", then ")
    : HOME_SKILL_FOLDERS.map((folder) => `~/${folder}`).join(", then ");
}

/** Discover the workspace's and the home's skills, in precedence order, skipping switched-off sources. */
export async function discoverLiveSkills(options: LiveSkillOptions): Promise<LiveSkills> {
  const result: LiveSkills = { workspace: [], home: [], diagnostics: [] };
  const workspaceReal = await real(options.workspaceRoot);
  const hidden = await Promise.all(options.hiddenPaths.map(async (path) => (await real(path)) ?? path));
  for (const folder of liveSkillFolders(options.workspaceRoot, options.home)) {
    if (!options.switches[folder.origin]) continue;
    const found = await discoverSkills(folder.dir, { ...options.discover, defaultSource: folder.origin });
    result.diagnostics.push(...found.diagnostics);
    for (const skill of found.skills) {
      const where = await real(skill.dir);
      const refused =
        where === undefined ||
        (folder.origin === "workspace"
          ? !workspaceReal || !isInside(where, workspaceReal)
          : // The workspace may lie in Sage's data folder (the default): what is inside it stays readable.
            hidden.some((path) => isInside(where, path)) &&
            !(workspaceReal && isInside(where, workspaceReal)));
      if (refused) {
        result.diagnostics.push({
          severity: "error",
          path: skill.dir,
          skill: skill.name,
          message:
            folder.origin === "workspace"
              ? "this skill links outside the workspace; workspace skills must live inside it"
              : "this skill links into a folder Sage keeps hidden from agents; it is not read",
        });
        continue;
      }
      // Within one origin the first folder wins; across origins the catalog applies the precedence, so a
      // home skill overridden by a workspace one is still listed (the UI shows it as overridden).
      const winner = result[folder.origin].find((other) => other.name === skill.name);
      if (winner) {
        result.diagnostics.push({
          severity: "error",
          path: skill.dir,
          skill: skill.name,
          message: `not used: the skill of the same name in ${winner.location} comes first (${folderOrder(folder.origin)})`,
        });
        continue;
      }
      result[folder.origin].push({ ...skill, location: folder.label });
    }
  }
  return result;
}

/**
 * All skills of an agent in precedence order (workspace, library, home): pass to `createSkillCatalog`,
 * which keeps the first skill of each name. `library` is already filtered by the agent's enabled list.
 */
export function inPrecedenceOrder(live: LiveSkills, library: readonly Skill[]): Skill[] {
  return [...live.workspace, ...library, ...live.home];
}
