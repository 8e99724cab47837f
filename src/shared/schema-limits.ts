/**
 * A TypeBox schema without its limits: the same types and fields, but no length, count, pattern or range
 * bounds. For answers that pass on what another program wrote (an MCP config read from another tool's
 * file may hold a longer argument list than Sage's form accepts): the answer is still checked for its
 * shape and documented field by field, and the form checks the limits before anything is saved.
 * Runs in the browser too (no Bun or Node imports).
 */
import type { TSchema } from "@sinclair/typebox";

/** JSON Schema keywords that bound a value rather than give its type. */
const LIMIT_KEYWORDS = new Set([
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minProperties",
  "maxProperties",
]);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<PropertyKey, unknown> = {};
  // Reflect.ownKeys keeps TypeBox's symbol keys (Kind, Optional ...), which its checker needs.
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "string" && LIMIT_KEYWORDS.has(key)) continue;
    copy[key] = strip((value as Record<PropertyKey, unknown>)[key]);
  }
  return copy;
}

/** A deep copy of `schema` without limit keywords (see the file comment); `schema` is unchanged. */
export function withoutLimits<Schema extends TSchema>(schema: Schema): Schema {
  return strip(schema) as Schema;
}
