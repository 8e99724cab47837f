/**
 * The "V4A" patch format GPT and Codex-family models write for apply_patch, parsed and applied to
 * strings (no file access; apply-patch.ts stages the files and writes them all or none):
 *
 *   *** Begin Patch
 *   *** Add File: path          then every line of the new file prefixed with "+"
 *   *** Delete File: path
 *   *** Update File: path
 *   *** Move to: new/path       (optional, right after Update File: rename)
 *   @@ optional anchor line     (a line to find first, e.g. "def main():"; several narrow it down)
 *    context line               (" " prefix; an empty line counts as an empty context line)
 *   -removed line
 *   +added line
 *   *** End of File             (optional: the chunk's lines end the file)
 *   *** End Patch
 *
 * Applying a chunk: after the previous chunk (and after its anchors, in order), find the chunk's old lines
 * (context + removed) and put its new lines (context + added) in their place. Lines are compared exactly,
 * then ignoring trailing whitespace, then ignoring surrounding whitespace (models often get indentation
 * whitespace wrong), as the reference implementation does. A chunk with no old lines adds its lines at its
 * anchor, or at the end of the file without one. Windows line endings in the file are kept.
 */

export type V4AOperation =
  | { kind: "add"; path: string; content: string; line: number }
  | { kind: "delete"; path: string; line: number }
  | { kind: "update"; path: string; moveTo?: string; chunks: V4AChunk[]; line: number };

export interface V4AChunk {
  /** "@@ <text>" lines: found in order before the chunk's lines. */
  anchors: string[];
  oldLines: string[];
  newLines: string[];
  /** "*** End of File" followed the chunk: its old lines are the file's last lines. */
  endOfFile: boolean;
  /** 1-based line in the patch where the chunk starts (for messages). */
  line: number;
}

/** The patch is not valid V4A, or a chunk does not match its file; the message names the place. */
export class V4APatchError extends Error {
  override readonly name = "V4APatchError";
}

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const END_OF_FILE = "*** End of File";

/**
 * True when the text is meant as a V4A patch: its first non-blank line is "*** Begin Patch" or one of the
 * operation lines (a patch missing its "*** Begin Patch" then gets V4A's error, not the unified diff's).
 */
export function isV4APatch(text: string): boolean {
  const first = text.trimStart();
  return [BEGIN, ADD, DELETE, UPDATE].some((start) => first.startsWith(start));
}

function isOperationLine(line: string): boolean {
  return line.startsWith(ADD) || line.startsWith(DELETE) || line.startsWith(UPDATE) || line === END;
}

function pathOf(line: string, prefix: string, lineNumber: number): string {
  const path = line.slice(prefix.length).trim();
  if (path === "") throw new V4APatchError(`Line ${lineNumber}: "${prefix.trim()}" needs a file path.`);
  return path;
}

/** Parse a V4A patch; throws `V4APatchError` naming the first bad line. */
export function parseV4APatch(text: string): V4AOperation[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let index = lines.findIndex((line) => line.trim() !== "");
  if (index < 0 || lines[index]?.trim() !== BEGIN)
    throw new V4APatchError(`The patch must start with "${BEGIN}".`);
  index += 1;
  const operations: V4AOperation[] = [];
  let ended = false;
  while (index < lines.length) {
    const line = lines[index] as string;
    const lineNumber = index + 1;
    if (line.trim() === END) {
      ended = true;
      break;
    }
    if (line.startsWith(ADD)) {
      const path = pathOf(line, ADD, lineNumber);
      const content: string[] = [];
      index += 1;
      while (index < lines.length && !isOperationLine(lines[index] as string)) {
        const added = lines[index] as string;
        if (!added.startsWith("+")) {
          throw new V4APatchError(
            `Line ${index + 1}: every line of an added file (${path}) must start with "+"; got ${JSON.stringify(added.slice(0, 80))}.`,
          );
        }
        content.push(added.slice(1));
        index += 1;
      }
      operations.push({
        kind: "add",
        path,
        content: content.length ? `${content.join("\n")}\n` : "",
        line: lineNumber,
      });
      continue;
    }
    if (line.startsWith(DELETE)) {
      operations.push({ kind: "delete", path: pathOf(line, DELETE, lineNumber), line: lineNumber });
      index += 1;
      continue;
    }
    if (line.startsWith(UPDATE)) {
      const path = pathOf(line, UPDATE, lineNumber);
      index += 1;
      let moveTo: string | undefined;
      if ((lines[index] ?? "").startsWith(MOVE)) {
        moveTo = pathOf(lines[index] as string, MOVE, index + 1);
        index += 1;
      }
      const chunks: V4AChunk[] = [];
      let chunk: V4AChunk | undefined;
      const fresh = (at: number): V4AChunk => ({
        anchors: [],
        oldLines: [],
        newLines: [],
        endOfFile: false,
        line: at,
      });
      while (index < lines.length && !isOperationLine(lines[index] as string)) {
        const body = lines[index] as string;
        if (body.startsWith("@@")) {
          // A new chunk starts unless the current one has no lines yet (several anchors in a row).
          if (!chunk || chunk.oldLines.length + chunk.newLines.length > 0) {
            chunk = fresh(index + 1);
            chunks.push(chunk);
          }
          const anchor = body.slice(2).trim();
          if (anchor !== "") chunk.anchors.push(anchor);
        } else if (body === END_OF_FILE) {
          if (!chunk)
            throw new V4APatchError(`Line ${index + 1}: "${END_OF_FILE}" before any change for ${path}.`);
          chunk.endOfFile = true;
        } else if (body === "" || body[0] === " " || body[0] === "-" || body[0] === "+") {
          if (!chunk) {
            chunk = fresh(index + 1);
            chunks.push(chunk);
          } else if (chunk.endOfFile) {
            throw new V4APatchError(`Line ${index + 1}: lines after "${END_OF_FILE}" for ${path}.`);
          }
          const text = body.slice(1);
          if (body === "" || body[0] === " ") {
            chunk.oldLines.push(text);
            chunk.newLines.push(text);
          } else if (body[0] === "-") chunk.oldLines.push(text);
          else chunk.newLines.push(text);
        } else {
          throw new V4APatchError(
            `Line ${index + 1}: in the update of ${path}, every line must start with " " (context), "-" (removed), "+" (added) or "@@"; got ${JSON.stringify(body.slice(0, 80))}.`,
          );
        }
        index += 1;
      }
      // Blank lines between operations are not context.
      for (const each of chunks) {
        while (
          each.oldLines.length > 0 &&
          each.oldLines.at(-1) === "" &&
          each.newLines.at(-1) === "" &&
          !each.endOfFile
        ) {
          each.oldLines.pop();
          each.newLines.pop();
        }
      }
      if (chunks.length === 0 && moveTo === undefined) {
        throw new V4APatchError(`Line ${lineNumber}: the update of ${path} has no changes.`);
      }
      operations.push({ kind: "update", path, moveTo, chunks, line: lineNumber });
      continue;
    }
    if (line.trim() === "") {
      index += 1;
      continue;
    }
    throw new V4APatchError(
      `Line ${lineNumber}: expected "${ADD.trim()}", "${DELETE.trim()}", "${UPDATE.trim()}" or "${END}"; got ${JSON.stringify(line.slice(0, 80))}.`,
    );
  }
  if (!ended) throw new V4APatchError(`The patch must end with "${END}".`);
  if (operations.length === 0) throw new V4APatchError("The patch changes no file.");
  return operations;
}

const NORMALIZERS: ((line: string) => string)[] = [
  (line) => line,
  (line) => line.trimEnd(),
  (line) => line.trim(),
];

/** The index where `pattern` occurs in `lines` at or after `from` (at the end when `atEnd`), or -1. */
function seek(lines: readonly string[], pattern: readonly string[], from: number, atEnd: boolean): number {
  if (pattern.length === 0) return from;
  if (pattern.length > lines.length) return -1;
  for (const normalize of NORMALIZERS) {
    const wanted = pattern.map(normalize);
    const matches = (start: number) =>
      wanted.every((line, offset) => normalize(lines[start + offset] as string) === line);
    if (atEnd) {
      const start = lines.length - pattern.length;
      if (start >= from && matches(start)) return start;
    }
    for (let start = from; start + pattern.length <= lines.length; start += 1)
      if (matches(start)) return start;
  }
  return -1;
}

function quoted(lines: readonly string[]): string {
  const shown = lines.slice(0, 6).map((line) => `  ${JSON.stringify(line.slice(0, 160))}`);
  if (lines.length > 6) shown.push(`  ... (${lines.length - 6} more)`);
  return shown.join("\n");
}

/** Apply an update's chunks to `content`; throws `V4APatchError` naming the chunk that does not match. */
export function applyV4AChunks(content: string, chunks: readonly V4AChunk[], path: string): string {
  const eol = content.includes("\r\n") ? "\r\n" : "\n";
  const lines = content === "" ? [] : content.split(/\r?\n/);
  const finalNewline = lines.length > 0 && lines.at(-1) === "";
  if (finalNewline) lines.pop();
  const replacements: { start: number; remove: number; insert: string[] }[] = [];
  let cursor = 0;
  chunks.forEach((chunk, index) => {
    const where = `Chunk ${index + 1} of ${chunks.length} for ${path} (patch line ${chunk.line})`;
    for (const anchor of chunk.anchors) {
      const found = seek(lines, [anchor], cursor, false);
      if (found < 0) {
        throw new V4APatchError(
          `${where}: its "@@ ${anchor}" line is not in the file${cursor > 0 ? ` after line ${cursor}` : ""}.`,
        );
      }
      cursor = found + 1;
    }
    if (chunk.oldLines.length === 0) {
      const at = chunk.anchors.length > 0 ? cursor : lines.length;
      replacements.push({ start: at, remove: 0, insert: chunk.newLines });
      cursor = at;
      return;
    }
    let old = chunk.oldLines;
    let insert = chunk.newLines;
    let found = seek(lines, old, cursor, chunk.endOfFile);
    if (found < 0 && old.at(-1) === "") {
      // A trailing empty context line often stands for the file's final newline.
      old = old.slice(0, -1);
      insert = insert.at(-1) === "" ? insert.slice(0, -1) : insert;
      found = seek(lines, old, cursor, chunk.endOfFile);
    }
    if (found < 0) {
      throw new V4APatchError(
        `${where} does not match: these lines are not in the file${cursor > 0 ? ` after line ${cursor}` : ""}:\n${quoted(old)}\nRead the file again and regenerate this chunk.`,
      );
    }
    replacements.push({ start: found, remove: old.length, insert });
    cursor = found + old.length;
  });
  for (const { start, remove, insert } of [...replacements].reverse()) lines.splice(start, remove, ...insert);
  if (lines.length === 0) return "";
  return `${lines.join(eol)}${finalNewline || content === "" ? eol : ""}`;
}
