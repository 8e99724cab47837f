/**
 * How the agent uses skills:
 * - `renderSkillList(skills)`: the system-prompt section listing enabled skills (name + description only);
 * - `load_skill`: the tool returning one skill's body, its absolute folder and its files;
 * - `parsePinnedSkills(text)`: `/skill-name` tokens the user typed at the start of a message; the caller
 *   loads those skills for the turn with `renderLoadedSkill` (the same text `load_skill` returns).
 *
 * The skill's folder lies outside the agent's workspace (it is in the data dir): the catalog's
 * `materialize` copies it into the workspace so the confined file tools and the sandboxed shell reach it.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { compareCodePoints } from "../core/text-order.ts";
import { skillCatalogFromServices } from "./catalog.ts";
import {
  SKILL_DESCRIPTION_MAX_LENGTH,
  SKILL_NAME_MAX_LENGTH,
  SKILL_NAME_PATTERN,
  type Skill,
} from "./types.ts";

/** At most this many files are listed in a loaded skill; the rest are counted. */
export const LOADED_SKILL_MAX_FILES_LISTED = 200;

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The description as listed in the prompt: one line, cut to the spec's 1,024 characters with an ellipsis. */
export function promptDescription(description: string): string {
  const line = oneLine(description);
  if (line.length <= SKILL_DESCRIPTION_MAX_LENGTH) return line;
  return `${line.slice(0, SKILL_DESCRIPTION_MAX_LENGTH - 1).trimEnd()}…`;
}

/**
 * The system-prompt section for the enabled skills, or "" when there are none (omit the section then).
 * Only names and descriptions: bodies are loaded on demand to keep the prompt small.
 */
export function renderSkillList(skills: readonly Skill[]): string {
  if (skills.length === 0) return "";
  const lines = [
    "## Skills",
    "",
    "Skills are tested instructions for particular kinds of task. When the user's request matches a skill's " +
      "description, call `load_skill` with its name before you start and follow what it says.",
    "",
  ];
  for (const skill of [...skills].sort((left, right) => compareCodePoints(left.name, right.name))) {
    lines.push(`- ${skill.name}: ${promptDescription(skill.description)}`);
  }
  return lines.join("\n");
}

/** The full text of a loaded skill: its folder (as the agent should use it), its files, then its body. */
export function renderLoadedSkill(skill: Skill, folder: string = skill.dir): string {
  const lines = [`<skill name="${skill.name}">`, `Skill folder: ${folder}`];
  if (skill.files.length === 0) {
    lines.push("The skill has no other files.");
  } else {
    lines.push(
      "Files in the skill folder (paths relative to it; read them with read_file, " +
        "run its scripts with shell, giving the skill folder as cwd when a script expects it):",
    );
    for (const file of skill.files.slice(0, LOADED_SKILL_MAX_FILES_LISTED)) lines.push(`- ${file}`);
    const unlisted = skill.files.length - LOADED_SKILL_MAX_FILES_LISTED;
    if (unlisted > 0) lines.push(`- ... and ${unlisted} more (use list_dir on the skill folder)`);
    else if (skill.filesTruncated) lines.push("- ... the folder holds more files (use list_dir on it)");
  }
  lines.push("", skill.body, "</skill>");
  return lines.join("\n");
}

export const LoadSkillParameters = T.Object({
  name: T.String({
    minLength: 1,
    maxLength: SKILL_NAME_MAX_LENGTH + 1,
    description: "The skill's name exactly as listed in the Skills section, e.g. web-research.",
  }),
});

export const loadSkillTool = defineTool({
  name: "load_skill",
  description:
    "Load a skill: returns its instructions, its folder and its files. Call it when the " +
    "task matches a skill listed in the Skills section, before doing the work, then follow the " +
    "instructions. Read the skill's files with read_file and run its scripts with shell as it says.",
  parameters: LoadSkillParameters,
  kind: "interaction",
  async execute(params, ctx) {
    const catalog = skillCatalogFromServices(ctx.services);
    if (!catalog) {
      throw new ToolError(
        "Skills are not available here (no skill catalog for this session); carry on without.",
      );
    }
    const name = params.name.trim().replace(/^\//, "");
    const skill = catalog.get(name);
    if (!skill) {
      const names = catalog.list().map((candidate) => candidate.name);
      const available = names.length > 0 ? `Enabled skills: ${names.join(", ")}.` : "No skills are enabled.";
      throw new ToolError(`No enabled skill is named '${name}'. ${available}`);
    }
    const folder = catalog.materialize ? await catalog.materialize(skill) : skill.dir;
    return {
      text: renderLoadedSkill(skill, folder),
      details: { name: skill.name, source: skill.source, dir: folder, files: skill.files },
    };
  },
});

export interface PinnedSkills {
  /** Skill names in the order typed, without duplicates. */
  names: string[];
  /** The message with the leading `/name` tokens and the whitespace after them removed. */
  text: string;
}

const PINNED_TOKEN = new RegExp(`^/(${SKILL_NAME_PATTERN.source.slice(1, -1)})(?=\\s|$)`);

/**
 * Find skills pinned with `/skill-name` at the start of a message: one or more tokens, each a `/`
 * followed by a valid skill name and then whitespace or the end, e.g. "/code-review /report-writing check
 * src/". Only the start counts, so paths and slashes inside a sentence ("see /tmp first") are never taken.
 * With `knownNames`, scanning stops at the first token that names no known skill, and that token stays
 * in the text (so "/etc is full" keeps its meaning). Without it, every well-formed token is taken.
 */
export function parsePinnedSkills(text: string, knownNames?: Iterable<string>): PinnedSkills {
  const known = knownNames ? new Set(knownNames) : undefined;
  const names: string[] = [];
  let rest = text.replace(/^\s+/, "");
  for (;;) {
    const match = PINNED_TOKEN.exec(rest);
    if (!match) break;
    const name = match[1];
    if (name.length > SKILL_NAME_MAX_LENGTH || (known && !known.has(name))) break;
    if (!names.includes(name)) names.push(name);
    rest = rest.slice(match[0].length).replace(/^\s+/, "");
  }
  return names.length === 0 ? { names, text } : { names, text: rest };
}
