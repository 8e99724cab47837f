/**
 * Language models through the Vercel AI SDK: one factory per provider kind, no hand-written stream
 * parsing. Any OpenAI-compatible base URL works (DeepSeek, OpenRouter, Moonshot, Zhipu, DashScope,
 * Ollama, LM Studio, llama.cpp server, vLLM).
 */
import type { LanguageModel } from "ai";
import type { ProviderKind } from "../shared/provider.ts";

/** A provider with its key, as the runtime needs it (built per request; never stored or logged). */
export interface ProviderAccess {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string | undefined;
}

/**
 * Load the SDK package of a provider kind without creating a model (no key needed): the first chat a
 * user opens warms what its first turn will need (src/sessions/manager.ts `warmTurnPath`).
 */
export async function preloadProviderPackage(kind: ProviderAccess["kind"]): Promise<void> {
  switch (kind) {
    case "openai-compatible":
      await import("@ai-sdk/openai-compatible");
      return;
    case "openai":
      await import("@ai-sdk/openai");
      return;
    case "anthropic":
      await import("@ai-sdk/anthropic");
      return;
    case "google":
      await import("@ai-sdk/google");
      return;
  }
}

/** The provider packages are loaded when a model is first needed (see ai-sdk.ts for why). */
export async function createLanguageModel(provider: ProviderAccess, modelId: string): Promise<LanguageModel> {
  const baseURL = provider.baseUrl.replace(/\/+$/, "");
  switch (provider.kind) {
    case "openai-compatible": {
      const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
      return createOpenAICompatible({
        name: providerOptionsKey(provider),
        baseURL,
        apiKey: provider.apiKey,
        includeUsage: true,
      })(modelId);
    }
    case "openai": {
      const { createOpenAI } = await import("@ai-sdk/openai");
      return createOpenAI({ baseURL, apiKey: provider.apiKey }).chat(modelId);
    }
    case "anthropic": {
      const { createAnthropic } = await import("@ai-sdk/anthropic");
      return createAnthropic({ baseURL, apiKey: provider.apiKey })(modelId);
    }
    case "google": {
      const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
      return createGoogleGenerativeAI({ baseURL, apiKey: provider.apiKey })(modelId);
    }
  }
}

/** The key under which provider-specific options are passed (openai-compatible uses its name). */
export function providerOptionsKey(provider: Pick<ProviderAccess, "kind" | "id">): string {
  return provider.kind === "openai-compatible" ? "sage" : provider.kind;
}

export type ReasoningEffort = "low" | "medium" | "high";

/** Provider options for a reasoning effort, for the providers that accept one. */
export function reasoningOptions(
  provider: Pick<ProviderAccess, "kind" | "id">,
  effort: ReasoningEffort | undefined,
): Record<string, Record<string, unknown>> | undefined {
  if (!effort) return undefined;
  const budget = { low: 2048, medium: 8192, high: 24576 }[effort];
  switch (provider.kind) {
    case "openai-compatible":
    case "openai":
      return { [providerOptionsKey(provider)]: { reasoningEffort: effort } };
    case "anthropic":
      return { anthropic: { thinking: { type: "enabled", budgetTokens: budget } } };
    case "google":
      return { google: { thinkingConfig: { thinkingBudget: budget, includeThoughts: true } } };
  }
}
