/**
 * The models a provider offers, read from its API: OpenAI's `GET {base}/models` (every OpenAI-compatible
 * service), Anthropic's `GET {base}/models`, Google's `GET {base}/models`. Capabilities are filled in
 * only where the API states them (OpenRouter: context length, input modalities, supported parameters;
 * LM Studio: context length, vision/tool use; Google: token limits, thinking); everything else stays
 * unset for the user to edit.
 *
 * Failures throw `ModelListError` carrying the HTTP status and body, shaped so that
 * `classifyProviderError` (src/agent/provider-errors.ts) reads it like an AI SDK call error.
 */
import type { ProviderAccess } from "../agent/providers.ts";
import type { ModelInfo } from "../shared/provider.ts";

export class ModelListError extends Error {
  override readonly name = "ModelListError";
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly responseBody: string | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface ModelListOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const ANTHROPIC_VERSION = "2023-06-01";
const MAX_PAGES = 10;

export async function listModels(
  provider: Pick<ProviderAccess, "kind" | "baseUrl" | "apiKey">,
  options: ModelListOptions = {},
): Promise<ModelInfo[]> {
  const base = provider.baseUrl.trim().replace(/\/+$/, "");
  const signal = combine(options.signal, options.timeoutMs ?? 10_000);
  switch (provider.kind) {
    case "anthropic":
      return anthropicModels(base, provider.apiKey, signal);
    case "google":
      return googleModels(base, provider.apiKey, signal);
    default:
      return openAIModels(base, provider.apiKey, signal);
  }
}

async function openAIModels(
  base: string,
  apiKey: string | undefined,
  signal: AbortSignal,
): Promise<ModelInfo[]> {
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const body = await getJson(`${base}/models`, headers, signal);
  const list = Array.isArray(body) ? body : (body as { data?: unknown }).data;
  if (!Array.isArray(list))
    throw new ModelListError("The model list has an unexpected shape.", undefined, undefined);
  return sortModels(list.map(openAIModel).filter((model): model is ModelInfo => model !== undefined));
}

/** One entry of an OpenAI-format list, with the capability fields some services add. */
export function openAIModel(entry: unknown): ModelInfo | undefined {
  if (!isRecord(entry) || typeof entry.id !== "string" || !entry.id) return undefined;
  const model: ModelInfo = { id: entry.id };
  const context = firstNumber(entry.context_length, entry.max_context_length, entry.context_window);
  if (context) model.contextWindow = Math.round(context);
  const architecture = isRecord(entry.architecture) ? entry.architecture : undefined;
  const modalities = architecture?.input_modalities;
  if (Array.isArray(modalities)) model.vision = modalities.includes("image");
  if (entry.type === "vlm") model.vision = true;
  const parameters = entry.supported_parameters;
  if (Array.isArray(parameters)) {
    model.tools = parameters.includes("tools");
    model.reasoning = parameters.includes("reasoning") || parameters.includes("include_reasoning");
  }
  const capabilities = entry.capabilities;
  if (Array.isArray(capabilities)) {
    if (capabilities.includes("tool_use") || capabilities.includes("tools")) model.tools = true;
    if (capabilities.includes("vision")) model.vision = true;
  }
  const pricing = isRecord(entry.pricing) ? entry.pricing : undefined;
  const input = Number(pricing?.prompt);
  const output = Number(pricing?.completion);
  if (pricing && Number.isFinite(input) && Number.isFinite(output) && input >= 0 && output >= 0) {
    model.pricing = { input: perMillion(input), output: perMillion(output) };
  }
  return model;
}

async function anthropicModels(
  base: string,
  apiKey: string | undefined,
  signal: AbortSignal,
): Promise<ModelInfo[]> {
  const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION };
  if (apiKey) headers["x-api-key"] = apiKey;
  const models: ModelInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ""}`;
    const body = await getJson(`${base}/models${query}`, headers, signal);
    const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
    for (const entry of data) {
      if (!isRecord(entry) || typeof entry.id !== "string") continue;
      const model: ModelInfo = { id: entry.id };
      const context = firstNumber(entry.max_input_tokens, entry.context_window);
      if (context) model.contextWindow = Math.round(context);
      models.push(model);
    }
    if (!isRecord(body) || body.has_more !== true || typeof body.last_id !== "string") break;
    after = body.last_id;
  }
  return sortModels(models);
}

async function googleModels(
  base: string,
  apiKey: string | undefined,
  signal: AbortSignal,
): Promise<ModelInfo[]> {
  const headers: Record<string, string> = {};
  if (apiKey) headers["x-goog-api-key"] = apiKey;
  const models: ModelInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`;
    const body = await getJson(`${base}/models${query}`, headers, signal);
    const data = isRecord(body) && Array.isArray(body.models) ? body.models : [];
    for (const entry of data) {
      if (!isRecord(entry) || typeof entry.name !== "string") continue;
      const methods = entry.supportedGenerationMethods;
      if (Array.isArray(methods) && !methods.includes("generateContent")) continue;
      const model: ModelInfo = { id: entry.name.replace(/^models\//, "") };
      const context = firstNumber(entry.inputTokenLimit);
      if (context) model.contextWindow = Math.round(context);
      if (typeof entry.thinking === "boolean") model.reasoning = entry.thinking;
      models.push(model);
    }
    if (!isRecord(body) || typeof body.nextPageToken !== "string" || !body.nextPageToken) break;
    token = body.nextPageToken;
  }
  return sortModels(models);
}

async function getJson(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json", ...headers },
      signal,
      redirect: "follow",
    });
  } catch (error) {
    const cause = error as { message?: string; code?: string; name?: string };
    const reason = cause.name === "TimeoutError" ? "timed out" : (cause.message ?? "network error");
    throw new ModelListError(`${reason}${cause.code ? ` (${cause.code})` : ""}`, undefined, undefined, error);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ModelListError(
      `Listing models failed (${response.status}).`,
      response.status,
      text.slice(0, 4000),
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelListError(
      "The model list is not JSON; is the base URL right?",
      undefined,
      text.slice(0, 300),
    );
  }
}

function combine(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function sortModels(models: ModelInfo[]): ModelInfo[] {
  const seen = new Set<string>();
  return models
    .filter((model) => !seen.has(model.id) && seen.add(model.id))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function firstNumber(...values: unknown[]): number | undefined {
  for (const value of values) {
    const number = typeof value === "string" ? Number(value) : value;
    if (typeof number === "number" && Number.isFinite(number) && number > 0) return number;
  }
  return undefined;
}

function perMillion(perToken: number): number {
  return Math.round(perToken * 1_000_000 * 1000) / 1000;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
