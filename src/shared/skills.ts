/**
 * The skills API as the UI sees it (/api/skills): TypeBox schemas (the routes declare them as their answers),
 * types and constants; no Bun or Node imports.
 *
 * A skill is addressed by its folder name in the user's skills dir. A valid skill's folder name equals
 * its frontmatter `name`; a malformed folder is still listed (with `valid: false` and its problems) so the
 * user can open and fix it.
 */

import { type Static, Type as T } from "@sinclair/typebox";

/** Where a skill came from. Built-ins keep this source even after the user edits their copy. */
export const SkillSourceKind = T.Union([
  T.Literal("builtin"),
  T.Literal("user"),
  T.Literal("imported"),
  T.Literal("workspace"),
  T.Literal("home"),
]);
export type SkillSourceKind = Static<typeof SkillSourceKind>;

/** One problem found in a skill, with the file it concerns relative to the skill folder. */
export const SkillProblem = T.Object({
  severity: T.Union([T.Literal("error"), T.Literal("warning")]),
  /** Path relative to the skill folder ("SKILL.md", "scripts/x.sh"), or "" for the folder itself. */
  file: T.String(),
  message: T.String(),
  /** The frontmatter field concerned, when there is one. */
  field: T.Optional(T.String()),
  /** 1-based line in the file, when known. */
  line: T.Optional(T.Number()),
});
export type SkillProblem = Static<typeof SkillProblem>;

/** An agent, as far as the skills page needs to know it. */
export const SkillAgentRef = T.Object({
  id: T.String(),
  name: T.String(),
  emoji: T.String(),
  /** True when the agent enables every installed skill ("all"), new ones included. */
  allSkills: T.Boolean(),
  /** True for the default agent. */
  isDefault: T.Boolean(),
});
export type SkillAgentRef = Static<typeof SkillAgentRef>;

export const SkillEntry = T.Object({
  /** The folder name (for a valid skill, also its frontmatter name). */
  name: T.String(),
  /** Empty for a malformed skill. */
  description: T.String(),
  source: SkillSourceKind,
  /** False when the skill cannot be used (its problems hold at least one error). */
  valid: T.Boolean(),
  /** The folder's other files (not SKILL.md), relative and sorted; empty for a malformed skill. */
  files: T.Array(T.String()),
  problems: T.Array(SkillProblem),
  /** The name is one of the shipped built-ins: "reset to built-in" can replace this folder. */
  resettable: T.Boolean(),
  /** An edited built-in for which a different shipped version is on offer (diff + reset). */
  builtinUpdate: T.Boolean(),
  /** Ids of the agents that have this skill enabled. */
  enabledFor: T.Array(T.String()),
});
export type SkillEntry = Static<typeof SkillEntry>;

export const SkillListResponse = T.Object({
  skills: T.Array(SkillEntry),
  /** Problems with the skills folder itself (not with one skill). */
  problems: T.Array(SkillProblem),
  /** Shipped built-ins the user deleted: they stay deleted, and can be restored with reset. */
  deletedBuiltins: T.Array(T.String()),
  agents: T.Array(SkillAgentRef),
  /** Absolute path of the user's skills folder, to show. */
  skillsDir: T.String(),
});
export type SkillListResponse = Static<typeof SkillListResponse>;

export const SkillFileInfo = T.Object({
  /** Relative to the skill folder, `/`-separated. */
  path: T.String(),
  size: T.Number(),
  /** True when the file is UTF-8 text small enough to edit here. */
  editable: T.Boolean(),
});
export type SkillFileInfo = Static<typeof SkillFileInfo>;

export const SkillDetailResponse = T.Object({
  skill: SkillEntry,
  /** Every file of the folder, SKILL.md included (when present). */
  files: T.Array(SkillFileInfo),
  /** True when the file list was cut short by the walk limits. */
  filesTruncated: T.Boolean(),
});
export type SkillDetailResponse = Static<typeof SkillDetailResponse>;

export const SkillFileContent = T.Object({ path: T.String(), text: T.String(), size: T.Number() });
export type SkillFileContent = Static<typeof SkillFileContent>;

/** The answer to a write: the file as stored and the skill re-read (its problems may have changed). */
export const SkillWriteResponse = T.Object({ path: T.String(), size: T.Number(), skill: SkillEntry });
export type SkillWriteResponse = Static<typeof SkillWriteResponse>;

export const SKILL_TEMPLATES = ["basic", "script"] as const;
export type SkillTemplate = (typeof SKILL_TEMPLATES)[number];

export interface SkillCreateRequest {
  name: string;
  description: string;
  template?: SkillTemplate;
}

export const SkillImportResponse = T.Object({
  name: T.String(),
  /** True when an existing skill of that name was replaced (overwrite). */
  replaced: T.Boolean(),
  /** Parser warnings; the skill was imported anyway. */
  warnings: T.Array(SkillProblem),
});
export type SkillImportResponse = Static<typeof SkillImportResponse>;

/** A skill found in another tool's skills folder, offered for import. */
export const ExternalSkillCandidate = T.Object({
  /** Folder name in the other tool's folder. */
  folder: T.String(),
  /** Absolute path of the skill folder (what to pass to the folder import). */
  path: T.String(),
  /** Frontmatter name when it parses, else the folder name. */
  name: T.String(),
  description: T.String(),
  valid: T.Boolean(),
  problems: T.Array(SkillProblem),
  /** A skill of that name is already in the user's skills folder. */
  installed: T.Boolean(),
});
export type ExternalSkillCandidate = Static<typeof ExternalSkillCandidate>;

export const ExternalSkillSource = T.Object({
  label: T.String(),
  dir: T.String(),
  skills: T.Array(ExternalSkillCandidate),
});
export type ExternalSkillSource = Static<typeof ExternalSkillSource>;

export const SkillDiffFile = T.Object({
  path: T.String(),
  /** From the shipped version to the user's copy: "added" exists only in the user's copy. */
  change: T.Union([T.Literal("added"), T.Literal("removed"), T.Literal("modified")]),
  /** Unified diff (shipped -> yours) for text files. */
  patch: T.Optional(T.String()),
  binary: T.Boolean(),
});
export type SkillDiffFile = Static<typeof SkillDiffFile>;

/** Largest file the editor reads or writes. */
export const SKILL_EDITABLE_MAX_BYTES = 1024 * 1024;
/** Largest `.zip` the import accepts in one upload. */
export const SKILL_ZIP_MAX_BYTES = 50 * 1024 * 1024;

/** File endings of skill archives: plain zips, and the `.skill` zips Anthropic's skill-creator packages. */
export const SKILL_ARCHIVE_EXTENSIONS = [".zip", ".skill"] as const;

/** True when `name` ends like a skill archive (case-insensitive). */
export function isSkillArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  return SKILL_ARCHIVE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}
