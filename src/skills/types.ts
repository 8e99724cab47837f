/**
 * The skills contract. A skill is a folder holding a `SKILL.md` (YAML frontmatter + Markdown body) and any
 * other files (scripts, templates, references). Skills live in the user's skills dir; built-in skills ship
 * inside the executable and are synced there (see sync.ts). Nothing here imports Bun or Node.
 *
 * Flow: discover.ts scans a skills dir -> `Skill[]` plus `SkillDiagnostic[]` (a malformed skill becomes a
 * diagnostic the UI shows, never a crash or a silent skip); the caller filters by the agent's enabled list
 * into a `SkillCatalog`; the system prompt lists the catalog (name + description) and the `load_skill` tool
 * returns one skill's body and files.
 */

/**
 * Where a skill came from. Built-ins keep this source even after the user edits their copy. "workspace"
 * and "home" skills are read in place from the agent's workspace or the user's home (see live-sources.ts).
 */
export type SkillSource = "builtin" | "user" | "imported" | "workspace" | "home";

/** The file every skill folder must contain. */
export const SKILL_FILE_NAME = "SKILL.md";

/** Frontmatter limits and the name rule (lowercase letters, digits, single hyphens between them). */
export const SKILL_NAME_MAX_LENGTH = 64;
export const SKILL_DESCRIPTION_MAX_LENGTH = 1024;
export const SKILL_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Top-level frontmatter fields the parser knows; any other field gives a warning. */
export const KNOWN_FRONTMATTER_FIELDS = [
  "name",
  "description",
  "license",
  "allowed-tools",
  "metadata",
] as const;

/** What `SKILL.md` declares, after validation. */
export interface SkillFrontmatter {
  name: string;
  description: string;
  license?: string;
  /** From `allowed-tools` (a YAML list, or a string split on spaces and commas). Informational in Sage. */
  allowedTools?: string[];
  /** From `metadata`: a flat map; numbers and booleans are kept as their string form. */
  metadata?: Record<string, string>;
}

export interface Skill extends SkillFrontmatter {
  source: SkillSource;
  /** Absolute path of the skill's folder. */
  dir: string;
  /** Absolute path of its `SKILL.md`. */
  skillFile: string;
  /** The Markdown body after the frontmatter, trimmed. */
  body: string;
  /** The folder's other files, relative to `dir`, `/`-separated, sorted; `SKILL.md` is not included. */
  files: string[];
  /** True when `files` was cut short (too many files or too deep); the agent can still list_dir. */
  filesTruncated: boolean;
  /** For workspace and home skills: the folder they were found in, as shown (`.claude/skills`, `~/...`). */
  location?: string;
}

export type SkillDiagnosticSeverity = "error" | "warning";

/**
 * A problem found in a skill. `error`: the skill is not usable and is left out of the catalog.
 * `warning`: the skill is usable but something looks wrong (unknown field, empty body, ...).
 */
export interface SkillDiagnostic {
  severity: SkillDiagnosticSeverity;
  /** Absolute path of the file concerned (usually SKILL.md) or of the skill folder. */
  path: string;
  /** The skill's folder name, so the UI can group diagnostics per skill. */
  skill: string;
  /** Human-readable, says what is wrong and what is expected. */
  message: string;
  /** The frontmatter field concerned, when there is one. */
  field?: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** The enabled skills of one agent, as the system prompt and `load_skill` see them. */
export interface SkillCatalog {
  list(): Skill[];
  get(name: string): Skill | undefined;
  /**
   * Make the skill's files reachable by the agent's tools and return the folder they should use. Sage
   * copies the skill into the agent's workspace (`.skills/<name>`), so the confined file tools and the
   * sandboxed shell can read and run it. Without it, the skill's own folder is given.
   */
  materialize?(skill: Skill): Promise<string>;
}

/**
 * Where the executable's built-in skills come from: a map from `<skill-name>/<relative path>` to the file's
 * bytes. Running from source this reads the repo's `skills/` folder (see builtin.ts); the compiled
 * executable implements it over embedded files.
 */
export interface BuiltinSkillSource {
  files(): Promise<Map<string, Uint8Array>>;
}

/** What the last sync recorded for one built-in skill. */
export interface SkillSyncEntry {
  /** Content hash of the built-in as shipped by the executable at the last sync. */
  shippedHash: string;
  /**
   * Content hash of the copy sync wrote into the user's dir, or null when sync never wrote one (a folder
   * of that name already existed on first sync). A user copy whose hash differs from this was edited.
   */
  installedHash: string | null;
}

/** The sync manifest, stored as JSON (see sync.ts). */
export interface SkillSyncManifest {
  version: 1;
  skills: Record<string, SkillSyncEntry>;
}

/** A built-in the user edited: their copy is kept and the shipped version is staged for diff / reset. */
export interface KeptEditedSkill {
  name: string;
  /** Absolute folder holding the shipped version (see `builtinStagingDir`). */
  builtinDir: string;
  /** True when the shipped version changed during this sync (a new version is on offer). */
  builtinChanged: boolean;
}

export interface SkillSyncReport {
  /** Built-ins copied into the user's dir for the first time. */
  added: string[];
  /** Unedited copies replaced by the new shipped version. */
  updated: string[];
  keptEdited: KeptEditedSkill[];
  /** Built-ins the user deleted: not brought back. */
  skippedDeleted: string[];
  /** Copies already equal to the shipped version. */
  unchanged: string[];
  /** Skills no longer shipped: the user's copy stays as a user skill, the manifest forgets them. */
  retired: string[];
  /** Non-fatal problems (an unreadable manifest set aside, a built-in that fails to parse ...). */
  warnings: string[];
}
