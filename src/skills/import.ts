/**
 * Moving skills in and out: import a skill from a folder or a `.zip` into the user's skills dir, export a
 * skill folder as a `.zip`, and find other agent tools' skill folders to import from.
 *
 * An import is validated before anything is written: SKILL.md must exist and parse without errors (its
 * frontmatter `name` decides the destination folder), paths must stay inside the skill, and sizes are
 * bounded. A skill whose name is taken is refused unless `overwrite` is set. The installed folder gets an
 * import marker (origin and time) that makes discovery report it as "imported"; exports leave it out.
 */
import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Zippable } from "fflate";
import { formatBytes } from "../shared/byte-size.ts";
import { readRegularFile } from "../workspace/request-path.ts";
import { unzipBounded } from "./bounded-unzip.ts";
import {
  IGNORED_NAMES,
  IMPORT_MARKER_FILE,
  isDirectory,
  isSafeRelativePath,
  pathExists,
  readFolderFiles,
  replaceFolder,
  walkFiles,
} from "./files.ts";
import { parseSkillMarkdown } from "./parse.ts";
import { SKILL_FILE_NAME, type SkillDiagnostic } from "./types.ts";

export type SkillImportFailure =
  | "not-found"
  | "missing-skill-file"
  | "invalid-skill"
  | "name-taken"
  | "bad-archive"
  | "too-large";

export class SkillImportError extends Error {
  override readonly name = "SkillImportError";
  constructor(
    message: string,
    readonly reason: SkillImportFailure,
    /** The parser's diagnostics when `reason` is "invalid-skill". */
    readonly diagnostics: SkillDiagnostic[] = [],
  ) {
    super(message);
  }
}

export class SkillExportError extends Error {
  override readonly name = "SkillExportError";
}

/** Bounds on what an import may bring in. */
export const MAX_IMPORT_FILES = 2000;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export interface SkillImportOptions {
  userSkillsDir: string;
  /** Replace an existing skill of the same name (default false: refuse). */
  overwrite?: boolean;
}

export interface SkillImportResult {
  name: string;
  /** The installed folder. */
  dir: string;
  /** True when an existing skill of that name was replaced. */
  replaced: boolean;
  /** Parser warnings (unknown fields, empty body ...); the skill was imported anyway. */
  warnings: SkillDiagnostic[];
}

function tooLarge(what: string): SkillImportError {
  return new SkillImportError(
    `${what} is too large to import (limits: ${MAX_IMPORT_FILES} files, ${formatBytes(MAX_IMPORT_BYTES)})`,
    "too-large",
  );
}

/** Validate the files of one skill and install them under the frontmatter's name. */
async function installSkillFiles(
  files: Map<string, Uint8Array>,
  origin: string,
  options: SkillImportOptions,
): Promise<SkillImportResult> {
  const skillFile = files.get(SKILL_FILE_NAME);
  if (!skillFile) {
    throw new SkillImportError(
      `${origin} has no ${SKILL_FILE_NAME}; it is not a skill`,
      "missing-skill-file",
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(skillFile);
  } catch {
    throw new SkillImportError(`${SKILL_FILE_NAME} in ${origin} is not valid UTF-8 text`, "invalid-skill");
  }
  const parsed = parseSkillMarkdown(text, { path: `${origin}/${SKILL_FILE_NAME}` });
  if (!parsed.ok) {
    const errors = parsed.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    const summary = errors.map((diagnostic) => diagnostic.message).join("; ");
    throw new SkillImportError(
      `${SKILL_FILE_NAME} in ${origin} is invalid: ${summary}`,
      "invalid-skill",
      errors,
    );
  }
  const name = parsed.frontmatter.name;
  const dir = join(options.userSkillsDir, name);
  const replaced = await pathExists(dir);
  if (replaced && !options.overwrite) {
    throw new SkillImportError(
      `a skill named '${name}' already exists; remove or rename it first, or import with overwrite`,
      "name-taken",
    );
  }
  const marker = { importedFrom: origin, importedAt: new Date().toISOString() };
  const installed = new Map(files);
  installed.set(IMPORT_MARKER_FILE, new TextEncoder().encode(`${JSON.stringify(marker, null, 2)}\n`));
  await replaceFolder(dir, installed);
  return { name, dir, replaced, warnings: parsed.diagnostics };
}

/** Import the skill in folder `from` (a folder holding SKILL.md). Symbolic links inside are not copied. */
export async function importSkillFromFolder(
  from: string,
  options: SkillImportOptions,
): Promise<SkillImportResult> {
  if (!(await isDirectory(from))) throw new SkillImportError(`${from} is not a folder`, "not-found");
  const walk = await walkFiles(from, { maxFiles: MAX_IMPORT_FILES, maxDepth: 16 });
  if (walk.truncated) throw tooLarge(from);
  let total = 0;
  for (const relative of walk.files) {
    total += (await stat(join(from, relative))).size;
    if (total > MAX_IMPORT_BYTES) throw tooLarge(from);
  }
  const { files } = await readFolderFiles(from, { maxFiles: MAX_IMPORT_FILES, maxDepth: 16 });
  return installSkillFiles(files, from, options);
}

/** Keep a zip entry? Folders, macOS resource forks and ignored names are dropped. */
function isWantedEntry(path: string): boolean {
  if (path.endsWith("/")) return false;
  const segments = path.split("/");
  return segments[0] !== "__MACOSX" && !segments.some((segment) => IGNORED_NAMES.has(segment));
}

/**
 * Import a skill from a zip archive: SKILL.md at the top of the archive, or inside its single top folder.
 * `label` names the archive in messages (e.g. the uploaded file's name).
 */
export async function importSkillFromZip(
  zip: Uint8Array,
  options: SkillImportOptions & { label?: string },
): Promise<SkillImportResult> {
  const label = options.label ?? "the archive";
  let entries: Map<string, Uint8Array>;
  try {
    entries = await unzipBounded(
      zip,
      { label, maxEntries: MAX_IMPORT_FILES, maxTotalBytes: MAX_IMPORT_BYTES },
      (name) => isWantedEntry(name.replace(/\\/g, "/")),
    );
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "BadArchiveError") throw new SkillImportError((error as Error).message, "bad-archive");
    if (name === "ContentTooLargeError") throw new SkillImportError((error as Error).message, "too-large");
    throw error;
  }

  const files = new Map<string, Uint8Array>();
  for (const [rawName, data] of entries) {
    const name = rawName.replace(/\\/g, "/");
    if (!isSafeRelativePath(name)) {
      throw new SkillImportError(
        `${label} contains an unsafe path '${rawName}'; nothing was imported`,
        "bad-archive",
      );
    }
    files.set(name, data);
  }

  if (!files.has(SKILL_FILE_NAME)) {
    const tops = new Set([...files.keys()].map((path) => path.split("/")[0]));
    const [top] = tops;
    if (tops.size !== 1 || !files.has(`${top}/${SKILL_FILE_NAME}`)) {
      throw new SkillImportError(
        `${label} has no ${SKILL_FILE_NAME} at its top level or in a single top folder`,
        "missing-skill-file",
      );
    }
    const inner = new Map<string, Uint8Array>();
    for (const [path, data] of files) inner.set(path.slice(top.length + 1), data);
    return installSkillFiles(inner, label, options);
  }
  return installSkillFiles(files, label, options);
}

/**
 * Zip a skill folder as `<folder name>/...` (the import marker and ignored names are left out).
 * Throws `SkillExportError` when the folder holds no SKILL.md or is too large.
 */
export async function exportSkillZip(dir: string): Promise<Uint8Array> {
  const { zipSync } = await import("fflate");
  if (!(await pathExists(join(dir, SKILL_FILE_NAME)))) {
    throw new SkillExportError(`${dir} has no ${SKILL_FILE_NAME}; it is not a skill folder`);
  }
  const { files, truncated } = await readFolderFiles(dir, { maxFiles: MAX_IMPORT_FILES, maxDepth: 16 });
  if (truncated) throw new SkillExportError(`${dir} has too many files to export`);
  const root = basename(dir);
  const tree: Zippable = {};
  for (const [path, data] of files) tree[`${root}/${path}`] = data;
  return zipSync(tree, { level: 6 });
}

export interface ExternalSkillDir {
  /** Which tool the folder belongs to, for the UI. */
  label: string;
  dir: string;
}

/** Other agent tools' skill folders under `home` that exist: `~/.claude/skills`, `~/.agents/skills`. */
export async function findExternalSkillDirs(home: string): Promise<ExternalSkillDir[]> {
  const candidates: ExternalSkillDir[] = [
    { label: "Claude Code (~/.claude/skills)", dir: join(home, ".claude", "skills") },
    { label: "Agent skills (~/.agents/skills)", dir: join(home, ".agents", "skills") },
  ];
  const found: ExternalSkillDir[] = [];
  for (const candidate of candidates) {
    try {
      if ((await stat(candidate.dir)).isDirectory()) found.push(candidate);
    } catch {
      // not there: nothing to offer
    }
  }
  return found;
}

/** Read a zip file from disk and import it (convenience for callers holding a path). */
export async function importSkillFromZipFile(
  path: string,
  options: SkillImportOptions,
): Promise<SkillImportResult> {
  let data: Uint8Array;
  try {
    // Non-blocking, regular files only: a FIFO named x.zip must not hang the import.
    data = await readRegularFile(path, MAX_IMPORT_BYTES);
  } catch (error) {
    if (error instanceof Error && error.name === "ContentTooLargeError") throw tooLarge(path);
    throw new SkillImportError(`cannot read ${path}: ${String(error)}`, "not-found");
  }
  return importSkillFromZip(data, { ...options, label: basename(path) });
}
