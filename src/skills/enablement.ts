/**
 * Which agents use which skills. An agent's `config.skills` is "all" (every installed skill, new ones
 * included) or an explicit list of names. Pure functions: the caller stores the result.
 */

export type EnabledSkills = "all" | readonly string[];

export function isSkillEnabled(enabled: EnabledSkills, name: string): boolean {
  return enabled === "all" || enabled.includes(name);
}

/**
 * The agent's new `skills` setting after turning one skill on or off. Turning one off while "all" is set
 * gives the explicit list of every other installed skill (`installed`); turning it on adds it to the
 * list (or keeps "all"). The list is sorted and has no duplicates.
 */
export function withSkillEnabled(
  enabled: EnabledSkills,
  name: string,
  on: boolean,
  installed: readonly string[],
): "all" | string[] {
  if (enabled === "all") {
    if (on) return "all";
    return [...new Set(installed)].filter((skill) => skill !== name).sort();
  }
  const next = new Set(enabled);
  if (on) next.add(name);
  else next.delete(name);
  return [...next].sort();
}
