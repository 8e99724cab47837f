/**
 * Reading and writing the files of one skill folder for the editor, confined to that folder.
 *
 * Contract: every relative path is checked before use — it must be relative, `/`-separated, without `.`,
 * `..` or empty segments, without ignored names (`.git`, the import marker ...), and no part of it that
 * exists on disk may be a symbolic link (so a link inside a skill can never lead a write or read
 * elsewhere). A skill folder that is itself a top-level link (discovery follows those) is used as the
 * folder it points to. Only UTF-8 text up to `SKILL_EDITABLE_MAX_BYTES` is read or written here.
 *
 * Failures are the app's named errors (ValidationError, NotFoundError, ConflictError) with messages meant
 * for the user.
 */
import { chmod, lstat, open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { NotFoundError, ValidationError } from "../core/errors.ts";
import { compareCodePoints } from "../core/text-order.ts";
import { SKILL_EDITABLE_MAX_BYTES, type SkillFileInfo } from "../shared/skills.ts";
import { assertPathText } from "../workspace/request-path.ts";
import { IGNORED_NAMES, isSafeRelativePath, walkFiles, writeFileAtomically } from "./files.ts";
import { SKILL_FILE_NAME } from "./types.ts";

/** How many leading bytes are sniffed to tell text from binary in a file listing. */
const SNIFF_BYTES = 8192;

/** Why a skill folder name cannot address a folder in the skills dir, or undefined when it can. */
export function skillFolderNameProblem(folder: string): string | undefined {
  if (folder === "" || folder.length > 255) return "must be 1 to 255 characters long";
  if (folder.startsWith(".")) return "must not start with '.'";
  if (/[/\\\0]/.test(folder)) return "must not contain '/', '\\' or NUL";
  if (IGNORED_NAMES.has(folder)) return "is a reserved name";
  return undefined;
}

/** The skill folder `<root>/<folder>`; NotFoundError when there is no such folder. */
export async function skillFolder(root: string, folder: string): Promise<string> {
  const problem = skillFolderNameProblem(folder);
  if (problem) throw new ValidationError(`The skill folder name ${problem}.`, "name");
  const dir = join(root, folder);
  try {
    if ((await stat(dir)).isDirectory()) return dir;
  } catch {
    // reported below
  }
  throw new NotFoundError("Skill", folder);
}

/**
 * Check `relative` and return its absolute path inside `dir`. Existing parts must be folders (files for
 * the last part) and never symbolic links. `mustExist`: the file must already be there.
 */
export async function confinedPath(dir: string, relative: string, mustExist: boolean): Promise<string> {
  // The checks every request path gets (NUL, backslash, over-long names: src/workspace/request-path.ts).
  assertPathText(relative, "relative");
  if (!isSafeRelativePath(relative)) {
    throw new ValidationError(
      `'${relative}' is not a path inside the skill (use a relative path without '..', like scripts/run.sh).`,
      "path",
    );
  }
  const segments = relative.split("/");
  if (segments.some((segment) => IGNORED_NAMES.has(segment))) {
    throw new ValidationError(`'${relative}' names a file Sage manages or ignores; choose another.`, "path");
  }
  let current = dir;
  for (const [index, segment] of segments.entries()) {
    current = join(current, segment);
    const last = index === segments.length - 1;
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(current);
    } catch {
      if (mustExist) throw new NotFoundError("File", relative);
      return join(dir, ...segments);
    }
    if (info.isSymbolicLink()) {
      throw new ValidationError(
        `'${relative}' goes through a symbolic link; links inside a skill cannot be opened or written here.`,
        "path",
      );
    }
    if (!last && !info.isDirectory()) {
      throw new ValidationError(
        `'${segments.slice(0, index + 1).join("/")}' is a file, not a folder.`,
        "path",
      );
    }
    if (last && !info.isFile()) {
      throw new ValidationError(`'${relative}' is not a regular file.`, "path");
    }
  }
  return current;
}

/** Decode bytes as UTF-8 text, or undefined when they are binary (NUL bytes or invalid UTF-8). */
export function decodeText(data: Uint8Array): string | undefined {
  if (data.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The folder's files (SKILL.md included) with sizes and whether the editor can open them. */
export async function listSkillFiles(dir: string): Promise<{ files: SkillFileInfo[]; truncated: boolean }> {
  const walk = await walkFiles(dir);
  const files: SkillFileInfo[] = [];
  for (const path of walk.files) {
    const size = (await stat(join(dir, path))).size;
    let editable = size <= SKILL_EDITABLE_MAX_BYTES;
    if (editable) {
      const head = await readHead(join(dir, path), Math.min(size, SNIFF_BYTES));
      // A multi-byte character cut at the sniff boundary is not a reason to call the file binary.
      editable = !head.includes(0) && (size > SNIFF_BYTES || decodeText(head) !== undefined);
    }
    files.push({ path, size, editable });
  }
  files.sort((left, right) =>
    left.path === SKILL_FILE_NAME
      ? -1
      : right.path === SKILL_FILE_NAME
        ? 1
        : compareCodePoints(left.path, right.path),
  );
  return { files, truncated: walk.truncated };
}

/** Read one text file of the skill for editing. */
export async function readSkillFile(dir: string, relative: string): Promise<{ text: string; size: number }> {
  const path = await confinedPath(dir, relative, true);
  const size = (await stat(path)).size;
  if (size > SKILL_EDITABLE_MAX_BYTES) {
    throw new ValidationError(
      `'${relative}' is ${size} bytes; files over ${SKILL_EDITABLE_MAX_BYTES} bytes cannot be edited here.`,
      "path",
    );
  }
  const text = decodeText(new Uint8Array(await Bun.file(path).arrayBuffer()));
  if (text === undefined) {
    throw new ValidationError(`'${relative}' is not a UTF-8 text file; it cannot be edited here.`, "path");
  }
  return { text, size };
}

/**
 * Write one text file of the skill (created with its folders when missing), via a temporary file and a
 * rename. An existing file keeps its permissions; a new file starting with `#!` is made executable.
 */
export async function writeSkillFile(dir: string, relative: string, text: string): Promise<number> {
  const data = new TextEncoder().encode(text);
  if (data.length > SKILL_EDITABLE_MAX_BYTES) {
    throw new ValidationError(
      `The text is ${data.length} bytes; files over ${SKILL_EDITABLE_MAX_BYTES} bytes cannot be saved here.`,
      "text",
    );
  }
  const path = await confinedPath(dir, relative, false);
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    mode = text.startsWith("#!") ? 0o755 : 0o644;
  }
  await writeFileAtomically(path, data);
  await chmod(path, mode);
  return data.length;
}

/** Delete one file of the skill (never SKILL.md); folders left empty by it are removed too. */
export async function deleteSkillFile(dir: string, relative: string): Promise<void> {
  if (relative === SKILL_FILE_NAME) {
    throw new ValidationError(
      `${SKILL_FILE_NAME} cannot be deleted; delete the whole skill instead.`,
      "path",
    );
  }
  const path = await confinedPath(dir, relative, true);
  await rm(path);
  const segments = relative.split("/").slice(0, -1);
  while (segments.length > 0) {
    const folder = join(dir, ...segments);
    if ((await readdir(folder)).length > 0) break;
    await rm(folder, { recursive: true });
    segments.pop();
  }
}
