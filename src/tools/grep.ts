/**
 * grep: search file contents with a JavaScript regular expression.
 *
 * Contract:
 * - Searches one file, or every file below a folder (default: the workspace root), optionally only
 *   those matching a glob. `.git` and `node_modules` are skipped unless the glob names them; symlinks
 *   are not followed; binary files and files over `maximumGrepFileBytes` are skipped.
 * - Files are searched in path order (code point), a small batch at a time, so the output and the
 *   point where `max_results` cuts it are the same on every call.
 * - Output: `path:line: text` for matching lines and `path-line- text` for context lines, grouped by
 *   file, "--" between separate regions of one file; a summary line at the end.
 */
import { stat } from "node:fs/promises";
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import {
  clipLine,
  errorCode,
  looksBinary,
  skippedDirectoryNames,
  splitLines,
  walkTree,
} from "./fs-helpers.ts";
import { createIgnoreMatcher, INCLUDE_IGNORED_DESCRIPTION, ignoreWalkFilter } from "./ignore-rules.ts";

export const maximumGrepFileBytes = 5 * 1024 * 1024;
export const defaultGrepResults = 100;
export const maximumGrepResults = 1000;
const maximumContextLines = 10;
const maximumShownLineCharacters = 500;
/** Files read at the same time. */
const readBatchSize = 64;

const description = `Search the contents of files in the workspace with a regular expression (JavaScript RegExp syntax).

- Searches every file below \`path\` (default: the workspace root), or just \`path\` if it is a file. Narrow it with \`glob\` (e.g. "*.ts", or "src/**/*.md" relative to \`path\`; a pattern without "/" matches file names at any depth).
- Output lines look like "path:line: text"; with \`context\`, surrounding lines look like "path-line- text".
- Binary files, files over ${maximumGrepFileBytes / (1024 * 1024)} MB, .git and node_modules are skipped; so are files excluded by .gitignore or .ignore, unless include_ignored is true.
- Returns at most \`max_results\` matching lines (default ${defaultGrepResults}).
- Escape regex characters to search for them literally, e.g. "foo\\(" or "\\.then".`;

interface FileMatches {
  displayPath: string;
  lines: string[];
  /** 0-based indexes of matching lines, ascending. */
  matchingLines: number[];
}

function compile(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw new ToolError(
      `Invalid regular expression ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}. Escape special characters such as ( [ { . * + ? with a backslash to match them literally.`,
    );
  }
}

function formatFile(file: FileMatches, context: number): string {
  const shown = new Set<number>();
  for (const index of file.matchingLines) {
    for (
      let line = Math.max(0, index - context);
      line <= Math.min(file.lines.length - 1, index + context);
      line += 1
    ) {
      shown.add(line);
    }
  }
  const matching = new Set(file.matchingLines);
  const output: string[] = [];
  let previous = -1;
  for (const index of [...shown].sort((left, right) => left - right)) {
    if (previous !== -1 && index > previous + 1) output.push("--");
    const separator = matching.has(index) ? ":" : "-";
    const text = clipLine(file.lines[index]!, maximumShownLineCharacters);
    output.push(`${file.displayPath}${separator}${index + 1}${separator} ${text}`);
    previous = index;
  }
  return output.join("\n");
}

export const grepTool = defineTool({
  name: "grep",
  description,
  kind: "read",
  parameters: T.Object({
    pattern: T.String({ description: "Regular expression (JavaScript syntax) to search for." }),
    path: T.Optional(
      T.String({ description: "File or folder to search, relative to the workspace. Default: the root." }),
    ),
    glob: T.Optional(T.String({ description: 'Only search files matching this glob, e.g. "*.ts".' })),
    include_ignored: T.Optional(T.Boolean({ description: INCLUDE_IGNORED_DESCRIPTION })),
    ignore_case: T.Optional(T.Boolean({ description: "Match case-insensitively. Default: false." })),
    context: T.Optional(
      T.Integer({
        minimum: 0,
        maximum: maximumContextLines,
        description: "Lines of context to show before and after each match. Default: 0.",
      }),
    ),
    max_results: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: maximumGrepResults,
        description: `Most matching lines to return. Default: ${defaultGrepResults}.`,
      }),
    ),
  }),
  async execute(params, ctx) {
    if (params.pattern === "") throw new ToolError("The pattern is empty.");
    const flags = params.ignore_case ? "i" : "";
    const lineExpression = compile(params.pattern, flags);
    // Whole-file pre-check so a file without any match is never split into lines. With the "m" flag
    // it matches wherever a line would, except for lookarounds, which can see across line ends.
    const fileExpression = /\(\?<?[=!]/.test(params.pattern) ? null : compile(params.pattern, `${flags}m`);
    const context = Math.min(Math.max(params.context ?? 0, 0), maximumContextLines);
    const limit = Math.min(Math.max(params.max_results ?? defaultGrepResults, 1), maximumGrepResults);

    const start = ctx.workspace.resolve(params.path ?? ".");
    const displayStart = ctx.workspace.relative(start);
    let startIsFolder: boolean;
    try {
      const info = await stat(start);
      startIsFolder = info.isDirectory();
      if (!startIsFolder && !info.isFile()) {
        throw new ToolError(`${displayStart} is not a regular file or folder.`);
      }
    } catch (error) {
      if (errorCode(error) === "ENOENT") throw new ToolError(`Not found: ${displayStart}.`);
      throw error;
    }

    const candidates: string[] = [];
    let ignored = 0;
    if (startIsFolder) {
      const fileGlob = params.glob ? new Bun.Glob(params.glob) : null;
      const globMatchesNames = params.glob !== undefined && !params.glob.includes("/");
      const globNamesSkipped =
        params.glob?.split("/").some((segment) => skippedDirectoryNames.has(segment)) ?? false;
      const filter = ignoreWalkFilter(
        params.include_ignored ? undefined : createIgnoreMatcher(ctx.workspace.root),
        (name) => skippedDirectoryNames.has(name),
        globNamesSkipped,
      );
      for await (const entry of walkTree(start, {
        signal: ctx.signal,
        isHidden: ctx.workspace.isHidden,
        descendInto: filter.descendInto,
      })) {
        if (entry.kind !== "file" || filter.excluded(entry)) continue;
        if (fileGlob) {
          const subject = globMatchesNames
            ? entry.relativePath.slice(entry.relativePath.lastIndexOf("/") + 1)
            : entry.relativePath;
          if (!fileGlob.match(subject)) continue;
        }
        candidates.push(entry.absolutePath);
      }
      candidates.sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
      ignored = filter.ignoredCount();
    } else {
      candidates.push(start);
    }

    let skipped = 0;
    async function scan(absolutePath: string): Promise<FileMatches | null> {
      try {
        // Walk entries are regular files; Bun.file's size and bytes() are cheaper than stat + readFile.
        const file = Bun.file(absolutePath);
        if (file.size > maximumGrepFileBytes) {
          skipped += 1;
          return null;
        }
        const bytes = await file.bytes();
        if (looksBinary(bytes)) {
          skipped += 1;
          return null;
        }
        const decoded = new TextDecoder().decode(bytes);
        const text = decoded.includes("\r") ? decoded.replaceAll("\r\n", "\n") : decoded;
        if (fileExpression !== null && !fileExpression.test(text)) return null;
        const lines = splitLines(text);
        const matchingLines: number[] = [];
        lines.forEach((line, index) => {
          if (lineExpression.test(line)) matchingLines.push(index);
        });
        if (matchingLines.length === 0) return null;
        return { displayPath: ctx.workspace.relative(absolutePath), lines, matchingLines };
      } catch {
        skipped += 1;
        return null;
      }
    }

    const found: FileMatches[] = [];
    let matchCount = 0;
    let truncated = false;
    let searched = 0;
    for (let offset = 0; offset < candidates.length && !truncated; offset += readBatchSize) {
      ctx.signal.throwIfAborted();
      const batch = candidates.slice(offset, offset + readBatchSize);
      const results = await Promise.all(batch.map(scan));
      for (const [index, result] of results.entries()) {
        searched = offset + index + 1;
        if (result === null) continue;
        const remaining = limit - matchCount;
        if (result.matchingLines.length >= remaining) {
          truncated = result.matchingLines.length > remaining || searched < candidates.length;
          result.matchingLines = result.matchingLines.slice(0, remaining);
        }
        found.push(result);
        matchCount += result.matchingLines.length;
        if (matchCount >= limit) break;
      }
    }

    const fileCount = found.length;
    const skippedNote =
      (skipped > 0 ? `, ${skipped} skipped (binary, too large or unreadable)` : "") +
      (ignored > 0
        ? `, ${ignored} excluded by .gitignore/.ignore (include_ignored: true to search them)`
        : "");
    const summary = `${matchCount} matching line${matchCount === 1 ? "" : "s"} in ${fileCount} file${fileCount === 1 ? "" : "s"} (searched ${searched} file${searched === 1 ? "" : "s"}${skippedNote})`;
    const details = {
      pattern: params.pattern,
      path: displayStart,
      matches: matchCount,
      files: fileCount,
      truncated,
      ignored,
    };
    if (fileCount === 0) {
      return {
        text: `No matches for ${JSON.stringify(params.pattern)} in ${displayStart === "." ? "the workspace" : displayStart} (${summary}).`,
        details,
      };
    }
    let text = `${found.map((file) => formatFile(file, context)).join("\n\n")}\n\n[${summary}]`;
    if (truncated) {
      text += `\n[Stopped at ${limit} matching lines. Narrow the pattern, path or glob, or raise max_results, to see more.]`;
    }
    return { text, details };
  },
});
