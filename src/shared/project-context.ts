/**
 * What Sage picks up from where an agent works (/api/agents/:id/project-context): the instruction files
 * entering its system prompt and the skills read in place from its workspace and the user's home.
 * Plain types: no Bun or Node imports.
 */

/** Each instruction file enters the prompt up to this many bytes; the rest is cut with a note. */
export const INSTRUCTIONS_MAX_BYTES = 32 * 1024;

/** Looked for in this order at the workspace root and in Sage's config folder; the first found is used. */
export const INSTRUCTION_FILE_NAMES = ["AGENTS.md", "CLAUDE.md"] as const;

export interface InstructionFile {
  /** "global": Sage's config folder (for every agent); "workspace": the agent's workspace root. */
  scope: "global" | "workspace";
  /** AGENTS.md or CLAUDE.md. */
  name: string;
  /** Absolute path. */
  path: string;
  /** The file's size on disk. */
  bytes: number;
  /** True when only the first `INSTRUCTIONS_MAX_BYTES` entered the prompt. */
  truncated: boolean;
}

export interface LiveSkillEntry {
  name: string;
  description: string;
  source: "workspace" | "home";
  /** The folder it was found in, as shown: `.claude/skills` or `~/.claude/skills`. */
  location: string;
  /** Absolute path of the skill's folder. */
  dir: string;
  /** Set when a skill of the same name with higher precedence is used instead: its source. */
  shadowedBy?: "workspace" | "library";
  /** Warnings from its SKILL.md (a long description ...). */
  warnings: string[];
}

export interface ProjectContextResponse {
  workspace: string;
  instructions: InstructionFile[];
  skills: LiveSkillEntry[];
  /** Problems that kept a skill out (malformed SKILL.md, a link leaving the workspace ...). */
  problems: { path: string; message: string }[];
  /** The agent's source switches as in effect (both on when the agent sets none). */
  sources: { workspace: boolean; home: boolean };
}
