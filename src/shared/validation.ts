/**
 * Form validation shared by the server and the UI: a schema check that yields `FieldIssue`s — a field
 * path, a code and an optional limit — instead of TypeBox's English sentences. The UI turns codes into
 * translated messages as the user types; the server turns the first issue into a `ValidationError`
 * with `issueMessage`. Runs in the browser (no Bun or Node imports).
 */
import type { TSchema } from "@sinclair/typebox";
import { Value, ValueErrorType } from "@sinclair/typebox/value";

export type IssueCode =
  | "required"
  | "tooLong"
  | "tooShort"
  | "tooSmall"
  | "tooLarge"
  | "notInteger"
  | "invalid"
  | "invalidUrl"
  | "duplicate"
  | "notAbsolute"
  | "notCreatable"
  | "forbiddenLocation"
  | "invalidName"
  | "unknownModel";

export interface FieldIssue {
  /** Dotted path of the field, e.g. "name" or "models.2.id"; "" for the whole form. */
  field: string;
  code: IssueCode;
  /** The bound that was crossed (length, minimum, maximum), when there is one. */
  limit?: number;
  /** Why, for people, when the code alone cannot say it (e.g. which folder a rule refuses). */
  detail?: string;
}

/** Every issue of `value` against `schema`, at most one per field (the first one found). */
export function schemaIssues(schema: TSchema, value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const field = error.path.replace(/^\//, "").replaceAll("/", ".");
    if (seen.has(field)) continue;
    seen.add(field);
    issues.push(toIssue(field, error.type, error.schema, error.value));
  }
  return issues;
}

function toIssue(field: string, type: ValueErrorType, schema: TSchema, value: unknown): FieldIssue {
  const bound = (key: string): number | undefined => {
    const limit = (schema as Record<string, unknown>)[key];
    return typeof limit === "number" ? limit : undefined;
  };
  switch (type) {
    case ValueErrorType.StringMinLength:
      return bound("minLength") === 1
        ? { field, code: "required" }
        : { field, code: "tooShort", limit: bound("minLength") };
    case ValueErrorType.StringMaxLength:
      return { field, code: "tooLong", limit: bound("maxLength") };
    case ValueErrorType.ArrayMaxItems:
      return { field, code: "tooLong", limit: bound("maxItems") };
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return { field, code: "tooSmall", limit: bound("minimum") };
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return { field, code: "tooLarge", limit: bound("maximum") };
    case ValueErrorType.Integer:
      return typeof value === "number" ? { field, code: "notInteger" } : { field, code: "invalid" };
    case ValueErrorType.ObjectRequiredProperty:
      return { field, code: "required" };
    default:
      return value === undefined || value === "" ? { field, code: "required" } : { field, code: "invalid" };
  }
}

/** An http(s) URL with a host, as a provider's base URL must be. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** An absolute path: "/..." on POSIX, "C:\..." or "\\server\..." on Windows. */
export function isAbsolutePath(text: string): boolean {
  return /^\//.test(text) || /^[A-Za-z]:[\\/]/.test(text) || /^\\\\/.test(text);
}

/** Environment variable names tools can rely on: a letter or underscore, then letters, digits, `_`. */
export function isEnvironmentName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

const LABELS: Record<string, string> = {
  name: "Name",
  baseUrl: "Base URL",
  apiKey: "API key",
  kind: "Kind",
  defaultModel: "Default model",
  fastModel: "Fast model",
  systemPrompt: "System prompt",
  description: "Description",
  emoji: "Emoji or avatar",
  workspace: "Workspace folder",
  stepLimit: "Step limit",
  temperature: "Temperature",
  maxOutputTokens: "Maximum output tokens",
};

/** An English sentence for an issue (server responses; the UI translates codes itself). */
export function issueMessage(issue: FieldIssue): string {
  const last = issue.field.split(".").at(-1) ?? "";
  const label = LABELS[last] ?? (issue.field ? issue.field : "The input");
  switch (issue.code) {
    case "required":
      return `${label} is required.`;
    case "tooLong":
      return `${label} is too long (at most ${issue.limit}).`;
    case "tooShort":
      return `${label} is too short (at least ${issue.limit}).`;
    case "tooSmall":
      return `${label} must be at least ${issue.limit}.`;
    case "tooLarge":
      return `${label} must be at most ${issue.limit}.`;
    case "notInteger":
      return `${label} must be a whole number.`;
    case "invalidUrl":
      return `${label} must be an http:// or https:// URL.`;
    case "duplicate":
      return `${label} is already used; choose another.`;
    case "notAbsolute":
      return `${label} must be an absolute path.`;
    case "notCreatable":
      return `${label} cannot be created or written here.`;
    case "forbiddenLocation":
      return `${label} cannot be used: ${issue.detail ?? "this folder is not allowed"}.`;
    case "invalidName":
      return `${label} may contain only letters, digits and _, and must not start with a digit.`;
    case "unknownModel":
      return `${label} is not one of this provider's models.`;
    case "invalid":
      return `${label} is not valid.`;
  }
}
