/**
 * The one resolver for paths that arrive in HTTP requests (query strings, JSON bodies): workspace files,
 * a file Sage saved to Downloads, a folder or .zip to import a skill from. Every route that takes a path
 * goes through `resolveRequestPath`; see test/integration/hostile-paths.test.ts for the table it holds
 * against.
 *
 * Contract of `resolveRequestPath(root, requested, rule)`:
 * 1. The text itself, before the file system is asked anything (`UnsafePathError`, 400): no NUL byte, no
 *    backslash (on this system it is part of a name, and only ever used to trick a check), at most
 *    MAX_PATH_BYTES in all and MAX_NAME_BYTES per name (the kernel would answer ENAMETOOLONG), and the
 *    form the route asks for: relative to the root, or a full path.
 * 2. Containment after resolution: the root's confinement (`Workspace.resolve`, src/sandbox/workspace.ts)
 *    follows every symlink (realpath, dangling links through their target) and refuses `..` escapes,
 *    absolute paths and links that end outside the root. A workspace root answers with its own
 *    `WorkspaceEscapeError`; any other root with `PathOutsideRootError` naming it (both 403). Folders
 *    listed in `rule.refused` are refused inside the root too (403).
 * 3. What is there (`rule.expect`): "file" must be a regular file — FIFOs, devices and sockets are refused
 *    (`NotAFileError`), so a read can never block on a pipe or stream /dev/zero; "folder" a folder;
 *    "file-or-folder" either; "anything" need not exist. Missing is `WorkspaceNotFoundError` (404).
 *    `rule.maxFileBytes` bounds a file's size (`ContentTooLargeError`, 413).
 * The result names the real path; `readRegularFile` reads one again without following a link swapped in
 * meanwhile and re-checks that it is still a regular file within the size.
 */
import { constants, type Stats } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import type { Workspace } from "../agent/tool-contract.ts";
import { ContentTooLargeError } from "../core/errors.ts";
import { isInsideRoot } from "../sandbox/workspace.ts";
import { formatBytes } from "../shared/byte-size.ts";
import {
  NotAFileError,
  NotAFolderError,
  PathOutsideRootError,
  UnsafePathError,
  WorkspaceNotFoundError,
} from "./errors.ts";

/** Longest path accepted (Linux PATH_MAX). */
export const MAX_PATH_BYTES = 4096;
/** Longest single name accepted (Linux NAME_MAX). */
export const MAX_NAME_BYTES = 255;

export interface PathRoot {
  /** The confinement: an agent's workspace, or `createWorkspace(folder)` for any other root. */
  workspace: Workspace;
  /** How messages name the root: "the workspace", "Downloads", "this computer". */
  name: string;
  /** "workspace": escapes and misses keep the workspace's own errors (and codes) for the panel. */
  kind: "workspace" | "folder";
}

export interface PathRule {
  /** "relative" to the root (default), a full path ("absolute"), or "either" (absolute inside the root). */
  form?: "relative" | "absolute" | "either";
  /** What must be at the path once resolved (default "anything": it need not exist). */
  expect?: "file" | "folder" | "file-or-folder" | "anything";
  /** Largest regular file accepted, bytes. */
  maxFileBytes?: number;
  /** Real or spelled folders refused even inside the root, with what they are ("Sage's data folder"). */
  refused?: readonly { folder: string; what: string }[];
  /** The request field named in errors (default "path"). */
  field?: string;
}

export interface ResolvedRequestPath {
  /** The real absolute path (symlinks resolved). */
  absolute: string;
  /** Root-relative, "/"-separated ("." for the root). */
  relative: string;
  /** What is there; undefined when nothing is (only with expect "anything"). */
  stats: Stats | undefined;
}

/** An agent's workspace as a request root (paths relative, or absolute inside it as models echo them). */
export function workspaceRoot(workspace: Workspace): PathRoot {
  return { workspace, name: "the workspace", kind: "workspace" };
}

/** Why `requested` cannot be used as a path of that form, or undefined when its text is acceptable. */
export function pathSyntaxProblem(
  requested: string,
  form: "relative" | "absolute" | "either" = "relative",
): string | undefined {
  if (requested.includes("\0")) return "it contains a NUL byte";
  if (requested.includes("\\")) return "it contains a backslash; separate folders with '/'";
  if (Buffer.byteLength(requested) > MAX_PATH_BYTES) return `it is longer than ${MAX_PATH_BYTES} bytes`;
  if (requested.split("/").some((name) => Buffer.byteLength(name) > MAX_NAME_BYTES)) {
    return `a name in it is longer than ${MAX_NAME_BYTES} bytes`;
  }
  if (form === "relative" && isAbsolute(requested))
    return "give a path relative to the folder, not a full path";
  if (form === "absolute" && !isAbsolute(requested)) return "give the full path (starting with /)";
  return undefined;
}

/** Step 1 of the contract alone, for callers that handle the entry itself (deleting a link). */
export function assertPathText(
  requested: string,
  form: "relative" | "absolute" | "either" = "relative",
  field = "path",
): void {
  const problem = pathSyntaxProblem(requested, form);
  if (problem) throw new UnsafePathError(`Refused path "${printable(requested)}": ${problem}.`, field);
}

export async function resolveRequestPath(
  root: PathRoot,
  requested: string,
  rule: PathRule = {},
): Promise<ResolvedRequestPath> {
  const field = rule.field ?? "path";
  const shown = printable(requested);
  assertPathText(requested, rule.form ?? "relative", field);

  let absolute: string;
  try {
    absolute = root.workspace.resolve(requested === "" ? "." : requested);
  } catch (error) {
    if (root.kind === "folder" && error instanceof Error && error.name === "WorkspaceEscapeError") {
      throw new PathOutsideRootError(`Refused path "${shown}": it is outside ${root.name}.`, field);
    }
    throw error;
  }
  for (const { folder, what } of rule.refused ?? []) {
    if (isInsideRoot(folder, absolute) || isInsideRoot(await realOrSpelled(folder), absolute)) {
      throw new PathOutsideRootError(`Refused path "${shown}": it is inside ${what}.`, field);
    }
  }
  const relative = root.workspace.relative(absolute);
  // Messages name a workspace file as the panel shows it, anything else by its full path.
  const named = root.kind === "workspace" ? relative : absolute;
  const expect = rule.expect ?? "anything";
  let stats: Stats | undefined;
  try {
    stats = await stat(absolute);
  } catch (error) {
    if (!isMissing(error)) throw error;
    if (expect !== "anything") throw new WorkspaceNotFoundError(named, root.name);
  }
  if (stats && expect !== "anything") checkKind(stats, expect, named);
  if (stats?.isFile() && rule.maxFileBytes !== undefined && stats.size > rule.maxFileBytes) {
    throw fileTooLarge(named, rule.maxFileBytes);
  }
  return { absolute, relative, stats };
}

/**
 * Read a file `resolveRequestPath` accepted: opened without following a symlink and without blocking
 * (a FIFO swapped in since cannot hang the read), then checked again on the open handle.
 */
export async function readRegularFile(
  absolute: string,
  maxBytes: number,
  shown = absolute,
): Promise<Uint8Array> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotAFileError(shown);
    if (stats.size > maxBytes) throw fileTooLarge(shown, maxBytes);
    const data = new Uint8Array(stats.size);
    let offset = 0;
    while (offset < data.length) {
      const { bytesRead } = await handle.read(data, offset, data.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return data.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

function fileTooLarge(shown: string, limit: number): ContentTooLargeError {
  return new ContentTooLargeError(
    `"${shown}" is larger than the ${formatBytes(limit)} accepted here.`,
    limit,
  );
}

function checkKind(stats: Stats, expect: "file" | "folder" | "file-or-folder", relative: string): void {
  if (expect === "folder") {
    if (!stats.isDirectory()) throw new NotAFolderError(relative);
    return;
  }
  if (stats.isFile() || (expect === "file-or-folder" && stats.isDirectory())) return;
  throw new NotAFileError(relative);
}

async function realOrSpelled(folder: string): Promise<string> {
  try {
    return await realpath(folder);
  } catch {
    return folder;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The path as shown in messages: control characters visible, long ones cut. */
function printable(requested: string): string {
  const visible = requested.replace(
    /\p{Cc}/gu,
    (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return visible.length > 200 ? `${visible.slice(0, 200)}…` : visible;
}
