/**
 * What Sage picks up from where an agent works (/api/agents/:id/project-context): the instruction files
 * entering its system prompt and the skills read in place from its workspace and the user's home.
 * TypeBox schemas (the route declares them as its answer) and constants: no Bun or Node imports.
 */
import { type Static, Type as T } from "@sinclair/typebox";

/** Each instruction file enters the prompt up to this many bytes; the rest is cut with a note. */
export const INSTRUCTIONS_MAX_BYTES = 32 * 1024;

/** Looked for in this order at the workspace root and in Sage's config folder; the first found is used. */
export const INSTRUCTION_FILE_NAMES = ["AGENTS.md", "CLAUDE.md"] as const;

/** Skill folders read in place from the workspace, relative to its root, in precedence order. */
export const WORKSPACE_SKILL_FOLDERS = [
  ".agents/skills",
  ".claude/skills",
  ".opencode/skills",
  "skills",
] as const;
/** Skill folders read in place from the user's home, in precedence order. */
export const HOME_SKILL_FOLDERS = [".agents/skills", ".claude/skills"] as const;

export const InstructionFile = T.Object({
  /** "global": Sage's config folder (for every agent); "workspace": the agent's workspace root. */
  scope: T.Union([T.Literal("global"), T.Literal("workspace")]),
  /** AGENTS.md or CLAUDE.md. */
  name: T.String(),
  /** Absolute path. */
  path: T.String(),
  /** The file's size on disk. */
  bytes: T.Number(),
  /** True when only the first `INSTRUCTIONS_MAX_BYTES` entered the prompt. */
  truncated: T.Boolean(),
});
export type InstructionFile = Static<typeof InstructionFile>;

export const LiveSkillEntry = T.Object({
  name: T.String(),
  description: T.String(),
  source: T.Union([T.Literal("workspace"), T.Literal("home")]),
  /** The folder it was found in, as shown: `.claude/skills` or `~/.claude/skills`. */
  location: T.String(),
  /** Absolute path of the skill's folder. */
  dir: T.String(),
  /** Set when a skill of the same name with higher precedence is used instead: its source. */
  shadowedBy: T.Optional(T.Union([T.Literal("workspace"), T.Literal("library")])),
  /** Warnings from its SKILL.md (a long description ...). */
  warnings: T.Array(T.String()),
});
export type LiveSkillEntry = Static<typeof LiveSkillEntry>;

export const ProjectContextResponse = T.Object({
  workspace: T.String(),
  instructions: T.Array(InstructionFile),
  skills: T.Array(LiveSkillEntry),
  /** Problems that kept a skill out (malformed SKILL.md, a link leaving the workspace ...). */
  problems: T.Array(T.Object({ path: T.String(), message: T.String() })),
  /** The agent's source switches as in effect (both on when the agent sets none). */
  sources: T.Object({ workspace: T.Boolean(), home: T.Boolean() }),
});
export type ProjectContextResponse = Static<typeof ProjectContextResponse>;
