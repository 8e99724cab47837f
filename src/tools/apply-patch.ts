/**
 * apply_patch: apply a unified diff that may change, create, delete or rename several files.
 *
 * Contract (all-or-nothing):
 * - Every file's hunks are validated against the current content before anything is written; any
 *   failure (unparseable patch, missing file, hunk that does not match, path outside the workspace)
 *   throws a `ToolError` naming the file and hunk, and no file is changed.
 * - If writing fails half-way (disk full, permissions), the files already written are restored.
 * - Headers: `--- a/path` / `+++ b/path` (the `a/` and `b/` prefixes are optional); `/dev/null` on the
 *   old side creates a file, on the new side deletes it; different old and new paths rename.
 * - Hunks must match exactly (no fuzz), but may sit at other line numbers than their headers say, and
 *   Windows line endings in the file are matched by "\n" in the patch. Wrong or missing line counts
 *   in @@ headers are recomputed from the hunk bodies when the patch does not parse as written.
 * - `touches` and `describe` never throw (see write_file).
 * - The V4A format GPT and Codex-family models write (`*** Begin Patch`, `*** Update File:` ...; see
 *   v4a-patch.ts) is accepted too, with the same all-or-nothing staging, diff preview and undo.
 */
import { rm } from "node:fs/promises";
import { Type as T } from "@sinclair/typebox";
import { applyPatch, parsePatch, type StructuredPatch, type StructuredPatchHunk } from "diff";
import { defineTool, ToolError, type Workspace } from "../agent/tool-contract.ts";
import { readTextForEdit, writeTextFile } from "./fs-helpers.ts";
import { summarize } from "./patch-summary.ts";
import { isV4APatch, parseV4APatch, type V4AOperation } from "./v4a-patch.ts";
import { planV4A, type StagedFile } from "./v4a-staging.ts";

const description = `Apply a unified diff to files in the workspace. All or nothing: if any hunk does not match, no file is changed.

- Format: for each file, a "--- a/<path>" line, a "+++ b/<path>" line, then hunks starting with "@@ -<old start>,<old count> +<new start>,<new count> @@". Hunk lines start with " " (context), "-" (removed) or "+" (added).
- Context and removed lines must match the file exactly; include about 3 lines of context around each change.
- Create a file with "--- /dev/null"; delete one with "+++ /dev/null"; rename with different old and new paths.
- Paths are relative to the workspace.
- The "*** Begin Patch" format is accepted too: "*** Add File: <path>" (every line prefixed "+"), "*** Delete File: <path>", "*** Update File: <path>" (optionally "*** Move to: <new path>") with "@@"-separated chunks of " ", "-" and "+" lines, then "*** End Patch".`;

function patchPath(name: string | undefined, prefix: "a/" | "b/"): string | null {
  if (name === undefined || name === "" || name === "/dev/null") return null;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function hunkHeader(hunk: StructuredPatchHunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
}

const hunkHeaderPattern = /^@@(?: -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)?)? @@(.*)$/;

/**
 * The patch with every hunk header's line counts recomputed from the hunk's body (models often get
 * them wrong, or write "@@ @@"). A hunk's body is the run of lines starting with " ", "-", "+" or "\"
 * (blank lines count as blank context unless they end the hunk); it ends at the next "@@", a
 * "--- " line followed by "+++ ", a "diff " line or the end. A hunk ending on any other line makes
 * the repair fail (null), so no part of a patch is ever dropped silently.
 */
function recountHunks(patchText: string): string | null {
  const lines = patchText.split("\n");
  const output: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const header = hunkHeaderPattern.exec(lines[index]!);
    if (!header) {
      output.push(lines[index]!);
      index += 1;
      continue;
    }
    const body: string[] = [];
    index += 1;
    while (index < lines.length) {
      const line = lines[index]!;
      if (line.startsWith("@@") || line.startsWith("diff ")) break;
      if (line.startsWith("--- ") && lines[index + 1]?.startsWith("+++ ")) break;
      if (line !== "" && !/^[ +\-\\]/.test(line)) return null;
      body.push(line);
      index += 1;
    }
    let trailingBlank = 0;
    while (body.length > trailingBlank && body[body.length - 1 - trailingBlank] === "") trailingBlank += 1;
    const hunkLines = body.slice(0, body.length - trailingBlank);
    const oldCount = hunkLines.filter((line) => line === "" || line[0] === " " || line[0] === "-").length;
    const newCount = hunkLines.filter((line) => line === "" || line[0] === " " || line[0] === "+").length;
    const oldStart = header[1] ?? (oldCount === 0 ? "0" : "1");
    const newStart = header[2] ?? (newCount === 0 ? "0" : "1");
    output.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${header[3] ?? ""}`, ...body);
  }
  return output.join("\n");
}

/**
 * The first line that looks like a hunk line ("+", "-" or " ") but lies outside every hunk as the
 * @@ counts delimit them; the parser would silently ignore it. Null when there is none.
 */
function findStrayLine(patchText: string): { lineNumber: number; line: string } | null {
  const lines = patchText.split("\n");
  let inFiles = false;
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const header = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (header) {
      inFiles = true;
      let oldRemaining = header[1] === undefined ? 1 : Number(header[1]);
      let newRemaining = header[2] === undefined ? 1 : Number(header[2]);
      index += 1;
      while (
        index < lines.length &&
        (oldRemaining > 0 || newRemaining > 0 || lines[index]!.startsWith("\\"))
      ) {
        const bodyLine = lines[index]!;
        if (bodyLine.startsWith("-")) oldRemaining -= 1;
        else if (bodyLine.startsWith("+")) newRemaining -= 1;
        else if (!bodyLine.startsWith("\\")) {
          oldRemaining -= 1;
          newRemaining -= 1;
        }
        index += 1;
      }
      continue;
    }
    if (line.startsWith("--- ") || line.startsWith("diff ")) inFiles = true;
    const isFileHeader = line.startsWith("--- ") || line.startsWith("+++ ");
    // "-- " is the signature separator that ends `git format-patch` output.
    if (inFiles && /^[+\- ]/.test(line) && !isFileHeader && line !== "-- ")
      return { lineNumber: index + 1, line };
    index += 1;
  }
  return null;
}

/** jsdiff's parse, refusing patches where it would silently ignore hunk-like lines. */
function parseStrictly(patchText: string): StructuredPatch[] {
  const parsed = parsePatch(patchText);
  const stray = findStrayLine(patchText);
  if (stray) {
    throw new Error(
      `line ${stray.lineNumber} (${JSON.stringify(stray.line.slice(0, 80))}) lies outside every hunk`,
    );
  }
  return parsed;
}

function parse(patchText: string): StructuredPatch[] {
  if (patchText.trim() === "") throw new ToolError("The patch is empty.");
  let parsed: StructuredPatch[];
  try {
    parsed = parseStrictly(patchText);
  } catch (error) {
    try {
      const recounted = recountHunks(patchText);
      if (recounted === null) throw error;
      parsed = parseStrictly(recounted);
    } catch {
      throw new ToolError(
        `Could not parse the patch: ${error instanceof Error ? error.message : String(error)}. Each hunk line must start with " " (context), "-" (removed) or "+" (added). No file was changed.`,
      );
    }
  }
  const filePatches = parsed.filter(
    (filePatch) =>
      filePatch.hunks.length > 0 || filePatch.isCreate || filePatch.isDelete || filePatch.isRename,
  );
  if (filePatches.length === 0) {
    throw new ToolError(
      'The patch contains no hunks. Expected a unified diff: "--- a/<path>", "+++ b/<path>", then "@@ -start,count +start,count @@" hunks.',
    );
  }
  return filePatches;
}

/** A pointer to the first context or removed line of `hunk` that appears nowhere in `content`. */
function missingLineHint(content: string, hunk: StructuredPatchHunk): string {
  const present = new Set(content.split("\n").map((line) => line.replace(/\r$/, "")));
  const missing = hunk.lines.find(
    (line) => (line.startsWith(" ") || line.startsWith("-")) && !present.has(line.slice(1)),
  );
  return missing === undefined
    ? "Its lines exist in the file but not in this order."
    : `This line of the hunk is not in the file: ${JSON.stringify(missing.slice(1, 201))}.`;
}

/** The content after applying `filePatch`'s hunks, or a `ToolError` naming the first hunk that fails. */
function applyHunks(content: string, filePatch: StructuredPatch, displayPath: string): string {
  if (filePatch.hunks.length === 0) return content;
  const patched = applyPatch(content, filePatch);
  if (patched !== false) return patched;
  for (let index = 0; index < filePatch.hunks.length; index += 1) {
    const prefix = { ...filePatch, hunks: filePatch.hunks.slice(0, index + 1) };
    if (applyPatch(content, prefix) === false) {
      const hunk = filePatch.hunks[index]!;
      throw new ToolError(
        `Hunk ${index + 1} of ${filePatch.hunks.length} for ${displayPath} (${hunkHeader(hunk)}) does not match the file. ${missingLineHint(content, hunk)} Read the file again and regenerate the patch. No file was changed.`,
      );
    }
  }
  throw new ToolError(`The hunks for ${displayPath} do not apply together. No file was changed.`);
}

/** Validate the whole patch against the workspace and compute every file's new content. */
async function planPatch(workspace: Workspace, patchText: string): Promise<StagedFile[]> {
  const staged = new Map<string, StagedFile>();

  async function current(path: string): Promise<StagedFile> {
    const absolutePath = workspace.resolve(path);
    const existing = staged.get(absolutePath);
    if (existing) return existing;
    const displayPath = workspace.relative(absolutePath);
    const before = await readTextForEdit(absolutePath, displayPath);
    const file = { absolutePath, displayPath, before, after: before };
    staged.set(absolutePath, file);
    return file;
  }

  if (isV4APatch(patchText)) {
    await planV4A(patchText, current);
    return [...staged.values()].filter((file) => file.before !== file.after);
  }

  for (const [index, filePatch] of parse(patchText).entries()) {
    const oldPath = patchPath(filePatch.oldFileName, "a/");
    const newPath = patchPath(filePatch.newFileName, "b/");
    if (filePatch.isBinary) {
      throw new ToolError(
        `File ${index + 1} of the patch is a binary change, which apply_patch cannot apply.`,
      );
    }
    if (oldPath === null && newPath === null) {
      throw new ToolError(`File ${index + 1} of the patch has no file names in its ---/+++ headers.`);
    }
    if (oldPath === null) {
      const target = await current(newPath!);
      if (target.after !== null && target.after !== "") {
        throw new ToolError(
          `The patch creates ${target.displayPath} (from /dev/null), but it already exists. Patch it as an existing file instead. No file was changed.`,
        );
      }
      target.after = applyHunks("", filePatch, target.displayPath);
      continue;
    }
    const source = await current(oldPath);
    if (source.after === null) {
      throw new ToolError(
        `The patch changes ${source.displayPath}, which does not exist. No file was changed.`,
      );
    }
    const patched = applyHunks(source.after, filePatch, source.displayPath);
    if (newPath === null) {
      if (patched !== "") {
        throw new ToolError(
          `The patch deletes ${source.displayPath} (to /dev/null) but does not remove all of its lines. No file was changed.`,
        );
      }
      source.after = null;
      continue;
    }
    const target = await current(newPath);
    if (target !== source) {
      if (target.after !== null) {
        throw new ToolError(
          `The patch renames ${source.displayPath} to ${target.displayPath}, which already exists. No file was changed.`,
        );
      }
      source.after = null;
      target.movedFrom = source;
    }
    target.after = patched;
  }
  return [...staged.values()].filter((file) => file.before !== file.after);
}

async function writeAll(files: StagedFile[]): Promise<void> {
  const written: StagedFile[] = [];
  try {
    for (const file of files) {
      if (file.after === null) await rm(file.absolutePath, { force: true });
      else await writeTextFile(file.absolutePath, file.after);
      written.push(file);
    }
  } catch (error) {
    for (const file of written.reverse()) {
      if (file.before === null) await rm(file.absolutePath, { force: true }).catch(() => undefined);
      else await writeTextFile(file.absolutePath, file.before).catch(() => undefined);
    }
    throw new ToolError(
      `Writing the patched files failed (${error instanceof Error ? error.message : String(error)}); the files already written were restored.`,
    );
  }
}

export const applyPatchTool = defineTool({
  name: "apply_patch",
  description,
  kind: "write",
  parameters: T.Object({
    patch: T.String({ description: 'The unified diff (or "*** Begin Patch" patch) to apply.' }),
  }),
  touches(params, ctx) {
    if (isV4APatch(params.patch)) {
      let operations: V4AOperation[];
      try {
        operations = parseV4APatch(params.patch);
      } catch {
        return [];
      }
      const paths = new Set<string>();
      for (const operation of operations) {
        for (const name of [operation.path, operation.kind === "update" ? operation.moveTo : undefined]) {
          if (name === undefined) continue;
          try {
            paths.add(ctx.workspace.resolve(name));
          } catch {
            // Refused paths make execute fail before anything is written.
          }
        }
      }
      return [...paths];
    }
    let filePatches: StructuredPatch[];
    try {
      filePatches = parse(params.patch);
    } catch {
      return [];
    }
    const paths = new Set<string>();
    for (const filePatch of filePatches) {
      for (const name of [patchPath(filePatch.oldFileName, "a/"), patchPath(filePatch.newFileName, "b/")]) {
        if (name === null) continue;
        try {
          paths.add(ctx.workspace.resolve(name));
        } catch {
          // Refused paths make execute fail before anything is written.
        }
      }
    }
    return [...paths];
  },
  async describe(params, ctx) {
    try {
      const files = await planPatch(ctx.workspace, params.patch);
      const summaries = summarize(files);
      return {
        title: `Apply patch: ${summaries.map((summary) => summary.text).join(", ") || "no changes"}`,
        detail: summaries.map((summary) => summary.diff).join("\n"),
        detailKind: "diff",
      };
    } catch (error) {
      return {
        title: "Apply patch",
        detail: `This call will fail: ${error instanceof Error ? error.message : String(error)}`,
        detailKind: "diff",
      };
    }
  },
  async execute(params, ctx) {
    const files = await planPatch(ctx.workspace, params.patch);
    ctx.signal.throwIfAborted();
    if (files.length === 0) {
      return { text: "The patch changes nothing.", details: { paths: [], diff: "", added: 0, removed: 0 } };
    }
    await writeAll(files);
    const summaries = summarize(files);
    return {
      text: `Applied the patch: ${summaries.map((summary) => summary.text).join(", ")}.`,
      details: {
        paths: files.map((file) => file.displayPath),
        diff: summaries.map((summary) => summary.diff).join("\n"),
        added: summaries.reduce((total, summary) => total + summary.added, 0),
        removed: summaries.reduce((total, summary) => total + summary.removed, 0),
      },
    };
  },
});
