/**
 * Sync of built-in skills into the user's skills dir. Run it at every start: it is idempotent (a second run
 * writes nothing) and cheap (it hashes a few small folders).
 *
 * For each shipped skill, with `hash` = content hash of the shipped files and `entry` = what the manifest
 * recorded last time:
 * - never synced, no folder of that name: copy it ("added");
 * - never synced, a folder of that name exists: equal -> adopt ("unchanged"); different -> keep the user's
 *   folder and stage the built-in ("keptEdited");
 * - synced, folder deleted by the user: leave it deleted ("skippedDeleted");
 * - synced, folder equal to the shipped version: "unchanged";
 * - synced, folder equal to what sync installed (unedited) but shipped version differs: replace ("updated");
 * - synced, folder edited by the user: keep it, stage the shipped version under `.builtin/<name>/` for a
 *   diff and "reset to built-in" ("keptEdited").
 * Skills no longer shipped are forgotten by the manifest; the user's copy stays ("retired").
 *
 * Sync writes only: new built-in folders, replacements of unedited copies, the `.builtin/` staging area and
 * the manifest (all via temporary files and renames). `resetSkillToBuiltin` replaces a user's copy only on
 * request, keeping the replaced folder under `.backup/`.
 */
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { groupBuiltinFiles } from "./builtin.ts";
import {
  hashFiles,
  hashFolder,
  isDirectory,
  pathExists,
  removeInterruptedWrites,
  replaceFolder,
  writeFileAtomically,
} from "./files.ts";
import { parseSkillMarkdown } from "./parse.ts";
import {
  type BuiltinSkillSource,
  SKILL_FILE_NAME,
  type SkillSyncEntry,
  type SkillSyncManifest,
  type SkillSyncReport,
} from "./types.ts";

export interface SkillSyncOptions {
  source: BuiltinSkillSource;
  /** The user's skills dir (created when missing). */
  userSkillsDir: string;
  /** Where the manifest JSON lives (suggested: `<data dir>/skills-manifest.json`). */
  manifestPath: string;
}

/** A reset that cannot be done (unknown built-in, unreadable source ...). */
export class SkillSyncError extends Error {
  override readonly name = "SkillSyncError";
}

/** Folder in the user's skills dir holding shipped versions of edited built-ins (not a skill: it starts with "."). */
export const BUILTIN_STAGING_FOLDER = ".builtin";
/** Folder in the user's skills dir holding copies replaced by `resetSkillToBuiltin`. */
export const BACKUP_FOLDER = ".backup";

export function builtinStagingDir(userSkillsDir: string, name: string): string {
  return join(userSkillsDir, BUILTIN_STAGING_FOLDER, name);
}

export function emptyManifest(): SkillSyncManifest {
  return { version: 1, skills: {} };
}

function isManifest(value: unknown): value is SkillSyncManifest {
  if (value === null || typeof value !== "object") return false;
  const candidate = value as { version?: unknown; skills?: unknown };
  if (candidate.version !== 1 || candidate.skills === null || typeof candidate.skills !== "object")
    return false;
  return Object.values(candidate.skills).every((entry: unknown) => {
    if (entry === null || typeof entry !== "object") return false;
    const { shippedHash, installedHash } = entry as Partial<Record<keyof SkillSyncEntry, unknown>>;
    return typeof shippedHash === "string" && (installedHash === null || typeof installedHash === "string");
  });
}

/**
 * Read the manifest. Missing -> empty. Unreadable or malformed -> moved aside to `<path>.corrupt-<time>`
 * and treated as empty, with a warning (built-ins the user deleted may then come back once).
 */
export async function readSyncManifest(path: string, warnings: string[] = []): Promise<SkillSyncManifest> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyManifest();
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isManifest(value)) return value;
  } catch {
    // fall through: set the file aside below
  }
  const aside = `${path}.corrupt-${Date.now()}`;
  await rename(path, aside);
  warnings.push(`the skills manifest was unreadable; it was moved to ${aside} and sync started afresh`);
  return emptyManifest();
}

/** Names whose folder in the user's dir was installed by sync: their skill source is "builtin". */
export function builtinSkillNames(manifest: SkillSyncManifest): Set<string> {
  return new Set(
    Object.entries(manifest.skills)
      .filter(([, entry]) => entry.installedHash !== null)
      .map(([name]) => name),
  );
}

async function writeManifest(path: string, manifest: SkillSyncManifest): Promise<void> {
  const sorted: SkillSyncManifest = { version: 1, skills: {} };
  for (const name of Object.keys(manifest.skills).sort()) sorted.skills[name] = manifest.skills[name];
  await writeFileAtomically(path, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Make the staging folder hold `files`, writing only when it differs. */
async function stage(userSkillsDir: string, name: string, files: Map<string, Uint8Array>, hash: string) {
  const dir = builtinStagingDir(userSkillsDir, name);
  if (!(await isDirectory(dir)) || (await hashFolder(dir, { maxFiles: 2000 })) !== hash) {
    await replaceFolder(dir, files);
  }
  return dir;
}

async function unstage(userSkillsDir: string, name: string): Promise<void> {
  await rm(builtinStagingDir(userSkillsDir, name), { recursive: true, force: true });
}

/** Why a shipped skill cannot be installed, or undefined when it parses. */
function shippedProblem(name: string, files: Map<string, Uint8Array>): string | undefined {
  const skillFile = files.get(SKILL_FILE_NAME);
  if (!skillFile) return `built-in skill '${name}' has no ${SKILL_FILE_NAME}; it was not installed`;
  const parsed = parseSkillMarkdown(new TextDecoder().decode(skillFile), { folderName: name });
  if (parsed.ok) return undefined;
  const reasons = parsed.diagnostics.map((diagnostic) => diagnostic.message).join("; ");
  return `built-in skill '${name}' is invalid (${reasons}); it was not installed`;
}

async function syncOne(
  name: string,
  files: Map<string, Uint8Array>,
  manifest: SkillSyncManifest,
  userSkillsDir: string,
  report: SkillSyncReport,
): Promise<void> {
  const hash = hashFiles(files);
  const entry = manifest.skills[name];
  const target = join(userSkillsDir, name);
  const exists = await pathExists(target);
  const current = exists && (await isDirectory(target)) ? await hashFolder(target, { maxFiles: 2000 }) : null;

  if (!entry && !exists) {
    await replaceFolder(target, files);
    manifest.skills[name] = { shippedHash: hash, installedHash: hash };
    report.added.push(name);
    return;
  }
  if (entry && !exists) {
    manifest.skills[name] = { ...entry, shippedHash: hash };
    await unstage(userSkillsDir, name);
    report.skippedDeleted.push(name);
    return;
  }
  if (current === hash) {
    manifest.skills[name] = { shippedHash: hash, installedHash: hash };
    await unstage(userSkillsDir, name);
    report.unchanged.push(name);
    return;
  }
  if (entry && current !== null && current === entry.installedHash) {
    await replaceFolder(target, files);
    manifest.skills[name] = { shippedHash: hash, installedHash: hash };
    await unstage(userSkillsDir, name);
    report.updated.push(name);
    return;
  }
  // Edited by the user (or a folder of that name was there before sync ever ran): keep it.
  const builtinChanged = entry ? entry.shippedHash !== hash : true;
  manifest.skills[name] = { shippedHash: hash, installedHash: entry ? entry.installedHash : null };
  const builtinDir = await stage(userSkillsDir, name, files, hash);
  report.keptEdited.push({ name, builtinDir, builtinChanged });
}

/** Sync the built-in skills into the user's dir; see the module comment. Only a failing source throws. */
export async function syncBuiltinSkills(options: SkillSyncOptions): Promise<SkillSyncReport> {
  const report: SkillSyncReport = {
    added: [],
    updated: [],
    keptEdited: [],
    skippedDeleted: [],
    unchanged: [],
    retired: [],
    warnings: [],
  };
  const shipped = groupBuiltinFiles(await options.source.files());
  await removeInterruptedWrites(options.userSkillsDir);
  await removeInterruptedWrites(join(options.userSkillsDir, BUILTIN_STAGING_FOLDER));
  const manifest = await readSyncManifest(options.manifestPath, report.warnings);
  const before = JSON.stringify(manifest);

  for (const name of [...shipped.keys()].sort()) {
    const files = shipped.get(name)!;
    const problem = shippedProblem(name, files);
    if (problem) {
      report.warnings.push(problem);
      continue;
    }
    try {
      await syncOne(name, files, manifest, options.userSkillsDir, report);
    } catch (error) {
      report.warnings.push(`could not sync built-in skill '${name}': ${String(error)}`);
    }
  }
  for (const name of Object.keys(manifest.skills).sort()) {
    if (shipped.has(name)) continue;
    delete manifest.skills[name];
    await unstage(options.userSkillsDir, name);
    report.retired.push(name);
  }

  if (JSON.stringify(manifest) !== before || !(await pathExists(options.manifestPath))) {
    await writeManifest(options.manifestPath, manifest);
  }
  return report;
}

export interface ResetResult {
  name: string;
  /** The skill's folder, now holding the shipped version. */
  dir: string;
  /** Where the replaced copy was moved, when there was one. */
  backupDir?: string;
}

/**
 * Replace the user's copy of a built-in with the shipped version (also restores a deleted built-in).
 * The replaced folder is moved to `.backup/<name>-<timestamp>` in the user's skills dir.
 */
export async function resetSkillToBuiltin(name: string, options: SkillSyncOptions): Promise<ResetResult> {
  const shipped = groupBuiltinFiles(await options.source.files());
  const files = shipped.get(name);
  if (!files)
    throw new SkillSyncError(`'${name}' is not a built-in skill; only built-in skills can be reset`);
  const problem = shippedProblem(name, files);
  if (problem) throw new SkillSyncError(problem);

  const target = join(options.userSkillsDir, name);
  let backupDir: string | undefined;
  if (await pathExists(target)) {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    backupDir = join(options.userSkillsDir, BACKUP_FOLDER, `${name}-${stamp}`);
    await mkdir(join(options.userSkillsDir, BACKUP_FOLDER), { recursive: true });
    await rename(target, backupDir);
  }
  await replaceFolder(target, files);

  const warnings: string[] = [];
  const manifest = await readSyncManifest(options.manifestPath, warnings);
  const hash = hashFiles(files);
  manifest.skills[name] = { shippedHash: hash, installedHash: hash };
  await writeManifest(options.manifestPath, manifest);
  await unstage(options.userSkillsDir, name);
  return backupDir ? { name, dir: target, backupDir } : { name, dir: target };
}
