/**
 * The one place errors become HTTP responses: `{ error: { code, message, field? } }` with a status that
 * matches. Three kinds are mapped, in this order:
 * 1. Named errors (by `error.name`, never `instanceof`): the app's shared ones (src/core/errors.ts: also
 *    what the body reader and the archive reader throw), the workspace's and the request-path
 *    resolver's (src/workspace/errors.ts). Their message is written for the user and sent.
 * 2. File-system and SQLite failures (by `error.code`): a full disk is 507 "disk_full" wherever it
 *    happens (a session created, an import, an attachment), permissions are 403, an over-long name 400.
 *    Their own messages name internal paths, so a fixed sentence is sent instead.
 * 3. Anything else is logged and answered with a generic 500 (no internals leak).
 * Elysia wraps errors thrown while reading a body in its ParseError; `errorResponse` looks through it.
 */
import type { Logger } from "../core/logger.ts";

type Mapping = readonly [status: number, code: string];

const NAMED: Record<string, Mapping> = {
  ValidationError: [400, "invalid"],
  NotFoundError: [404, "not_found"],
  ConflictError: [409, "conflict"],
  DatabaseTooNewError: [409, "database_too_new"],
  ContentTooLargeError: [413, "too_large"],
  UnsupportedMediaTypeError: [415, "unsupported_media_type"],
  // Workspace browser and attachments (src/workspace/errors.ts) and the sandbox's confinement.
  WorkspaceEscapeError: [403, "outside_workspace"],
  WorkspaceNotFoundError: [404, "not_found"],
  NotAFolderError: [400, "invalid"],
  NotAFileError: [400, "invalid"],
  AttachmentRequestError: [400, "invalid"],
  AttachmentTooLargeError: [413, "too_large"],
  RangeNotSatisfiableError: [416, "range_not_satisfiable"],
  // "Continue in a new chat": the summary request failed (src/sessions/continue-chat.ts).
  SummaryFailedError: [502, "summary_failed"],
  // An MCP server that cannot start or answered with an error (src/mcp/types.ts; the SDK's McpError).
  McpServerError: [502, "mcp_server"],
  McpError: [502, "mcp_server"],
  // Paths in requests (src/workspace/request-path.ts).
  UnsafePathError: [400, "invalid_path"],
  PathOutsideRootError: [403, "outside_root"],
  // Storage (src/core/errors.ts, src/store/backup-service.ts).
  DiskFullError: [507, "disk_full"],
  BackupFailedError: [500, "backup_failed"],
};

/** Failures reported by the file system or SQLite, by their `code`. */
const BY_CODE: Record<string, readonly [number, string, string]> = {
  ENOSPC: [507, "disk_full", "The disk is full. Free some space and try again."],
  EDQUOT: [507, "disk_full", "The disk quota is used up. Free some space and try again."],
  SQLITE_FULL: [507, "disk_full", "The disk is full. Free some space and try again."],
  EROFS: [507, "read_only", "The file system is read-only."],
  EACCES: [403, "permission_denied", "Permission denied by the file system."],
  EPERM: [403, "permission_denied", "The file system does not allow this."],
  ENAMETOOLONG: [400, "invalid_path", "A file name or path is too long."],
  ELOOP: [400, "invalid_path", "The path goes through a loop of symbolic links."],
};

/** The HTTP status and code an error maps to, or undefined for an unexpected error (a 500). */
export function mappedError(error: unknown): { status: number; code: string; message: string } | undefined {
  const inner = unwrapParseError(error);
  const name = inner instanceof Error ? inner.name : "";
  const named = NAMED[name];
  if (named) return { status: named[0], code: named[1], message: (inner as Error).message };
  const code = (inner as { code?: unknown } | null)?.code;
  const system = typeof code === "string" ? BY_CODE[code] : undefined;
  if (system) return { status: system[0], code: system[1], message: system[2] };
  return undefined;
}

export function errorResponse(error: unknown, logger: Logger): Response {
  const mapped = mappedError(error);
  if (mapped) {
    const inner = unwrapParseError(error);
    const field = (inner as { field?: unknown }).field;
    const response = json(mapped.status, {
      error: { code: mapped.code, message: mapped.message, ...(typeof field === "string" ? { field } : {}) },
    });
    const size = (inner as { size?: unknown }).size;
    if (mapped.status === 416 && typeof size === "number") {
      response.headers.set("content-range", `bytes */${size}`);
    }
    return response;
  }
  logger.error("request failed", error);
  return json(500, {
    error: { code: "internal", message: "Something went wrong inside Sage. The log has details." },
  });
}

/** Elysia's ParseError (code "PARSE") carries what the body reader threw as its `cause`. */
function unwrapParseError(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: unknown }).code === "PARSE" && error.cause) {
    return error.cause;
  }
  return error;
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}
