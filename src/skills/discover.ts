/**
 * Discovery: scan a directory whose sub-folders are skills and return the usable skills plus a diagnostic
 * for every problem. Never throws because of a bad skill: a folder without SKILL.md, an unreadable or
 * oversized SKILL.md, or invalid frontmatter each become an error diagnostic and the skill is left out.
 *
 * Folders whose name starts with "." (sync's staging area `.builtin`, temporary copies) and the names in
 * `IGNORED_NAMES` are not skills. Loose files at the top level are ignored. A top-level symbolic link to
 * a folder is followed (people link skills in from elsewhere); links inside a skill are not.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { IGNORED_NAMES, IMPORT_MARKER_FILE, pathExists, type WalkLimits, walkFiles } from "./files.ts";
import { parseSkillMarkdown } from "./parse.ts";
import { SKILL_FILE_NAME, type Skill, type SkillDiagnostic, type SkillSource } from "./types.ts";

/** SKILL.md files larger than this are refused: the body is meant to be read by a model in one go. */
export const DEFAULT_MAX_SKILL_FILE_BYTES = 512 * 1024;

export interface DiscoverOptions extends WalkLimits {
  /**
   * Skills installed by the built-in sync (see `builtinSkillNames` in sync.ts) get source "builtin",
   * unless their folder holds the import marker (an import replaced the built-in): then "imported".
   */
  builtinNames?: ReadonlySet<string>;
  /** Source of other skills; "user" by default. A folder holding the import marker is "imported". */
  defaultSource?: SkillSource;
  maxSkillFileBytes?: number;
  /**
   * Accept a frontmatter `name` that differs from the folder name, as the importer does (it installs under
   * the frontmatter name). Diagnostics are still labelled with the folder name.
   */
  nameFromFrontmatter?: boolean;
}

export interface DiscoveryResult {
  /** Sorted by name. */
  skills: Skill[];
  diagnostics: SkillDiagnostic[];
}

export interface SkillFolderResult {
  skill?: Skill;
  diagnostics: SkillDiagnostic[];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function sourceOf(name: string, dir: string, options: DiscoverOptions): Promise<SkillSource> {
  if (await pathExists(join(dir, IMPORT_MARKER_FILE))) return "imported";
  if (options.builtinNames?.has(name)) return "builtin";
  return options.defaultSource ?? "user";
}

/** Load one skill folder; its folder name must equal the skill's name. */
export async function loadSkillFolder(
  dir: string,
  folderName: string,
  options: DiscoverOptions = {},
): Promise<SkillFolderResult> {
  const skillFile = join(dir, SKILL_FILE_NAME);
  const diagnostic = (message: string, path = skillFile): SkillFolderResult => ({
    diagnostics: [{ severity: "error", path, skill: folderName, message }],
  });

  let size: number;
  try {
    const info = await stat(skillFile);
    if (!info.isFile()) return diagnostic(`${SKILL_FILE_NAME} is not a regular file`);
    size = info.size;
  } catch {
    let entries: string[] = [];
    try {
      entries = await readdir(dir);
    } catch (error) {
      return diagnostic(`cannot read the skill folder: ${errorMessage(error)}`, dir);
    }
    const wrongCase = entries.find((entry) => entry.toLowerCase() === "skill.md");
    if (wrongCase)
      return diagnostic(`found '${wrongCase}'; the file must be named exactly ${SKILL_FILE_NAME}`, dir);
    return diagnostic(`no ${SKILL_FILE_NAME} in this folder; every skill folder needs one`, dir);
  }
  const maxBytes = options.maxSkillFileBytes ?? DEFAULT_MAX_SKILL_FILE_BYTES;
  if (size > maxBytes) {
    return diagnostic(
      `${SKILL_FILE_NAME} is ${size} bytes; the limit is ${maxBytes}. Move long reference material into ` +
        "separate files the skill points to.",
    );
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readFile(skillFile));
  } catch (error) {
    const reason = error instanceof TypeError ? "it is not valid UTF-8 text" : errorMessage(error);
    return diagnostic(`cannot read ${SKILL_FILE_NAME}: ${reason}`);
  }

  const parsed = parseSkillMarkdown(text, {
    folderName: options.nameFromFrontmatter ? undefined : folderName,
    path: skillFile,
  });
  const labelled = parsed.diagnostics.map((diagnostic) => ({ ...diagnostic, skill: folderName }));
  if (!parsed.ok) return { diagnostics: labelled };
  const diagnostics = [...labelled];

  let files: string[] = [];
  let filesTruncated = false;
  try {
    const walk = await walkFiles(dir, options);
    files = walk.files.filter((file) => file !== SKILL_FILE_NAME);
    filesTruncated = walk.truncated;
    if (walk.truncated) {
      diagnostics.push({
        severity: "warning",
        path: dir,
        skill: folderName,
        message: `the folder is large; only ${files.length} files are listed (the agent can still list_dir it)`,
      });
    }
  } catch (error) {
    diagnostics.push({
      severity: "warning",
      path: dir,
      skill: folderName,
      message: `cannot list the skill's files: ${errorMessage(error)}`,
    });
  }

  const skill: Skill = {
    ...parsed.frontmatter,
    source: await sourceOf(folderName, dir, options),
    dir,
    skillFile,
    body: parsed.body,
    files,
    filesTruncated,
  };
  return { skill, diagnostics };
}

/** Scan `root` (a folder of skill folders). A missing root yields no skills and no diagnostics. */
export async function discoverSkills(root: string, options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { skills: [], diagnostics: [] };
    return {
      skills: [],
      diagnostics: [
        {
          severity: "error",
          path: root,
          skill: "",
          message: `cannot read the skills folder: ${errorMessage(error)}`,
        },
      ],
    };
  }

  const skills: Skill[] = [];
  const diagnostics: SkillDiagnostic[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(".") || IGNORED_NAMES.has(name)) continue;
    const dir = join(root, name);
    try {
      if (!(await stat(dir)).isDirectory()) continue;
    } catch (error) {
      diagnostics.push({
        severity: "error",
        path: dir,
        skill: name,
        message: `cannot open: ${errorMessage(error)}`,
      });
      continue;
    }
    const result = await loadSkillFolder(dir, name, options);
    if (result.skill) skills.push(result.skill);
    diagnostics.push(...result.diagnostics);
  }
  return { skills, diagnostics };
}
