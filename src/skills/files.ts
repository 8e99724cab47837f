/**
 * File-system helpers shared by discovery, sync and import: walking a skill folder within limits, hashing
 * its content, and writing files and whole folders so a crash never leaves a half-written copy in place
 * (write to a temporary sibling, then rename).
 *
 * Walks never follow symbolic links (a skill cannot pull in files from elsewhere or loop), and skip the
 * names in `IGNORED_NAMES` (version-control and dependency folders, OS litter, Sage's import marker).
 */
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Written into an imported skill's folder; marks its source as "imported". Never listed or exported. */
export const IMPORT_MARKER_FILE = ".sage-import.json";

export const IGNORED_NAMES: ReadonlySet<string> = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "__pycache__",
  ".venv",
  "venv",
  ".DS_Store",
  "Thumbs.db",
  IMPORT_MARKER_FILE,
]);

export interface WalkLimits {
  /** Stop after this many files (default 500). */
  maxFiles?: number;
  /** Do not descend below this many folder levels (default 8). */
  maxDepth?: number;
}

export interface WalkResult {
  /** Relative, `/`-separated, sorted. */
  files: string[];
  /** True when a limit cut the walk short. */
  truncated: boolean;
}

const DEFAULT_MAX_FILES = 500;
const DEFAULT_MAX_DEPTH = 8;

/** List the regular files under `root` (relative paths), within limits. Throws if `root` is unreadable. */
export async function walkFiles(root: string, limits: WalkLimits = {}): Promise<WalkResult> {
  const maxFiles = limits.maxFiles ?? DEFAULT_MAX_FILES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const files: string[] = [];
  let truncated = false;

  async function visit(relativeDir: string, depth: number): Promise<void> {
    const entries = await readdir(join(root, relativeDir), { withFileTypes: true });
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const entry of entries) {
      if (IGNORED_NAMES.has(entry.name)) continue;
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (depth >= maxDepth) {
          truncated = true;
          continue;
        }
        await visit(relative, depth + 1);
      } else if (entry.isFile()) {
        if (files.length >= maxFiles) {
          truncated = true;
          return;
        }
        files.push(relative);
      }
      if (truncated && files.length >= maxFiles) return;
    }
  }

  await visit("", 0);
  files.sort();
  return { files, truncated };
}

/** Read every file of a folder into memory (for hashing and copying), within limits. */
export async function readFolderFiles(
  root: string,
  limits: WalkLimits = {},
): Promise<{ files: Map<string, Uint8Array>; truncated: boolean }> {
  const walk = await walkFiles(root, limits);
  const files = new Map<string, Uint8Array>();
  for (const relative of walk.files) {
    files.set(relative, new Uint8Array(await readFile(join(root, relative))));
  }
  return { files, truncated: walk.truncated };
}

/**
 * A stable content hash of a set of files: SHA-256 over the sorted relative paths and each file's own
 * SHA-256. Independent of file order, timestamps and permissions.
 */
export function hashFiles(files: ReadonlyMap<string, Uint8Array>): string {
  // Bun's native hasher: node:crypto would cost ~10 MB of resident memory just to load.
  const outer = new Bun.CryptoHasher("sha256");
  for (const path of [...files.keys()].sort()) {
    const inner = new Bun.CryptoHasher("sha256").update(files.get(path)!).digest("hex");
    outer.update(`${path}\0${inner}\n`);
  }
  return `sha256:${outer.digest("hex")}`;
}

/** Hash a folder on disk the same way as `hashFiles`; a folder cut short by limits never matches. */
export async function hashFolder(root: string, limits: WalkLimits = {}): Promise<string> {
  const { files, truncated } = await readFolderFiles(root, limits);
  const hash = hashFiles(files);
  return truncated ? `${hash}+truncated` : hash;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** True when something (file, folder or link) exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function temporarySibling(path: string, label: string): string {
  return join(
    dirname(path),
    `.${label}-${basename(path)}-${Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString("hex")}`,
  );
}

/**
 * Remove leftovers of writes interrupted by a crash (`.tmp-*` and `.old-*` entries directly in `dir`).
 * Call only when no other write into `dir` can be running (sync at start-up).
 */
export async function removeInterruptedWrites(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const leftovers = names.filter((name) => /^\.(tmp|old)-.+-[0-9a-f]{12}$/.test(name));
  for (const name of leftovers) await rm(join(dir, name), { recursive: true, force: true });
  return leftovers;
}

/** Write a file via a temporary sibling and a rename, creating parent folders. */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporarySibling(path, "tmp");
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reject relative paths that are absolute, empty or climb out with `..`. */
export function isSafeRelativePath(relative: string): boolean {
  if (relative === "" || relative.startsWith("/") || relative.includes("\\") || relative.includes("\0")) {
    return false;
  }
  return relative.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Files starting with `#!` are written executable, so a skill's scripts can be run directly. */
function isScript(data: Uint8Array): boolean {
  return data[0] === 0x23 && data[1] === 0x21;
}

/**
 * Make `targetDir` hold exactly `files`: build the folder as a temporary sibling, then swap it in with
 * renames. An existing folder at `targetDir` is replaced (the caller decides whether that is allowed).
 */
export async function replaceFolder(
  targetDir: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<void> {
  for (const relative of files.keys()) {
    if (!isSafeRelativePath(relative)) throw new Error(`unsafe path in skill files: '${relative}'`);
  }
  await mkdir(dirname(targetDir), { recursive: true });
  const staging = temporarySibling(targetDir, "tmp");
  try {
    await mkdir(staging, { recursive: true });
    for (const [relative, data] of files) {
      const destination = join(staging, relative);
      await mkdir(dirname(destination), { recursive: true });
      await writeFile(destination, data, { mode: isScript(data) ? 0o755 : 0o644 });
    }
    if (await pathExists(targetDir)) {
      const previous = temporarySibling(targetDir, "old");
      await rename(targetDir, previous);
      await rename(staging, targetDir);
      await rm(previous, { recursive: true, force: true });
    } else {
      await rename(staging, targetDir);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
