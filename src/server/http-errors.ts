/**
 * The one place errors become HTTP responses: `{ error: { code, message, field? } }` (ApiErrorBody,
 * src/shared/api-error.ts; the OpenAPI document declares it once for every operation) with a status that
 * matches. Three kinds are mapped, in this order:
 * 1. Named errors (by `error.name`, never `instanceof`), with the status and code of the one table in
 *    src/server/error-codes.ts (the WebSocket hub sends the same codes). Their message is written for the
 *    user and sent.
 * 2. File-system and SQLite failures (by `error.code`): a full disk is 507 "disk_full" wherever it
 *    happens (a session created, an import, an attachment), permissions are 403, an over-long name 400.
 *    Their own messages name internal paths, so a fixed sentence is sent instead.
 * 3. Anything else is logged and answered with a generic 500 (no internals leak).
 * Elysia wraps errors thrown while reading a body in its ParseError; `errorResponse` looks through it.
 */
import type { Logger } from "../core/logger.ts";
import type { ApiErrorBody } from "../shared/api-error.ts";
import { errorMapping, INTERNAL_CODE } from "./error-codes.ts";

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
  const named = errorMapping(name);
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
    const response = errorJson(
      mapped.status,
      mapped.code,
      mapped.message,
      typeof field === "string" ? field : undefined,
    );
    const size = (inner as { size?: unknown }).size;
    if (mapped.status === 416 && typeof size === "number") {
      response.headers.set("content-range", `bytes */${size}`);
    }
    return response;
  }
  logger.error("request failed", error);
  return internalError();
}

/** The generic 500: nothing about the failure leaves the server (the log has it). */
export function internalError(): Response {
  return errorJson(500, INTERNAL_CODE, "Something went wrong inside Sage. The log has details.");
}

/**
 * The answer for a failure the server finds itself (a route that does not exist, a body the framework
 * refused) rather than one thrown as a named error: the status and code the table gives errors named
 * `name`, so both kinds of failure answer alike. An unmapped name is a 500 "internal".
 */
export function errorJsonAs(name: string, message: string): Response {
  const [status, code] = errorMapping(name) ?? [500, INTERNAL_CODE];
  return errorJson(status, code, message);
}

/** An error answer in the API's one error shape. */
export function errorJson(status: number, code: string, message: string, field?: string): Response {
  const body: ApiErrorBody = { error: { code, message, ...(field === undefined ? {} : { field }) } };
  return json(status, body);
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
