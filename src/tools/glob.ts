/**
 * glob: find files by name pattern (Bun.Glob syntax).
 *
 * Contract:
 * - The pattern is matched against paths relative to `path` (default: the workspace root) with
 *   standard glob meaning: `*` stays within one folder, `**` crosses folders.
 * - Results are workspace-relative paths of files and symlinks (not folders), sorted by path in code
 *   point order. Path order was chosen over modification time because it is stable between calls
 *   and keeps a folder's files together; at most `maximumGlobResults` are returned, with a note.
 * - `.git` and `node_modules` are skipped unless the pattern names them. Symlinked folders are not
 *   followed.
 */
import { stat } from "node:fs/promises";
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { errorCode, skippedDirectoryNames, walkTree } from "./fs-helpers.ts";
import { createIgnoreMatcher, INCLUDE_IGNORED_DESCRIPTION, ignoreWalkFilter } from "./ignore-rules.ts";

export const maximumGlobResults = 500;

const description = `Find files in the workspace whose path matches a glob pattern.

- Patterns are relative to \`path\` (default: the workspace root). \`*\` matches within one folder, \`**\` across folders, \`{a,b}\` alternatives, \`?\` one character. Examples: "**/*.ts", "src/**/*.test.ts", "*.{md,txt}".
- Returns workspace-relative paths sorted by path, at most ${maximumGlobResults}.
- .git and node_modules are skipped unless the pattern names them; files excluded by .gitignore or .ignore are left out unless include_ignored is true.
- To search file contents, use grep.`;

/** True when a pattern explicitly names one of the folders that walks skip by default. */
function namesSkippedFolder(pattern: string): boolean {
  return pattern.split("/").some((segment) => skippedDirectoryNames.has(segment));
}

export const globTool = defineTool({
  name: "glob",
  description,
  kind: "read",
  parameters: T.Object({
    pattern: T.String({ description: 'Glob pattern, e.g. "**/*.ts".' }),
    path: T.Optional(
      T.String({ description: "Folder to search in, relative to the workspace. Default: the root." }),
    ),
    include_ignored: T.Optional(T.Boolean({ description: INCLUDE_IGNORED_DESCRIPTION })),
  }),
  async execute(params, ctx) {
    const pattern = params.pattern.trim();
    if (pattern === "") throw new ToolError('The pattern is empty. Example: "**/*.ts".');
    if (pattern.startsWith("/")) {
      throw new ToolError("The pattern must be relative; put the folder to search in `path` instead.");
    }
    if (pattern.split("/").includes("..")) {
      throw new ToolError("The pattern cannot contain '..'; set `path` to the folder to search in instead.");
    }
    const start = ctx.workspace.resolve(params.path ?? ".");
    const displayStart = ctx.workspace.relative(start);
    try {
      if (!(await stat(start)).isDirectory()) {
        throw new ToolError(`${displayStart} is a file, not a folder. Set \`path\` to a folder.`);
      }
    } catch (error) {
      if (errorCode(error) === "ENOENT") throw new ToolError(`Folder not found: ${displayStart}.`);
      throw error;
    }

    const glob = new Bun.Glob(pattern);
    const filter = ignoreWalkFilter(
      params.include_ignored ? undefined : createIgnoreMatcher(ctx.workspace.root),
      (name) => skippedDirectoryNames.has(name),
      namesSkippedFolder(pattern),
    );
    const matches: string[] = [];
    for await (const entry of walkTree(start, {
      signal: ctx.signal,
      isHidden: ctx.workspace.isHidden,
      descendInto: filter.descendInto,
    })) {
      if (entry.kind === "dir" || !glob.match(entry.relativePath) || filter.excluded(entry)) continue;
      matches.push(ctx.workspace.relative(entry.absolutePath));
    }
    matches.sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));

    const truncated = matches.length > maximumGlobResults;
    const shown = matches.slice(0, maximumGlobResults);
    const ignored = filter.ignoredCount();
    const details = { pattern, path: displayStart, count: matches.length, truncated, ignored };
    const ignoredNote =
      ignored > 0
        ? `\n[${ignored} matching file(s) excluded by .gitignore/.ignore, not counting ignored folders' contents; set include_ignored to see them.]`
        : "";
    const where = displayStart === "." ? "the workspace" : displayStart;
    if (shown.length === 0) {
      const hint = pattern.includes("/") ? "" : ` To match in subfolders too, use "**/${pattern}".`;
      return { text: `No files match "${pattern}" in ${where}.${hint}${ignoredNote}`, details };
    }
    let text = shown.join("\n");
    if (truncated) {
      text += `\n\n[Showing ${maximumGlobResults} of ${matches.length} matches. Use a more specific pattern or path.]`;
    }
    return { text: `${text}${ignoredNote}`, details };
  },
});
