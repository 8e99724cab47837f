/** Model providers and their models, as stored (keys are never part of these shapes). */
import { type Static, Type as T } from "@sinclair/typebox";

export const ProviderKind = T.Union([
  T.Literal("openai-compatible"),
  T.Literal("openai"),
  T.Literal("anthropic"),
  T.Literal("google"),
]);
export type ProviderKind = Static<typeof ProviderKind>;

export const ModelInfo = T.Object({
  id: T.String({ minLength: 1 }),
  /** Tokens the model accepts (input + output); used by the context budget. */
  contextWindow: T.Optional(T.Integer({ minimum: 1 })),
  vision: T.Optional(T.Boolean()),
  tools: T.Optional(T.Boolean()),
  reasoning: T.Optional(T.Boolean()),
  /** US dollars per million tokens, when known (for cost). */
  pricing: T.Optional(
    T.Object({ input: T.Number(), output: T.Number(), cachedInput: T.Optional(T.Number()) }),
  ),
});
export type ModelInfo = Static<typeof ModelInfo>;

export const Provider = T.Object({
  id: T.String(),
  name: T.String({ minLength: 1, maxLength: 80 }),
  kind: ProviderKind,
  preset: T.Optional(T.String()),
  baseUrl: T.String(),
  /** True when a key is stored (the key itself never leaves the server). */
  hasKey: T.Boolean(),
  /** Masked for display, e.g. "sk-…7f3a". */
  keyHint: T.Optional(T.String()),
  models: T.Array(ModelInfo),
  defaultModel: T.Optional(T.String()),
  fastModel: T.Optional(T.String()),
  isDefault: T.Boolean(),
});
export type Provider = Static<typeof Provider>;
