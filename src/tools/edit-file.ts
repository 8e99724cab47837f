/**
 * edit_file: replace an exact piece of text in a file.
 *
 * Contract:
 * - `old_string` must occur exactly (whitespace included). No match is an error that points at a
 *   whitespace-only difference or the closest line; several matches are an error listing their lines
 *   unless `replace_all` is set. Identical old and new strings are an error.
 * - A file with Windows line endings matches an `old_string` written with "\n"; the replacement then
 *   gets "\r\n" too.
 * - An empty `old_string` creates a missing file (or fills an empty one) with `new_string`; on a file
 *   with content it is an error.
 * - `touches` and `describe` never throw (see write_file).
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError, type Workspace } from "../agent/tool-contract.ts";
import { countLines, diffFileChange, readTextForEdit, writeTextFile } from "./fs-helpers.ts";

const description = `Replace exact text in a file in the workspace.

- \`old_string\` must match the file exactly, including whitespace and indentation. Copy it from read_file output WITHOUT the line-number prefix.
- If \`old_string\` occurs more than once, the edit is refused: include more surrounding lines to make it unique, or set \`replace_all\` to replace every occurrence (for renames).
- To create a new file, use an empty \`old_string\` (or write_file).
- Paths are relative to the workspace.`;

const parameters = T.Object({
  path: T.String({ description: "File path, relative to the workspace." }),
  old_string: T.String({ description: "The exact text to replace (empty to create a new file)." }),
  new_string: T.String({ description: "The text to put in its place." }),
  replace_all: T.Optional(
    T.Boolean({ description: "Replace every occurrence instead of requiring exactly one. Default: false." }),
  ),
});

interface EditRequest {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

interface PlannedEdit {
  absolutePath: string;
  displayPath: string;
  before: string | null;
  after: string;
  replacements: number;
}

function occurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + search.length)) {
    found.push(index);
  }
  return found;
}

function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (
    let position = text.indexOf("\n");
    position !== -1 && position < index;
    position = text.indexOf("\n", position + 1)
  ) {
    line += 1;
  }
  return line;
}

/** Above this many lines the closest-line hint is skipped (it compares every line). */
const maximumLinesForClosestMatch = 50_000;

function normaliseWhitespace(line: string): string {
  return line.trim().replace(/\s+/g, " ");
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < text.length - 1; index += 1) {
    const pair = text.slice(index, index + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient over character pairs: 1 for equal strings, near 0 for unrelated ones. */
function similarity(left: string, right: string): number {
  if (left === right) return 1;
  if (left.length < 2 || right.length < 2) return 0;
  const leftPairs = bigrams(left);
  let shared = 0;
  for (const [pair, count] of bigrams(right)) shared += Math.min(count, leftPairs.get(pair) ?? 0);
  return (2 * shared) / (left.length - 1 + right.length - 1);
}

/** The 1-based line where `searchLines` occur in `fileLines` (both whitespace-normalised), or null. */
function findIgnoringWhitespace(fileLines: string[], searchLines: string[]): number | null {
  for (let start = 0; start + searchLines.length <= fileLines.length; start += 1) {
    if (searchLines.every((line, offset) => fileLines[start + offset] === line)) return start + 1;
  }
  return null;
}

/** The 0-based index of the line most similar to `target`, if any is similar enough to be worth showing. */
function closestLine(fileLines: string[], target: string): number | null {
  if (fileLines.length > maximumLinesForClosestMatch) return null;
  let bestLine: number | null = null;
  let bestScore = 0.5;
  fileLines.forEach((line, index) => {
    const score = similarity(line, target);
    if (score >= bestScore) {
      bestScore = score;
      bestLine = index;
    }
  });
  return bestLine;
}

/** Why `search` was not found, with the most useful pointer we can compute cheaply. */
function explainNoMatch(content: string, search: string, displayPath: string): string {
  const parts = [`old_string was not found in ${displayPath}.`];
  if (/^\s*\d+\t/m.test(search)) {
    parts.push("It seems to contain line-number prefixes from read_file; remove them.");
  }
  const fileLines = content.split("\n").map(normaliseWhitespace);
  const searchLines = search.split("\n").map(normaliseWhitespace);
  while (searchLines.length > 0 && searchLines[0] === "") searchLines.shift();
  while (searchLines.length > 0 && searchLines[searchLines.length - 1] === "") searchLines.pop();
  if (searchLines.length > 0) {
    const whitespaceMatch = findIgnoringWhitespace(fileLines, searchLines);
    if (whitespaceMatch !== null) {
      parts.push(
        `Text that differs only in whitespace or indentation starts at line ${whitespaceMatch}; copy it exactly as read_file shows it.`,
      );
      return parts.join(" ");
    }
    const closest = closestLine(fileLines, searchLines[0]!);
    if (closest !== null) {
      const original = content.split("\n")[closest]!.replace(/\r$/, "");
      parts.push(`The closest line is ${closest + 1}: ${JSON.stringify(original.slice(0, 200))}.`);
    }
  }
  parts.push("Check whitespace and indentation, or read the file again to get its current content.");
  return parts.join(" ");
}

/** The content after the edit, or a `ToolError` saying why the edit cannot be made. */
export function applyEdit(before: string | null, request: EditRequest, displayPath: string) {
  const { old_string: oldString, new_string: newString } = request;
  if (oldString === newString) {
    throw new ToolError("old_string and new_string are identical; there is nothing to change.");
  }
  if (before === null) {
    if (oldString === "") return { after: newString, replacements: 0 };
    throw new ToolError(
      `File not found: ${displayPath}. Check the path with list_dir or glob; to create a file, use write_file or an empty old_string.`,
    );
  }
  if (oldString === "") {
    if (before === "") return { after: newString, replacements: 0 };
    throw new ToolError(
      `old_string is empty but ${displayPath} already has content. Give the exact text to replace; to insert, include the neighbouring lines in old_string and new_string.`,
    );
  }
  let search = oldString;
  let replacement = newString;
  let found = occurrences(before, search);
  if (found.length === 0 && before.includes("\r\n") && !oldString.includes("\r")) {
    search = oldString.replaceAll("\n", "\r\n");
    replacement = newString.replaceAll("\r\n", "\n").replaceAll("\n", "\r\n");
    found = occurrences(before, search);
  }
  if (found.length === 0) throw new ToolError(explainNoMatch(before, oldString, displayPath));
  if (found.length > 1 && request.replace_all !== true) {
    const lines = found.slice(0, 20).map((index) => lineNumberAt(before, index));
    const more = found.length > lines.length ? ", ..." : "";
    throw new ToolError(
      `old_string occurs ${found.length} times in ${displayPath} (lines ${lines.join(", ")}${more}). Include more surrounding lines to make it unique, or set replace_all to true to replace every occurrence.`,
    );
  }
  const pieces: string[] = [];
  let previousEnd = 0;
  for (const index of found) {
    pieces.push(before.slice(previousEnd, index), replacement);
    previousEnd = index + search.length;
  }
  pieces.push(before.slice(previousEnd));
  return { after: pieces.join(""), replacements: found.length };
}

async function planEdit(workspace: Workspace, params: EditRequest & { path: string }): Promise<PlannedEdit> {
  const absolutePath = workspace.resolve(params.path);
  const displayPath = workspace.relative(absolutePath);
  const before = await readTextForEdit(absolutePath, displayPath);
  const { after, replacements } = applyEdit(before, params, displayPath);
  return { absolutePath, displayPath, before, after, replacements };
}

export const editFileTool = defineTool({
  name: "edit_file",
  description,
  kind: "write",
  parameters,
  touches(params, ctx) {
    try {
      return [ctx.workspace.resolve(params.path)];
    } catch {
      return [];
    }
  },
  async describe(params, ctx) {
    try {
      const planned = await planEdit(ctx.workspace, params);
      const change = diffFileChange(planned.displayPath, planned.displayPath, planned.before, planned.after);
      return {
        title: `${planned.before === null ? "Create" : "Edit"} ${planned.displayPath}`,
        detail: change.diff,
        detailKind: "diff",
      };
    } catch (error) {
      return {
        title: `Edit ${params.path}`,
        detail: `This call will fail: ${error instanceof Error ? error.message : String(error)}`,
        detailKind: "diff",
      };
    }
  },
  async execute(params, ctx) {
    const planned = await planEdit(ctx.workspace, params);
    ctx.signal.throwIfAborted();
    await writeTextFile(planned.absolutePath, planned.after);
    const change = diffFileChange(planned.displayPath, planned.displayPath, planned.before, planned.after);
    const details = {
      path: planned.displayPath,
      diff: change.diff,
      added: change.added,
      removed: change.removed,
      replacements: planned.replacements,
      created: planned.before === null,
    };
    if (planned.replacements === 0) {
      const verb = planned.before === null ? "Created" : "Filled the empty file";
      const lines = countLines(planned.after);
      return { text: `${verb} ${planned.displayPath} (${lines} line${lines === 1 ? "" : "s"}).`, details };
    }
    const occurrencesText = `${planned.replacements} occurrence${planned.replacements === 1 ? "" : "s"}`;
    return {
      text: `Edited ${planned.displayPath}: replaced ${occurrencesText} (+${change.added} -${change.removed} lines).`,
      details,
    };
  },
});
