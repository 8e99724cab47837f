/**
 * "Test connection": list the provider's models, then make one tiny real request (a few output tokens)
 * with the AI SDK against the chosen model. Every failure becomes a result with a code and a sentence
 * the user understands (bad key, unreachable, model not found ...), never an exception.
 *
 * Contract: the API key never appears in the result — messages are built from status codes and the
 * provider's error text, and any occurrence of the key is masked before returning.
 */
import { loadAiSdk } from "../agent/ai-sdk.ts";
import { classifyProviderError } from "../agent/provider-errors.ts";
import { createLanguageModel, type ProviderAccess } from "../agent/providers.ts";
import type { ModelInfo, ProviderKind } from "../shared/provider.ts";
import type { ConnectionFailureCode, ConnectionTestResult } from "../shared/provider-input.ts";
import { isHttpUrl } from "../shared/validation.ts";
import { listModels } from "./model-catalog.ts";

export interface ConnectionTestInput {
  name?: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string | undefined;
  model?: string;
}

export interface ConnectionTestOptions {
  /** Limit for each of the two steps. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const PROMPT = "Reply with the single word OK.";

export async function testConnection(
  input: ConnectionTestInput,
  options: ConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  const name = input.name?.trim() || "The provider";
  const apiKey = input.apiKey?.trim() || undefined;
  const scrub = (text: string) => (apiKey && apiKey.length >= 4 ? text.split(apiKey).join("[key]") : text);
  if (!isHttpUrl(input.baseUrl)) {
    return failure("models", "invalid", "The base URL must be an http:// or https:// URL.", []);
  }
  const access: ProviderAccess = {
    id: "test",
    name,
    kind: input.kind,
    baseUrl: input.baseUrl.trim(),
    apiKey,
  };
  const timeoutMs = options.timeoutMs ?? 20_000;

  let models: ModelInfo[] = [];
  let listFailure: { code: ConnectionFailureCode; message: string } | undefined;
  try {
    models = await listModels(access, { signal: options.signal, timeoutMs });
  } catch (error) {
    const failure = classifyProviderError(error, name);
    listFailure = { code: failureCode(failure.code), message: scrub(failure.message) };
  }
  // A wrong key or an unreachable server fails here; a service without a model list (404) may still
  // answer requests, so that case goes on when the user named a model.
  if (listFailure && !(listFailure.code === "model_not_found" && input.model)) {
    return failure("models", listFailure.code, modelsStepMessage(listFailure, name), []);
  }

  const model = input.model?.trim() || models[0]?.id;
  if (!model) {
    return failure(
      "models",
      "no_models",
      `${name} answered but lists no models. Type the model name to use and test again.`,
      models,
    );
  }
  if (models.length > 0 && !models.some((listed) => listed.id === model)) {
    return failure(
      "request",
      "model_not_found",
      `${name} does not offer the model "${model}" (it lists ${models.length} model${models.length === 1 ? "" : "s"}). Pick one from the list.`,
      models,
      model,
    );
  }

  const started = performance.now();
  try {
    const { generateText } = await loadAiSdk();
    const answer = await generateText({
      model: await createLanguageModel(access, model),
      prompt: PROMPT,
      maxOutputTokens: 8,
      maxRetries: 0,
      abortSignal: options.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
    const latencyMs = Math.round(performance.now() - started);
    return {
      ok: true,
      step: "done",
      message: `Connected: ${name} answered with ${model} in ${latencyMs} ms.`,
      models,
      model,
      reply: scrub(answer.text.trim().slice(0, 200)),
      latencyMs,
    };
  } catch (error) {
    const classified = classifyProviderError(error, name);
    const code = failureCode(classified.code);
    const message =
      code === "model_not_found"
        ? `${name} does not know the model "${model}" (404). Check the model name.`
        : scrub(classified.message);
    return failure("request", code, message, models, model);
  }
}

function modelsStepMessage(failure: { code: ConnectionFailureCode; message: string }, name: string): string {
  if (failure.code === "auth")
    return `${name} rejected the API key (401). Check that the key is complete and active.`;
  if (failure.code === "model_not_found") {
    return `${name} has no model list at this URL (404). Check the base URL (it usually ends in /v1), or type a model name.`;
  }
  return failure.message;
}

function failureCode(code: string): ConnectionFailureCode {
  switch (code) {
    case "auth":
    case "forbidden":
    case "model_not_found":
    case "network":
    case "rate_limited":
    case "server_error":
    case "bad_request":
      return code;
    case "stream_cut":
      return "network";
    case "context_length":
      return "bad_request";
    default:
      return "unknown";
  }
}

function failure(
  step: ConnectionTestResult["step"],
  code: ConnectionFailureCode,
  message: string,
  models: ModelInfo[],
  model?: string,
): ConnectionTestResult {
  const result: ConnectionTestResult = { ok: false, step, code, message, models };
  if (model) result.model = model;
  return result;
}
