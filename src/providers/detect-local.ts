/**
 * Local model servers on this machine: Ollama (127.0.0.1:11434, `/api/tags`, else `/v1/models`) and
 * LM Studio (127.0.0.1:1234, `/v1/models`). Each probe has a short timeout, so a machine without them
 * answers within a fraction of a second. Only loopback addresses are probed.
 */
import type { ModelInfo } from "../shared/provider.ts";
import type { LocalServer } from "../shared/provider-input.ts";
import { openAIModel } from "./model-catalog.ts";

export interface LocalCandidate {
  preset: string;
  name: string;
  /** Origin of the server, e.g. "http://127.0.0.1:11434". */
  origin: string;
  /** Paths tried in order; the first that answers with a model list wins. */
  paths: string[];
}

export const LOCAL_CANDIDATES: readonly LocalCandidate[] = [
  { preset: "ollama", name: "Ollama", origin: "http://127.0.0.1:11434", paths: ["/api/tags", "/v1/models"] },
  {
    preset: "lmstudio",
    name: "LM Studio",
    origin: "http://127.0.0.1:1234",
    paths: ["/api/v0/models", "/v1/models"],
  },
];

export async function detectLocalServers(
  candidates: readonly LocalCandidate[] = LOCAL_CANDIDATES,
  timeoutMs = 800,
): Promise<LocalServer[]> {
  const found = await Promise.all(candidates.map((candidate) => probe(candidate, timeoutMs)));
  return found.filter((server): server is LocalServer => server !== undefined);
}

async function probe(candidate: LocalCandidate, timeoutMs: number): Promise<LocalServer | undefined> {
  for (const path of candidate.paths) {
    let body: unknown;
    try {
      const response = await fetch(`${candidate.origin}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) continue;
      body = await response.json();
    } catch (error) {
      // Nothing listening: no point trying the next path on the same port.
      if ((error as { name?: string }).name !== "SyntaxError") return undefined;
      continue;
    }
    const models = parseModels(body);
    if (models)
      return { preset: candidate.preset, name: candidate.name, baseUrl: `${candidate.origin}/v1`, models };
  }
  return undefined;
}

/** Ollama's `{models: [{name}]}` or an OpenAI-style `{data: [{id}]}`; undefined for anything else. */
function parseModels(body: unknown): ModelInfo[] | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as { models?: unknown; data?: unknown };
  if (Array.isArray(record.models)) {
    return record.models
      .map((entry) => (typeof entry === "object" && entry && "name" in entry ? String(entry.name) : ""))
      .filter((id) => id.length > 0)
      .map((id) => ({ id }));
  }
  if (Array.isArray(record.data)) {
    return record.data.map(openAIModel).filter((model): model is ModelInfo => model !== undefined);
  }
  return undefined;
}
