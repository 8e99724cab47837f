/**
 * Workspace confinement: the one place that decides whether a path given by a model may be touched.
 *
 * Contract of `createWorkspace(root)`:
 * - The root folder is created when missing and stored symlink-resolved (`realpath`), so a workspace
 *   root that is itself a symlink to a real folder works, and every check compares real paths.
 * - `resolve(path)` returns the real absolute path (symlinks followed) of the target, which need not
 *   exist. The longest existing prefix is resolved with `realpath`; a dangling symlink on the way is
 *   followed by reading its target, so writing "through" it cannot create a file outside.
 * - Refused with a `WorkspaceEscapeError`: `..` that climbs above the root, absolute paths outside
 *   the root, symlinks (anywhere on the path, including a symlinked parent of a file that does not
 *   exist yet) whose target lies outside the root, symlink loops, and paths containing NUL bytes.
 * - Absolute paths: models are told to use workspace-relative paths, but they often echo back an
 *   absolute path we showed them. An absolute path that already lies inside the root (its real form,
 *   or the root as the user spelled it before symlinks were resolved) is therefore accepted; any other
 *   absolute path is refused with "use a path relative to the workspace".
 * - `""` and `"."` name the root itself.
 * - Hidden paths (`options.hidden`: Sage's own folders and the credential folders, see
 *   src/sandbox/protected-paths.ts) are refused too, in their given and their real spelling, whether
 *   the requested path or the path it resolves to lies in one — so no tool reads, writes or lists
 *   `sage.lock`, `secrets.enc` or `~/.ssh` even when the workspace contains them. The workspace itself
 *   stays usable when it lies inside a hidden folder (the default `<data>/workspaces/<agent>`): the
 *   deepest of the hidden paths and the workspace decides (`isHiddenPath`). `isHidden(path)` answers
 *   the same question for listings (list_dir, glob, grep leave hidden entries out).
 * - `relative(absolutePath)` gives the "/"-separated path from the root ("." for the root); a path
 *   outside the root is returned unchanged (absolute), so messages never hide where something is.
 */
import { lstatSync, mkdirSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from "node:path";
import type { Workspace } from "../agent/tool-contract.ts";
import { isHiddenPath, isInsideRoot, withRealSpellings } from "./protected-paths.ts";

export { isInsideRoot };

/** The path a model asked for lies outside the workspace (or cannot be resolved safely). */
export class WorkspaceEscapeError extends Error {
  override readonly name = "WorkspaceEscapeError";
  constructor(
    message: string,
    /** The path exactly as it was requested. */
    readonly requestedPath: string,
    readonly workspaceRoot: string,
  ) {
    super(message);
  }
}

/** Most symlinks followed while resolving one path before it is treated as a loop (Linux uses 40). */
const maximumSymlinkHops = 40;

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/**
 * The real path of `absolutePath`, which need not exist: existing components are resolved by
 * `realpath`; a dangling symlink is followed through its target; missing components are kept as given.
 * Throws `{ code: "ELOOP" }`-style errors from the file system unchanged, except the loop count,
 * which is reported as an `Error` with code "ELOOP".
 */
function realPathAllowingMissing(absolutePath: string, hops: { count: number }): string {
  try {
    return realpathSync(absolutePath);
  } catch (error) {
    const code = errorCode(error);
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
  }
  const parent = dirname(absolutePath);
  if (parent === absolutePath) return absolutePath;
  const realParent = realPathAllowingMissing(parent, hops);
  const candidate = join(realParent, basename(absolutePath));
  let isSymlink = false;
  try {
    isSymlink = lstatSync(candidate).isSymbolicLink();
  } catch {
    return candidate;
  }
  if (!isSymlink) return candidate;
  hops.count += 1;
  if (hops.count > maximumSymlinkHops) {
    throw Object.assign(new Error(`too many levels of symbolic links at ${candidate}`), { code: "ELOOP" });
  }
  return realPathAllowingMissing(resolvePath(realParent, readlinkSync(candidate)), hops);
}

export interface WorkspaceOptions {
  /** Absolute paths no tool may touch or list (see the module comment). */
  hidden?: readonly string[];
}

export function createWorkspace(root: string, options: WorkspaceOptions = {}): Workspace {
  const spelledRoot = resolvePath(root);
  mkdirSync(spelledRoot, { recursive: true });
  const realRoot = realpathSync(spelledRoot);
  const hidden = withRealSpellings(options.hidden ?? []);
  const isHidden = (absolutePath: string): boolean =>
    isHiddenPath(resolvePath(absolutePath), hidden, realRoot);

  function refuse(requested: string, reason: string): never {
    throw new WorkspaceEscapeError(`Refused path "${requested}": ${reason}`, requested, realRoot);
  }

  function resolve(requested: string): string {
    if (requested.includes("\0")) refuse(requested.replaceAll("\0", "\\0"), "it contains a NUL byte");
    let lexical: string;
    if (isAbsolute(requested)) {
      const normalised = resolvePath(requested);
      if (isInsideRoot(realRoot, normalised)) lexical = normalised;
      else if (isInsideRoot(spelledRoot, normalised)) {
        lexical = join(realRoot, relative(spelledRoot, normalised));
      } else {
        refuse(
          requested,
          `absolute paths outside the workspace are not allowed; use a path relative to the workspace (${realRoot})`,
        );
      }
    } else {
      lexical = resolvePath(realRoot, requested);
      if (!isInsideRoot(realRoot, lexical)) {
        refuse(requested, "it leaves the workspace through '..'; use a path inside the workspace");
      }
    }
    let real: string;
    try {
      real = realPathAllowingMissing(lexical, { count: 0 });
    } catch (error) {
      if (errorCode(error) === "ELOOP") refuse(requested, "it goes through a symbolic link loop");
      throw error;
    }
    if (!isInsideRoot(realRoot, real)) {
      refuse(requested, "it goes through a symbolic link that points outside the workspace");
    }
    if (isHidden(lexical) || isHidden(real)) {
      refuse(
        requested,
        "it is in a folder Sage keeps private from tools (Sage's own data, or credentials such as SSH keys)",
      );
    }
    return real;
  }

  function relativeToRoot(absolutePath: string): string {
    const normalised = resolvePath(absolutePath);
    if (!isInsideRoot(realRoot, normalised)) return normalised;
    const fromRoot = relative(realRoot, normalised);
    return fromRoot === "" ? "." : fromRoot.split(sep).join("/");
  }

  return { root: realRoot, resolve, relative: relativeToRoot, isHidden };
}
