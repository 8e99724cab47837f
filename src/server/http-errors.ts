/**
 * The one place named errors become HTTP responses: `{ error: { code, message, field? } }` with a
 * status that matches. Unknown errors are logged and answered with a generic 500 (no internals leak).
 */
import type { Logger } from "../core/logger.ts";

const STATUS: Record<string, [number, string]> = {
  ValidationError: [400, "invalid"],
  NotFoundError: [404, "not_found"],
  ConflictError: [409, "conflict"],
  DatabaseTooNewError: [409, "database_too_new"],
};

export function errorResponse(error: unknown, logger: Logger): Response {
  const name = error instanceof Error ? error.name : "";
  const mapped = STATUS[name];
  if (mapped) {
    const field = (error as { field?: string }).field;
    return json(mapped[0], { error: { code: mapped[1], message: (error as Error).message, field } });
  }
  logger.error("request failed", error);
  return json(500, {
    error: { code: "internal", message: "Something went wrong inside Sage. The log has details." },
  });
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}
