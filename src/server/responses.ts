/**
 * How routes declare what they answer, for the OpenAPI document (src/server/openapi-document.ts) and the
 * UI's typed client (ui/src/lib/api-client.ts reads each route's response type).
 *
 * - JSON answers: the route's `response` is a TypeBox schema (or `{ 201: schema }`). Elysia checks every
 *   answer against it and drops properties the schema does not name, so a schema must list every field
 *   the handler returns; an answer that does not match is logged and becomes a 500 (src/server/app.ts).
 * - What another program wrote (an MCP config read from another tool's file) is declared with the input
 *   schema `withoutLimits` (src/shared/schema-limits.ts): checked and documented field by field, while
 *   the limits are left to the form that saves it.
 * - Files and streams (downloads, exports, Server-Sent Events) return a Response, which Elysia never checks;
 *   `fileAnswer` documents their content types in the route's `detail`.
 * Errors are declared once for every operation by the document (ApiErrorBody, src/shared/api-error.ts).
 */
import type { TSchema } from "@sinclair/typebox";
import type { DocumentDecoration } from "elysia";

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
