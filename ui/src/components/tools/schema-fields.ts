/**
 * The "try it" form's model, derived from a tool's JSON Schema: which fields to show and how typed
 * values become the tool's arguments (and back, when the user switches from the JSON editor to the
 * form). Pure functions, no DOM.
 *
 * Supported property shapes: string (one line, or several for content-like names), integer/number,
 * boolean, an enum (`enum`, or `anyOf` of string `const`s, as TypeBox writes unions of literals), and
 * arrays of strings (one per line). Any other property makes the plan `unsupported`: the page then
 * offers only the raw JSON editor.
 */
import type { JsonSchema } from "../../../../src/shared/tools-api.ts";

interface FieldBase {
  name: string;
  description?: string;
  required: boolean;
}

export type FieldSpec =
  | (FieldBase & { kind: "string"; multiline: boolean })
  | (FieldBase & { kind: "number"; integer: boolean; minimum?: number; maximum?: number })
  | (FieldBase & { kind: "boolean" })
  | (FieldBase & { kind: "enum"; options: string[] })
  | (FieldBase & { kind: "string-list" });

export interface FormPlan {
  fields: FieldSpec[];
  /** Properties the form cannot edit (nested objects, arrays of objects ...); empty when all can be. */
  unsupported: string[];
}

/** What the inputs hold: text for text-like fields, a flag for checkboxes. */
export type FormValues = Record<string, string | boolean>;

/** Property names whose strings are usually long or span lines. */
const MULTILINE_NAMES = new Set([
  "content",
  "patch",
  "script",
  "old_string",
  "new_string",
  "command",
  "text",
]);

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== "null") : schema.type;
}

function enumOptions(schema: JsonSchema): string[] | undefined {
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === "string")) {
    return schema.enum as string[];
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length && variants.every((variant) => typeof variant.const === "string")) {
    return variants.map((variant) => variant.const as string);
  }
  return undefined;
}

export function planForm(schema: JsonSchema): FormPlan {
  if (typeOf(schema) !== "object") return { fields: [], unsupported: ["(arguments)"] };
  const required = new Set(schema.required ?? []);
  const fields: FieldSpec[] = [];
  const unsupported: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const base = { name, description: property.description, required: required.has(name) };
    const options = enumOptions(property);
    const type = typeOf(property);
    if (options) fields.push({ ...base, kind: "enum", options });
    else if (type === "string") {
      const multiline = MULTILINE_NAMES.has(name) && property.maxLength === undefined;
      fields.push({ ...base, kind: "string", multiline });
    } else if (type === "integer" || type === "number") {
      fields.push({
        ...base,
        kind: "number",
        integer: type === "integer",
        minimum: property.minimum,
        maximum: property.maximum,
      });
    } else if (type === "boolean") fields.push({ ...base, kind: "boolean" });
    else if (type === "array" && property.items && typeOf(property.items) === "string") {
      fields.push({ ...base, kind: "string-list" });
    } else unsupported.push(name);
  }
  return { fields, unsupported };
}

/** Empty inputs for a plan (defaults from the schema are not pre-filled: the tool applies them). */
export function emptyValues(plan: FormPlan): FormValues {
  return Object.fromEntries(plan.fields.map((field) => [field.name, field.kind === "boolean" ? false : ""]));
}

/**
 * The arguments the inputs describe. Empty optional inputs are left out; a required one is sent as it
 * is, so the server's schema check names it. `problems` lists inputs that cannot be converted.
 */
export function valuesToArguments(
  plan: FormPlan,
  values: FormValues,
): { arguments: Record<string, unknown>; problems: { field: string; message: string }[] } {
  const result: Record<string, unknown> = {};
  const problems: { field: string; message: string }[] = [];
  for (const field of plan.fields) {
    const value = values[field.name];
    if (field.kind === "boolean") {
      if (value === true) result[field.name] = true;
      else if (field.required) result[field.name] = false;
      continue;
    }
    const text = typeof value === "string" ? value : "";
    if (field.kind === "string-list") {
      const items = text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
      if (items.length > 0 || field.required) result[field.name] = items;
      continue;
    }
    if (text === "" && !(field.required && field.kind === "string")) continue;
    if (field.kind === "number") {
      const number = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(number) || (field.integer && !Number.isInteger(number))) {
        problems.push({ field: field.name, message: field.integer ? "whole number" : "number" });
        continue;
      }
      result[field.name] = number;
      continue;
    }
    result[field.name] = text;
  }
  return { arguments: result, problems };
}

/**
 * Inputs for given arguments (switching from the JSON editor back to the form). Returns undefined when
 * the arguments hold something the form cannot show (unknown keys, wrong types), so nothing is lost.
 */
export function argumentsToValues(plan: FormPlan, args: unknown): FormValues | undefined {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return undefined;
  const values = emptyValues(plan);
  const known = new Map(plan.fields.map((field) => [field.name, field]));
  for (const [name, value] of Object.entries(args)) {
    const field = known.get(name);
    if (!field) return undefined;
    if (field.kind === "boolean") {
      if (typeof value !== "boolean") return undefined;
      values[name] = value;
    } else if (field.kind === "string-list") {
      if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return undefined;
      values[name] = value.join("\n");
    } else if (field.kind === "number") {
      if (typeof value !== "number") return undefined;
      values[name] = String(value);
    } else {
      if (typeof value !== "string") return undefined;
      values[name] = value;
    }
  }
  return values;
}
