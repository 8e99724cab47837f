/**
 * The skills API as the UI sees it (/api/skills). Plain types and constants: no Bun or Node imports.
 *
 * A skill is addressed by its folder name in the user's skills dir. A valid skill's folder name equals
 * its frontmatter `name`; a malformed folder is still listed (with `valid: false` and its problems) so the
 * user can open and fix it.
 */

/** Where a skill came from. Built-ins keep this source even after the user edits their copy. */
export type SkillSourceKind = "builtin" | "user" | "imported" | "workspace" | "home";

/** One problem found in a skill, with the file it concerns relative to the skill folder. */
export interface SkillProblem {
  severity: "error" | "warning";
  /** Path relative to the skill folder ("SKILL.md", "scripts/x.sh"), or "" for the folder itself. */
  file: string;
  message: string;
  /** The frontmatter field concerned, when there is one. */
  field?: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** An agent, as far as the skills page needs to know it. */
export interface SkillAgentRef {
  id: string;
  name: string;
  emoji: string;
  /** True when the agent enables every installed skill ("all"), new ones included. */
  allSkills: boolean;
  /** True for the default agent. */
  isDefault: boolean;
}

export interface SkillEntry {
  /** The folder name (for a valid skill, also its frontmatter name). */
  name: string;
  /** Empty for a malformed skill. */
  description: string;
  source: SkillSourceKind;
  /** False when the skill cannot be used (its problems hold at least one error). */
  valid: boolean;
  /** The folder's other files (not SKILL.md), relative and sorted; empty for a malformed skill. */
  files: string[];
  problems: SkillProblem[];
  /** The name is one of the shipped built-ins: "reset to built-in" can replace this folder. */
  resettable: boolean;
  /** An edited built-in for which a different shipped version is on offer (diff + reset). */
  builtinUpdate: boolean;
  /** Ids of the agents that have this skill enabled. */
  enabledFor: string[];
}

export interface SkillListResponse {
  skills: SkillEntry[];
  /** Problems with the skills folder itself (not with one skill). */
  problems: SkillProblem[];
  /** Shipped built-ins the user deleted: they stay deleted, and can be restored with reset. */
  deletedBuiltins: string[];
  agents: SkillAgentRef[];
  /** Absolute path of the user's skills folder, to show. */
  skillsDir: string;
}

export interface SkillFileInfo {
  /** Relative to the skill folder, `/`-separated. */
  path: string;
  size: number;
  /** True when the file is UTF-8 text small enough to edit here. */
  editable: boolean;
}

export interface SkillDetailResponse {
  skill: SkillEntry;
  /** Every file of the folder, SKILL.md included (when present). */
  files: SkillFileInfo[];
  /** True when the file list was cut short by the walk limits. */
  filesTruncated: boolean;
}

export interface SkillFileContent {
  path: string;
  text: string;
  size: number;
}

/** The answer to a write: the file as stored and the skill re-read (its problems may have changed). */
export interface SkillWriteResponse {
  path: string;
  size: number;
  skill: SkillEntry;
}

export const SKILL_TEMPLATES = ["basic", "script"] as const;
export type SkillTemplate = (typeof SKILL_TEMPLATES)[number];

export interface SkillCreateRequest {
  name: string;
  description: string;
  template?: SkillTemplate;
}

export interface SkillImportResponse {
  name: string;
  /** True when an existing skill of that name was replaced (overwrite). */
  replaced: boolean;
  /** Parser warnings; the skill was imported anyway. */
  warnings: SkillProblem[];
}

/** A skill found in another tool's skills folder, offered for import. */
export interface ExternalSkillCandidate {
  /** Folder name in the other tool's folder. */
  folder: string;
  /** Absolute path of the skill folder (what to pass to the folder import). */
  path: string;
  /** Frontmatter name when it parses, else the folder name. */
  name: string;
  description: string;
  valid: boolean;
  problems: SkillProblem[];
  /** A skill of that name is already in the user's skills folder. */
  installed: boolean;
}

export interface ExternalSkillSource {
  label: string;
  dir: string;
  skills: ExternalSkillCandidate[];
}

export interface SkillDiffFile {
  path: string;
  /** From the shipped version to the user's copy: "added" exists only in the user's copy. */
  change: "added" | "removed" | "modified";
  /** Unified diff (shipped -> yours) for text files. */
  patch?: string;
  binary: boolean;
}

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
