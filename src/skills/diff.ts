/**
 * Compare the user's copy of an edited built-in with the shipped version staged by sync, for the UI's
 * "new version available" view (diff + "reset to built-in").
 */
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { isDirectory, readFolderFiles } from "./files.ts";
import { builtinStagingDir } from "./sync.ts";

export type SkillFileChange = "added" | "removed" | "modified";

export interface SkillFileDiff {
  /** Path relative to the skill folder. */
  path: string;
  /** From the built-in to the user's copy: "added" exists only in the user's copy. */
  change: SkillFileChange;
  /** Unified diff (built-in -> user's copy) for text files; absent for binary files. */
  patch?: string;
  binary: boolean;
}

/** Thrown when there is no staged built-in version to compare with. */
export class SkillDiffError extends Error {
  override readonly name = "SkillDiffError";
}

function decodeText(data: Uint8Array | undefined): string | undefined {
  if (data === undefined) return "";
  if (data.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
}

function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/**
 * The differences between `.builtin/<name>/` (shipped) and `<name>/` (user's copy) in the user's skills
 * dir, sorted by path. Unchanged files are not listed. A missing user copy counts as all files removed.
 */
export async function diffSkillWithBuiltin(userSkillsDir: string, name: string): Promise<SkillFileDiff[]> {
  const builtinDir = builtinStagingDir(userSkillsDir, name);
  if (!(await isDirectory(builtinDir))) {
    throw new SkillDiffError(`no shipped version of '${name}' is staged; it is not an edited built-in`);
  }
  const shipped = (await readFolderFiles(builtinDir, { maxFiles: 2000 })).files;
  const userDir = join(userSkillsDir, name);
  const edited = (await isDirectory(userDir))
    ? (await readFolderFiles(userDir, { maxFiles: 2000 })).files
    : new Map();

  const diffs: SkillFileDiff[] = [];
  const paths = [...new Set([...shipped.keys(), ...edited.keys()])].sort();
  for (const path of paths) {
    const before: Uint8Array | undefined = shipped.get(path);
    const after: Uint8Array | undefined = edited.get(path);
    if (before && after && sameBytes(before, after)) continue;
    const change: SkillFileChange = !before ? "added" : !after ? "removed" : "modified";
    const beforeText = decodeText(before);
    const afterText = decodeText(after);
    if (beforeText === undefined || afterText === undefined) {
      diffs.push({ path, change, binary: true });
      continue;
    }
    const patch = createTwoFilesPatch(`built-in/${path}`, `yours/${path}`, beforeText, afterText);
    diffs.push({ path, change, patch, binary: false });
  }
  return diffs;
}
