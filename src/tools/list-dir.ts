/**
 * list_dir: the entries of a folder (optionally a few levels deep) with their type and size.
 *
 * Contract: folders first, then files and symlinks, each group sorted by name (code point order).
 * `.git` and `node_modules` are listed but not descended into; symlinks are shown with their target
 * and never followed. At most `maximumListEntries` entries are listed, with a note when cut.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { formatBytes } from "../shared/byte-size.ts";
import { errorCode, skippedDirectoryNames } from "./fs-helpers.ts";
import { createIgnoreMatcher, INCLUDE_IGNORED_DESCRIPTION } from "./ignore-rules.ts";

export const maximumListDepth = 5;
export const maximumListEntries = 1000;

const description = `List the files and folders in a workspace folder, with sizes.

- \`path\` defaults to the workspace root; \`depth\` (1-${maximumListDepth}, default 1) also lists subfolders' contents.
- Folders end with "/" and come first; symlinks show their target.
- .git and node_modules are listed but not expanded; entries excluded by .gitignore or .ignore are left out unless include_ignored is true. Use glob to find files by name pattern, grep to search contents.`;

interface ListedEntry {
  /** Workspace-relative path. */
  path: string;
  type: "dir" | "file" | "symlink" | "other";
  /** Bytes, for files. */
  size?: number;
  /** Link target as stored, for symlinks. */
  target?: string;
}

function entryType(entry: Dirent): ListedEntry["type"] {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "dir";
  if (entry.isFile()) return "file";
  return "other";
}

export const listDirTool = defineTool({
  name: "list_dir",
  description,
  kind: "read",
  parameters: T.Object({
    path: T.Optional(T.String({ description: "Folder path, relative to the workspace. Default: the root." })),
    depth: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: maximumListDepth,
        description: "How many levels to list. Default: 1 (only this folder).",
      }),
    ),
    include_ignored: T.Optional(T.Boolean({ description: INCLUDE_IGNORED_DESCRIPTION })),
  }),
  async execute(params, ctx) {
    const absolutePath = ctx.workspace.resolve(params.path ?? ".");
    const displayPath = ctx.workspace.relative(absolutePath);
    const depth = Math.min(Math.max(params.depth ?? 1, 1), maximumListDepth);
    try {
      const info = await stat(absolutePath);
      if (!info.isDirectory()) {
        throw new ToolError(`${displayPath} is a file, not a folder. Use read_file to read it.`);
      }
    } catch (error) {
      if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") {
        throw new ToolError(`Folder not found: ${displayPath}.`);
      }
      throw error;
    }

    const lines: string[] = [];
    const entries: ListedEntry[] = [];
    let truncated = false;
    const matcher = params.include_ignored ? undefined : createIgnoreMatcher(ctx.workspace.root);
    let ignored = 0;

    async function listFolder(folder: string, level: number): Promise<void> {
      ctx.signal.throwIfAborted();
      let children: Dirent[];
      try {
        children = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        lines.push(`${"  ".repeat(level)}(cannot read: ${errorCode(error) ?? "error"})`);
        return;
      }
      // Sage's own folders and the credential folders are never listed, not even by name.
      children = children.filter((child) => !ctx.workspace.isHidden(join(folder, child.name)));
      children.sort((left, right) => {
        const leftIsDir = left.isDirectory() ? 0 : 1;
        const rightIsDir = right.isDirectory() ? 0 : 1;
        if (leftIsDir !== rightIsDir) return leftIsDir - rightIsDir;
        return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
      });
      const sizes = await Promise.all(
        children.map(async (child) => {
          if (!child.isFile()) return undefined;
          return (await lstat(join(folder, child.name)).catch(() => undefined))?.size;
        }),
      );
      for (const [index, child] of children.entries()) {
        if (entries.length >= maximumListEntries) {
          truncated = true;
          return;
        }
        const childPath = join(folder, child.name);
        if (matcher?.ignores(childPath, child.isDirectory())) {
          ignored += 1;
          continue;
        }
        const entry: ListedEntry = { path: ctx.workspace.relative(childPath), type: entryType(child) };
        const indent = "  ".repeat(level);
        if (entry.type === "dir") {
          const expand = level + 1 < depth && !skippedDirectoryNames.has(child.name);
          const note = skippedDirectoryNames.has(child.name) && level + 1 < depth ? "  (not expanded)" : "";
          lines.push(`${indent}${child.name}/${note}`);
          entries.push(entry);
          if (expand) await listFolder(childPath, level + 1);
        } else if (entry.type === "symlink") {
          entry.target = await readlink(childPath).catch(() => "?");
          lines.push(`${indent}${child.name} -> ${entry.target}`);
          entries.push(entry);
        } else {
          entry.size = sizes[index];
          const size = entry.size === undefined ? "" : `  ${formatBytes(entry.size)}`;
          lines.push(`${indent}${child.name}${entry.type === "other" ? "  (special file)" : size}`);
          entries.push(entry);
        }
      }
    }

    await listFolder(absolutePath, 0);
    const header = `${displayPath === "." ? "Workspace root" : `${displayPath}/`}: ${entries.length} entr${entries.length === 1 ? "y" : "ies"}${depth > 1 ? ` (depth ${depth})` : ""}`;
    let text = lines.length === 0 ? `${header}\n(empty folder)` : `${header}\n${lines.join("\n")}`;
    if (truncated) {
      text += `\n\n[Stopped after ${maximumListEntries} entries. List a subfolder or use a smaller depth.]`;
    }
    if (ignored > 0) {
      text += `\n\n[${ignored} entr${ignored === 1 ? "y" : "ies"} excluded by .gitignore/.ignore are not listed; set include_ignored to list them.]`;
    }
    return { text, details: { path: displayPath, entries, truncated, ignored } };
  },
});
