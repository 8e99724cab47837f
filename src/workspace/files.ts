/**
 * Reading workspace files for the panel: their description (`fileInfo`), their bytes as an HTTP
 * response (`fileResponse`) and deleting them (`removeEntry`).
 *
 * Contract of `fileResponse`:
 * - Only regular files inside the workspace (after symlinks) are served; folders, FIFOs and devices are
 *   refused with `NotAFileError` (a FIFO would block the server).
 * - The content type comes from content-type.ts. Inline responses carry `Content-Security-Policy:
 *   sandbox` (except PDF, whose viewer refuses sandboxed documents) and `nosniff`: an HTML or SVG file
 *   written by the agent is shown as an inert document in an opaque origin, never as a page of Sage's
 *   own origin that could use the API.
 * - `Content-Disposition` is `attachment` with `download`, else `inline`, with the file's name (RFC 5987
 *   for non-ASCII).
 * - One `Range: bytes=a-b` (or `a-`, or `-n`) is honoured with 206 and Content-Range; a range past the
 *   end gives `RangeNotSatisfiableError`; several ranges or a malformed header send the whole file.
 */
import type { Stats } from "node:fs";
import { lstat, rm, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Workspace } from "../agent/tool-contract.ts";
import { ValidationError } from "../core/errors.ts";
import { isInsideRoot } from "../sandbox/workspace.ts";
import type { WorkspaceFileInfo } from "../shared/workspace.ts";
import { contentTypeOfFile } from "./content-type.ts";
import { RangeNotSatisfiableError, WorkspaceNotFoundError } from "./errors.ts";
import { isMissing } from "./listing.ts";
import { assertPathText, resolveRequestPath, workspaceRoot } from "./request-path.ts";

/** Resolve and stat a path that must be a regular file (see request-path.ts). */
export async function regularFile(
  workspace: Workspace,
  requestedPath: string,
): Promise<{ absolute: string; stats: Stats }> {
  const resolved = await resolveRequestPath(workspaceRoot(workspace), requestedPath, {
    form: "either",
    expect: "file",
  });
  return { absolute: resolved.absolute, stats: resolved.stats as Stats };
}

export async function fileInfo(workspace: Workspace, requestedPath: string): Promise<WorkspaceFileInfo> {
  const { absolute, stats } = await regularFile(workspace, requestedPath);
  const type = await contentTypeOfFile(absolute);
  return {
    name: basename(absolute),
    path: workspace.relative(absolute),
    size: stats.size,
    mtime: stats.mtimeMs,
    mime: type.mime,
    preview: type.preview,
    ...(type.language ? { language: type.language } : {}),
  };
}

export interface FileResponseOptions {
  download: boolean;
  /** The request's Range header, if any. */
  range: string | null;
}

export async function fileResponse(
  workspace: Workspace,
  requestedPath: string,
  options: FileResponseOptions,
): Promise<Response> {
  const { absolute, stats } = await regularFile(workspace, requestedPath);
  const type = await contentTypeOfFile(absolute);
  const headers = new Headers({
    "content-type": type.mime,
    "accept-ranges": "bytes",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "last-modified": new Date(stats.mtimeMs).toUTCString(),
  });
  // Always explicit: Bun would otherwise add its own disposition to some file bodies.
  headers.set(
    "content-disposition",
    contentDisposition(options.download ? "attachment" : "inline", basename(absolute)),
  );
  if (!options.download && type.preview !== "pdf") {
    headers.set(
      "content-security-policy",
      "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
    );
  }
  const file = Bun.file(absolute);
  const range = parseRange(options.range, stats.size);
  if (!range) {
    headers.set("content-length", String(stats.size));
    return new Response(stats.size === 0 ? "" : file, { status: 200, headers });
  }
  headers.set("content-range", `bytes ${range.start}-${range.end}/${stats.size}`);
  headers.set("content-length", String(range.end - range.start + 1));
  return new Response(file.slice(range.start, range.end + 1), { status: 206, headers });
}

/**
 * The one byte range asked for, clamped to the file; null for "send everything" (no header, several
 * ranges, malformed). Throws `RangeNotSatisfiableError` when the range starts past the end.
 */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return null;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) throw new RangeNotSatisfiableError(size);
    return size === 0 ? raise(size) : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (to !== "" && Number(to) < start) return null;
  if (start >= size) throw new RangeNotSatisfiableError(size);
  return { start, end };
}

function raise(size: number): never {
  throw new RangeNotSatisfiableError(size);
}

/** The disposition with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/**
 * Delete a file, or a folder with everything in it. The workspace root itself is refused. A symlink is
 * removed itself (its target, wherever it is, is left alone), so this never deletes anything outside.
 */
export async function removeEntry(workspace: Workspace, requestedPath: string): Promise<string> {
  // The text is checked like every request path; the entry itself is then taken unresolved.
  assertPathText(requestedPath, "either");
  const name = basename(requestedPath);
  // The entry as named, not its symlink target: its confined parent folder plus its own name.
  const named =
    name === "." || name === ".." || name === ""
      ? workspace.resolve(requestedPath)
      : join(workspace.resolve(dirname(requestedPath)), name);
  const relative = workspace.relative(named);
  if (relative === "." || !isInsideRoot(workspace.root, named)) {
    throw new ValidationError("The workspace folder itself cannot be deleted.", "path");
  }
  let own: Stats;
  try {
    own = await lstat(named);
  } catch (error) {
    if (isMissing(error)) throw new WorkspaceNotFoundError(relative);
    throw error;
  }
  if (own.isSymbolicLink()) await unlink(named);
  else await rm(named, { recursive: true, force: false });
  return relative;
}
