/**
 * The per-agent view of skills: discovered skills filtered by the agent's enabled list. This is what goes
 * into `ToolServices.skills` (read by `load_skill`) and what `renderSkillList` lists in the system prompt.
 */
import type { ToolServices } from "../agent/tool-contract.ts";
import { compareCodePoints } from "../core/text-order.ts";
import type { Skill, SkillCatalog } from "./types.ts";

/**
 * Build a catalog. `enabled` is the agent's list of enabled skill names, or "all". Names in the list with
 * no matching skill are ignored (the UI shows them as missing from its own data).
 */
export function createSkillCatalog(
  skills: readonly Skill[],
  enabled: readonly string[] | "all" = "all",
): SkillCatalog {
  const allowed = enabled === "all" ? undefined : new Set(enabled);
  const byName = new Map<string, Skill>();
  for (const skill of skills) {
    if (allowed && !allowed.has(skill.name)) continue;
    if (!byName.has(skill.name)) byName.set(skill.name, skill);
  }
  const list = [...byName.values()].sort((left, right) => compareCodePoints(left.name, right.name));
  return {
    list: () => list,
    get: (name) => byName.get(name),
  };
}

/** The catalog passed to tools as `services.skills`, or undefined when there is none. */
export function skillCatalogFromServices(services: ToolServices): SkillCatalog | undefined {
  return services.skills;
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** The skills enabled for this agent and workspace (load_skill). */
    skills?: SkillCatalog;
  }
}
