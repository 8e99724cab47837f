/**
 * Listing a workspace folder for the file tree.
 *
 * Contract of `listFolder(workspace, path, options)`:
 * - `path` is resolved with the workspace's confinement (`WorkspaceEscapeError` when it leaves it); a
 *   missing folder gives `WorkspaceNotFoundError`, a file `NotAFolderError`.
 * - Entries come folders first, then everything else, each group in natural, case-insensitive name
 *   order. At most `limit` entries per folder are returned (`truncated` says more exist); in such a
 *   folder the choice is made before stat, so a symlink to a folder may be cut as if it were a file.
 * - One listing holds at most MAX_TOTAL_ENTRIES across its levels; past that, sub-folders are left
 *   without `children` (collapsed).
 * - `depth` 1 lists the folder only; each extra level fills `children` of sub-folders, except hidden
 *   ones (names starting with "."), which are listed but left collapsed, and symlinked folders.
 * - Symbolic links are never followed outside the workspace: a link the confinement refuses (target
 *   outside, or a loop) is listed with `link: "outside"`, one whose target is missing with
 *   `link: "broken"`; both with type "other" and size 0.
 */
import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "../agent/tool-contract.ts";
import { compareNatural } from "../core/text-order.ts";
import type { WorkspaceEntry, WorkspaceEntryType, WorkspaceListing } from "../shared/workspace.ts";
import { resolveRequestPath, workspaceRoot } from "./request-path.ts";

export interface ListOptions {
  /** Levels to list (1 = the folder only). */
  depth: number;
  /** Most entries per folder. */
  limit: number;
}

export const DEFAULT_LIST_LIMIT = 2000;
export const MAX_LIST_DEPTH = 4;
/** Most entries in one listing across all levels; deeper folders beyond it stay collapsed. */
export const MAX_TOTAL_ENTRIES = 10_000;

export async function listFolder(
  workspace: Workspace,
  requestedPath: string,
  options: ListOptions,
): Promise<WorkspaceListing> {
  const { absolute } = await resolveRequestPath(workspaceRoot(workspace), requestedPath || ".", {
    form: "either",
    expect: "folder",
  });
  const depth = Math.min(Math.max(1, Math.trunc(options.depth)), MAX_LIST_DEPTH);
  const budget = { remaining: MAX_TOTAL_ENTRIES };
  const { entries, truncated } = await readFolder(workspace, absolute, depth, options.limit, budget);
  return {
    root: workspace.root,
    path: workspace.relative(absolute),
    entries,
    truncated,
    limit: options.limit,
  };
}

async function readFolder(
  workspace: Workspace,
  absoluteFolder: string,
  depth: number,
  limit: number,
  budget: { remaining: number },
): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }> {
  let dirents = await readdir(absoluteFolder, { withFileTypes: true });
  const truncated = dirents.length > limit;
  if (truncated) {
    // Huge folder: choose what to show from the names and dirent types alone, then stat only those.
    dirents = dirents
      .sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || compareNatural(a.name, b.name))
      .slice(0, limit);
  }
  const described = await Promise.all(
    dirents.map((dirent) => describeEntry(workspace, absoluteFolder, dirent)),
  );
  const entries = sortEntries(described.filter((entry): entry is WorkspaceEntry => entry !== undefined));
  budget.remaining -= entries.length;
  if (depth > 1) {
    for (const entry of entries) {
      if (entry.type !== "directory" || entry.hidden || entry.link) continue;
      if (budget.remaining <= 0) break;
      try {
        const child = await readFolder(workspace, join(absoluteFolder, entry.name), depth - 1, limit, budget);
        entry.children = child.entries;
        if (child.truncated) entry.truncated = true;
      } catch {
        // unreadable sub-folder: left collapsed; expanding it later reports the error
      }
    }
  }
  return { entries, truncated };
}

/** One entry, or undefined when it vanished between readdir and stat. */
async function describeEntry(
  workspace: Workspace,
  absoluteFolder: string,
  dirent: Dirent,
): Promise<WorkspaceEntry | undefined> {
  const absolute = join(absoluteFolder, dirent.name);
  const path = workspace.relative(absolute);
  const hidden = dirent.name.startsWith(".");
  let own: Stats;
  try {
    own = await lstat(absolute);
  } catch {
    return undefined;
  }
  if (!own.isSymbolicLink()) {
    return {
      name: dirent.name,
      path,
      type: typeOf(own),
      size: own.isFile() ? own.size : 0,
      mtime: own.mtimeMs,
      hidden,
    };
  }
  try {
    const target = workspace.resolve(path);
    const targetStats = await stat(target);
    return {
      name: dirent.name,
      path,
      type: typeOf(targetStats),
      size: targetStats.isFile() ? targetStats.size : 0,
      mtime: targetStats.mtimeMs,
      hidden,
      link: "inside",
    };
  } catch (error) {
    const link = isNamed(error, "WorkspaceEscapeError") ? "outside" : "broken";
    return { name: dirent.name, path, type: "other", size: 0, mtime: own.mtimeMs, hidden, link };
  }
}

function typeOf(stats: Stats): WorkspaceEntryType {
  if (stats.isDirectory()) return "directory";
  if (stats.isFile()) return "file";
  return "other";
}

export function sortEntries(entries: WorkspaceEntry[]): WorkspaceEntry[] {
  return entries.sort((a, b) => {
    const folderFirst = Number(b.type === "directory") - Number(a.type === "directory");
    return folderFirst || compareNatural(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
