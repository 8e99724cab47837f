/**
 * How routes declare what they answer, for the OpenAPI document (src/server/openapi-document.ts) and the
 * UI's typed client (ui/src/lib/api-client.ts reads each route's response type).
 *
 * - JSON answers: the route's `response` is a TypeBox schema (or `{ 201: schema }`). Elysia checks every
 *   answer against it and drops properties the schema does not name, so a schema must list every field
 *   the handler returns; an answer that does not match is logged and becomes a 500 (src/server/app.ts).
 * - `described<T>(name, source)`: a shape answered as it was read, unchecked on purpose (MCP configs read
 *   from other tools' files: the form checks them, and they may break the input limits). It is typed
 *   exactly (T) for the server and the UI, and documented by name and source file only; the answer passes
 *   through unchanged (an object with any properties).
 * - Files and streams (downloads, exports, Server-Sent Events) return a Response, which Elysia never checks;
 *   `fileAnswer` documents their content types in the route's `detail`.
 * Errors are declared once for every operation by the document (ApiErrorBody, src/shared/api-error.ts).
 */
import type { TSchema, TUnsafe } from "@sinclair/typebox";
import { type DocumentDecoration, t } from "elysia";

/** An object answer typed as T and documented by name (see the file comment). */
export function described<T>(name: string, source: string): TUnsafe<T> {
  return t.Unsafe<T>(
    t.Object({}, { title: name, description: `${name} (${source})`, additionalProperties: true }),
  );
}

const BINARY = { type: "string", format: "binary" } as const;

/**
 * `detail` fields for an answer that is a file or a stream: each content type with its schema (raw bytes
 * unless given), and the status it comes with.
 */
export function fileAnswer(
  description: string,
  contentTypes: Record<string, TSchema | "binary" | "text">,
  status = 200,
): Pick<DocumentDecoration, "responses"> {
  const content: Record<string, { schema: object }> = {};
  for (const [type, schema] of Object.entries(contentTypes)) {
    content[type] = {
      schema: schema === "binary" ? BINARY : schema === "text" ? { type: "string" } : schema,
    };
  }
  return { responses: { [String(status)]: { description, content } } } as Pick<
    DocumentDecoration,
    "responses"
  >;
}
