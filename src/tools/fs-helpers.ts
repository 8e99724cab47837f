/**
 * Small helpers shared by the file tools: binary and image sniffing, text reading and writing for the
 * write tools, unified diffs for approval prompts and UI cards, and the tree walk used by glob and grep.
 */
import type { Dirent } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { ToolError } from "../agent/tool-contract.ts";
import { formatBytes } from "../shared/byte-size.ts";

/** How many leading bytes decide whether a file is binary. */
export const binaryProbeBytes = 8 * 1024;
/** Largest file the text tools read or edit. */
export const maximumTextFileBytes = 10 * 1024 * 1024;
/** Folders that tree walks list but never descend into unless asked to. */
export const skippedDirectoryNames: ReadonlySet<string> = new Set([".git", "node_modules"]);

export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** True when the first `binaryProbeBytes` contain a NUL byte or are not valid UTF-8. */
export function looksBinary(bytes: Uint8Array): boolean {
  const probe = bytes.subarray(0, binaryProbeBytes);
  if (probe.includes(0)) return true;
  try {
    // `stream: true` tolerates a multi-byte character cut at the end of the probe.
    new TextDecoder("utf-8", { fatal: true }).decode(probe, { stream: true });
    return false;
  } catch {
    return true;
  }
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((value, index) => bytes[at + index] === value);
}

function ascii(text: string): number[] {
  return [...text].map((character) => character.charCodeAt(0));
}

/** The MIME type of a PNG, JPEG, GIF or WebP image recognised by its magic bytes, else null. */
export function imageMimeType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

const binarySignatures: ReadonlyArray<{ signature: number[]; type: string }> = [
  { signature: ascii("%PDF-"), type: "PDF document" },
  {
    signature: [0x50, 0x4b, 0x03, 0x04],
    type: "ZIP archive (or a format built on ZIP: docx, xlsx, jar ...)",
  },
  { signature: [0x1f, 0x8b], type: "gzip-compressed data" },
  { signature: [0x7f, 0x45, 0x4c, 0x46], type: "ELF executable" },
  { signature: ascii("SQLite format 3\0"), type: "SQLite database" },
  { signature: [0x00, 0x61, 0x73, 0x6d], type: "WebAssembly module" },
  { signature: [0xff, 0xfe], type: "UTF-16 (little-endian) text" },
  { signature: [0xfe, 0xff], type: "UTF-16 (big-endian) text" },
];

/** A short human description of a binary file's type, from its magic bytes or its file extension. */
export function describeBinaryType(bytes: Uint8Array, path: string): string {
  const image = imageMimeType(bytes);
  if (image) return image;
  const known = binarySignatures.find((entry) => startsWith(bytes, entry.signature));
  if (known) return known.type;
  const byExtension = Bun.file(path).type.split(";")[0];
  if (byExtension && byExtension !== "application/octet-stream") return byExtension;
  return "unrecognised binary data";
}

/** The lines of a text; a final newline does not start an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function countLines(text: string): number {
  return splitLines(text).length;
}

/** `line` cut to `maximumCharacters`, with a marker saying how much was left out. */
export function clipLine(line: string, maximumCharacters: number): string {
  if (line.length <= maximumCharacters) return line;
  return `${line.slice(0, maximumCharacters)}… [${line.length - maximumCharacters} more characters]`;
}

/**
 * The current text of a file a write tool is about to change, or null when it does not exist.
 * A byte-order mark is kept so that writing the text back preserves it.
 * Throws a `ToolError` for folders, special files, binary files and files over the text limit.
 */
export async function readTextForEdit(absolutePath: string, displayPath: string): Promise<string | null> {
  let size: number;
  try {
    const info = await stat(absolutePath);
    if (info.isDirectory()) throw new ToolError(`${displayPath} is a directory, not a file.`);
    if (!info.isFile()) throw new ToolError(`${displayPath} is not a regular file.`);
    size = info.size;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    if (errorCode(error) === "ENOTDIR") {
      throw new ToolError(`${displayPath} cannot exist: one of its parent folders is a file.`);
    }
    throw error;
  }
  if (size > maximumTextFileBytes) {
    throw new ToolError(
      `${displayPath} is ${formatBytes(size)}, over the ${formatBytes(maximumTextFileBytes)} limit for text files.`,
    );
  }
  const bytes = new Uint8Array(await readFile(absolutePath));
  if (looksBinary(bytes)) {
    throw new ToolError(
      `${displayPath} is a binary file (${describeBinaryType(bytes, absolutePath)}); it cannot be changed as text.`,
    );
  }
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** Write `content` to a file, creating its parent folders. An existing file keeps its mode. */
export async function writeTextFile(absolutePath: string, content: string): Promise<void> {
  await mkdir(dirname(absolutePath), { recursive: true });
  await writeFile(absolutePath, content);
}

export interface FileChange {
  /** Unified diff with `--- a/path` / `+++ b/path` headers (`/dev/null` for a created or deleted file). */
  diff: string;
  added: number;
  removed: number;
}

/**
 * The unified diff from `before` to `after` for one file. `null` content means the file does not
 * exist on that side (created or deleted). Paths are workspace-relative.
 */
export function diffFileChange(
  oldPath: string,
  newPath: string,
  before: string | null,
  after: string | null,
): FileChange {
  const diff = createTwoFilesPatch(
    before === null ? "/dev/null" : `a/${oldPath}`,
    after === null ? "/dev/null" : `b/${newPath}`,
    before ?? "",
    after ?? "",
    undefined,
    undefined,
    { context: 3, headerOptions: FILE_HEADERS_ONLY },
  );
  let added = 0;
  let removed = 0;
  // The first two lines are the file headers; every other "+"/"-" line is a changed line.
  for (const line of diff.split("\n").slice(2)) {
    if (line.startsWith("+")) added += 1;
    else if (line.startsWith("-")) removed += 1;
  }
  return { diff, added, removed };
}

export interface WalkEntry {
  absolutePath: string;
  /** "/"-separated path from the walk's start folder. */
  relativePath: string;
  kind: "file" | "dir" | "symlink";
}

export interface WalkOptions {
  signal: AbortSignal;
  /**
   * The workspace's verdict on hidden paths (`Workspace.isHidden`): such entries are neither yielded
   * nor entered, so a walk never reveals Sage's folders or the credential folders.
   */
  isHidden(absolutePath: string): boolean;
  /** Whether to descend into a folder; by default every folder except `skippedDirectoryNames`. */
  descendInto?(entry: WalkEntry): boolean;
}

function entryKind(entry: Dirent): WalkEntry["kind"] | null {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "dir";
  if (entry.isFile()) return "file";
  return null;
}

/**
 * Every file, folder and symlink below `start` (not `start` itself), folders before their contents,
 * except hidden ones (`options.isHidden`). Symlinks are reported but never followed, so a walk cannot
 * leave the workspace or loop. Folders that cannot be read are skipped. Stops with the abort reason
 * when `signal` is aborted.
 */
export async function* walkTree(start: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const descendInto =
    options.descendInto ??
    ((entry: WalkEntry) => !skippedDirectoryNames.has(entry.relativePath.split("/").pop() ?? ""));
  const pending: Array<{ absolutePath: string; relativePath: string }> = [
    { absolutePath: start, relativePath: "" },
  ];
  while (pending.length > 0) {
    options.signal.throwIfAborted();
    const folder = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(folder.absolutePath, { withFileTypes: true });
    } catch {
      continue;
    }
    const subfolders: typeof pending = [];
    for (const entry of entries) {
      const kind = entryKind(entry);
      if (kind === null) continue;
      const absolutePath = join(folder.absolutePath, entry.name);
      if (options.isHidden(absolutePath)) continue;
      const walkEntry: WalkEntry = {
        absolutePath,
        relativePath: folder.relativePath === "" ? entry.name : `${folder.relativePath}/${entry.name}`,
        kind,
      };
      yield walkEntry;
      if (kind === "dir" && descendInto(walkEntry)) subfolders.push(walkEntry);
    }
    // Reversed so the stack pops folders in the order readdir listed them.
    for (let index = subfolders.length - 1; index >= 0; index -= 1) pending.push(subfolders[index]!);
  }
}
