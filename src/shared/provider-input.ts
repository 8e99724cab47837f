/**
 * What the UI sends about providers (drafts, updates, connection tests) and what it gets back besides
 * `Provider` itself. A draft may carry an API key; nothing the server returns ever does.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { ModelInfo, ProviderKind } from "./provider.ts";
import { type FieldIssue, isHttpUrl, schemaIssues } from "./validation.ts";

export const KeyStorage = T.Union([T.Literal("keychain"), T.Literal("encrypted-file")]);
export type KeyStorage = Static<typeof KeyStorage>;

const ModelId = T.String({ minLength: 1, maxLength: 200 });

export const ProviderDraft = T.Object({
  name: T.String({ minLength: 1, maxLength: 80 }),
  kind: ProviderKind,
  preset: T.Optional(T.String({ maxLength: 40 })),
  baseUrl: T.String({ minLength: 1, maxLength: 2000 }),
  apiKey: T.Optional(T.String({ maxLength: 8000 })),
  models: T.Optional(T.Array(ModelInfo, { maxItems: 5000 })),
  defaultModel: T.Optional(ModelId),
  fastModel: T.Optional(ModelId),
  isDefault: T.Optional(T.Boolean()),
});
export type ProviderDraft = Static<typeof ProviderDraft>;

/** A partial edit. `apiKey` replaces the stored key; `clearKey` removes it; neither keeps it. */
export const ProviderUpdate = T.Object({
  name: T.Optional(T.String({ minLength: 1, maxLength: 80 })),
  kind: T.Optional(ProviderKind),
  preset: T.Optional(T.String({ maxLength: 40 })),
  baseUrl: T.Optional(T.String({ minLength: 1, maxLength: 2000 })),
  apiKey: T.Optional(T.String({ minLength: 1, maxLength: 8000 })),
  clearKey: T.Optional(T.Boolean()),
  models: T.Optional(T.Array(ModelInfo, { maxItems: 5000 })),
  /** "" clears the choice. */
  defaultModel: T.Optional(T.String({ maxLength: 200 })),
  fastModel: T.Optional(T.String({ maxLength: 200 })),
});
export type ProviderUpdate = Static<typeof ProviderUpdate>;

/** Test a configuration before (or without) saving it. With `providerId` and no `apiKey`, the stored key is used. */
export const ConnectionTestRequest = T.Object({
  kind: ProviderKind,
  baseUrl: T.String({ minLength: 1, maxLength: 2000 }),
  apiKey: T.Optional(T.String({ maxLength: 8000 })),
  providerId: T.Optional(T.String({ maxLength: 200 })),
  /** The model for the tiny real request; default: the first listed model. */
  model: T.Optional(T.String({ maxLength: 200 })),
});
export type ConnectionTestRequest = Static<typeof ConnectionTestRequest>;

export const ConnectionFailureCode = T.Union([
  T.Literal("auth"),
  T.Literal("forbidden"),
  T.Literal("model_not_found"),
  T.Literal("no_models"),
  T.Literal("network"),
  T.Literal("rate_limited"),
  T.Literal("server_error"),
  T.Literal("bad_request"),
  T.Literal("invalid"),
  T.Literal("unknown"),
]);
export type ConnectionFailureCode = Static<typeof ConnectionFailureCode>;

export const ConnectionTestResult = T.Object({
  ok: T.Boolean(),
  /** Which step failed (or "done"): listing the models, then one tiny real request. */
  step: T.Union([T.Literal("models"), T.Literal("request"), T.Literal("done")]),
  code: T.Optional(ConnectionFailureCode),
  /** A sentence for the user (English; the UI shows a translated headline for `code` above it). */
  message: T.String(),
  models: T.Array(ModelInfo),
  /** The model the tiny request used. */
  model: T.Optional(T.String()),
  /** What the model answered (a few tokens). */
  reply: T.Optional(T.String()),
  latencyMs: T.Optional(T.Number()),
});
export type ConnectionTestResult = Static<typeof ConnectionTestResult>;

export const ProviderPreset = T.Object({
  id: T.String(),
  name: T.String(),
  kind: ProviderKind,
  baseUrl: T.String(),
  needsKey: T.Boolean(),
  /** True for servers on this machine (Ollama, LM Studio): detected, no key. */
  local: T.Boolean(),
  /** The service's own model list or docs; absent for the generic OpenAI-compatible choice. */
  docsUrl: T.Optional(T.String()),
  /** Where to get a key, when one is needed. */
  keyUrl: T.Optional(T.String()),
  suggestedModels: T.Array(T.String()),
  suggestedFastModel: T.Optional(T.String()),
});
export type ProviderPreset = Static<typeof ProviderPreset>;

export const LocalServer = T.Object({
  preset: T.String(),
  name: T.String(),
  baseUrl: T.String(),
  models: T.Array(ModelInfo),
});
export type LocalServer = Static<typeof LocalServer>;

/** Issues of a draft: schema, URL shape, unique name, default/fast model among the listed models. */
export function providerDraftIssues(
  draft: ProviderDraft,
  options: { takenNames?: readonly string[] } = {},
): FieldIssue[] {
  const issues = schemaIssues(ProviderDraft, draft);
  if (!isObject(draft)) return issues;
  const has = (field: string) => issues.some((issue) => issue.field === field);
  if (!has("name") && typeof draft.name === "string" && !draft.name.trim()) {
    issues.push({ field: "name", code: "required" });
  }
  if (!has("name") && typeof draft.name === "string" && isTaken(draft.name, options.takenNames)) {
    issues.push({ field: "name", code: "duplicate" });
  }
  if (!has("baseUrl") && typeof draft.baseUrl === "string" && !isHttpUrl(draft.baseUrl)) {
    issues.push({ field: "baseUrl", code: "invalidUrl" });
  }
  issues.push(...modelChoiceIssues(draft));
  return issues;
}

/** Issues of an update, given the names of the other providers. */
export function providerUpdateIssues(
  update: ProviderUpdate,
  options: { takenNames?: readonly string[] } = {},
): FieldIssue[] {
  const issues = schemaIssues(ProviderUpdate, update);
  if (!isObject(update)) return issues;
  const has = (field: string) => issues.some((issue) => issue.field === field);
  if (update.name !== undefined && !has("name")) {
    if (!update.name.trim()) issues.push({ field: "name", code: "required" });
    else if (isTaken(update.name, options.takenNames)) issues.push({ field: "name", code: "duplicate" });
  }
  if (update.baseUrl !== undefined && !has("baseUrl") && !isHttpUrl(update.baseUrl)) {
    issues.push({ field: "baseUrl", code: "invalidUrl" });
  }
  return issues;
}

function modelChoiceIssues(
  draft: Pick<ProviderDraft, "models" | "defaultModel" | "fastModel">,
): FieldIssue[] {
  const ids = new Set((draft.models ?? []).map((model) => model.id));
  if (ids.size === 0) return [];
  const issues: FieldIssue[] = [];
  if (draft.defaultModel && !ids.has(draft.defaultModel))
    issues.push({ field: "defaultModel", code: "unknownModel" });
  if (draft.fastModel && !ids.has(draft.fastModel)) issues.push({ field: "fastModel", code: "unknownModel" });
  return issues;
}

function isTaken(name: string, taken: readonly string[] | undefined): boolean {
  const wanted = name.trim().toLowerCase();
  return (taken ?? []).some((other) => other.trim().toLowerCase() === wanted);
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
