/**
 * Model lists with capabilities from what each API says (OpenRouter-style OpenAI lists, Google,
 * Anthropic paging), local server detection against a real local HTTP server, and the shared form
 * validation the UI runs as the user types.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { detectLocalServers } from "../../src/providers/detect-local.ts";
import { listModels, ModelListError } from "../../src/providers/model-catalog.ts";
import { PROVIDER_PRESETS, presetById } from "../../src/providers/presets.ts";
import { agentConfigIssues } from "../../src/shared/agent-input.ts";
import { providerDraftIssues } from "../../src/shared/provider-input.ts";
import { browserHeadedOf, environmentIssues } from "../../src/shared/settings.ts";
import { issueMessage } from "../../src/shared/validation.ts";

let server: ReturnType<typeof Bun.serve>;
let base: string;
const seen: { path: string; headers: Record<string, string> }[] = [];

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      seen.push({ path: url.pathname + url.search, headers: Object.fromEntries(request.headers) });
      switch (url.pathname) {
        case "/router/v1/models":
          return Response.json({
            data: [
              {
                id: "vendor/vision-tools",
                context_length: 200000,
                architecture: { input_modalities: ["text", "image"] },
                supported_parameters: ["tools", "reasoning", "temperature"],
                pricing: { prompt: "0.000003", completion: "0.000015" },
              },
              {
                id: "vendor/text-only",
                context_length: 8192,
                architecture: { input_modalities: ["text"] },
                supported_parameters: [],
              },
              { id: "vendor/text-only" },
              { name: "no id" },
            ],
          });
        case "/google/v1beta/models":
          return url.searchParams.get("pageToken")
            ? Response.json({ models: [{ name: "models/gemini-b", inputTokenLimit: 32000, thinking: true }] })
            : Response.json({
                models: [
                  {
                    name: "models/gemini-a",
                    inputTokenLimit: 1048576,
                    supportedGenerationMethods: ["generateContent"],
                  },
                  { name: "models/embedder", supportedGenerationMethods: ["embedContent"] },
                ],
                nextPageToken: "p2",
              });
        case "/anthropic/v1/models":
          return url.searchParams.get("after_id")
            ? Response.json({ data: [{ id: "claude-b", type: "model" }], has_more: false })
            : Response.json({
                data: [{ id: "claude-a", type: "model" }],
                has_more: true,
                last_id: "claude-a",
              });
        case "/api/tags":
          return Response.json({ models: [{ name: "qwen3:8b" }, { name: "llama3.2:latest" }] });
        case "/html/v1/models":
          return new Response("<html>login</html>", { headers: { "content-type": "text/html" } });
        default:
          return Response.json({ error: { message: "nope" } }, { status: 404 });
      }
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

describe("listModels", () => {
  test("OpenAI-format list with OpenRouter capabilities, deduplicated and sorted", async () => {
    const models = await listModels({
      kind: "openai-compatible",
      baseUrl: `${base}/router/v1/`,
      apiKey: "k1",
    });
    expect(models).toEqual([
      { id: "vendor/text-only", contextWindow: 8192, vision: false, tools: false, reasoning: false },
      {
        id: "vendor/vision-tools",
        contextWindow: 200000,
        vision: true,
        tools: true,
        reasoning: true,
        pricing: { input: 3, output: 15 },
      },
    ]);
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer k1");
  });

  test("Google: generateContent models only, all pages, key in a header (never the URL)", async () => {
    const models = await listModels({ kind: "google", baseUrl: `${base}/google/v1beta`, apiKey: "g-key" });
    expect(models).toEqual([
      { id: "gemini-a", contextWindow: 1048576 },
      { id: "gemini-b", contextWindow: 32000, reasoning: true },
    ]);
    const request = seen.at(-1);
    expect(request?.headers["x-goog-api-key"]).toBe("g-key");
    expect(request?.path).not.toContain("g-key");
  });

  test("Anthropic: version header, x-api-key, paging", async () => {
    const models = await listModels({ kind: "anthropic", baseUrl: `${base}/anthropic/v1`, apiKey: "a-key" });
    expect(models.map((model) => model.id)).toEqual(["claude-a", "claude-b"]);
    expect(seen.at(-1)?.headers["anthropic-version"]).toBeDefined();
    expect(seen.at(-1)?.headers["x-api-key"]).toBe("a-key");
  });

  test("failures carry the status (404) or say what is wrong (not JSON, unreachable)", async () => {
    const missing = await listModels({ kind: "openai", baseUrl: `${base}/nothing`, apiKey: undefined }).catch(
      (e) => e,
    );
    expect(missing).toBeInstanceOf(ModelListError);
    expect(missing.statusCode).toBe(404);
    const html = await listModels({ kind: "openai", baseUrl: `${base}/html/v1`, apiKey: undefined }).catch(
      (e) => e,
    );
    expect(html.message).toContain("not JSON");
    const closed = await listModels({
      kind: "openai",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: undefined,
    }).catch((e) => e);
    expect(closed.name).toBe("ModelListError");
    expect(closed.statusCode).toBeUndefined();
  });
});

describe("detectLocalServers", () => {
  test("finds a server that answers like Ollama, ignores a closed port", async () => {
    const servers = await detectLocalServers([
      { preset: "ollama", name: "Ollama", origin: base, paths: ["/api/tags", "/v1/models"] },
      { preset: "lmstudio", name: "LM Studio", origin: "http://127.0.0.1:9", paths: ["/v1/models"] },
    ]);
    expect(servers).toEqual([
      {
        preset: "ollama",
        name: "Ollama",
        baseUrl: `${base}/v1`,
        models: [{ id: "qwen3:8b" }, { id: "llama3.2:latest" }],
      },
    ]);
  });
});

describe("shared validation (also run in the browser)", () => {
  test("provider drafts", () => {
    const ok = { name: "A", kind: "openai-compatible" as const, baseUrl: "https://x.test/v1" };
    expect(providerDraftIssues(ok)).toEqual([]);
    expect(providerDraftIssues({ ...ok, name: " " })).toEqual([{ field: "name", code: "required" }]);
    expect(providerDraftIssues({ ...ok, baseUrl: "x.test" })).toEqual([
      { field: "baseUrl", code: "invalidUrl" },
    ]);
    expect(providerDraftIssues(ok, { takenNames: ["a"] })).toEqual([{ field: "name", code: "duplicate" }]);
    expect(issueMessage({ field: "name", code: "tooLong", limit: 80 })).toBe(
      "Name is too long (at most 80).",
    );
  });

  test("agent configs", () => {
    expect(
      agentConfigIssues({
        name: "A",
        emoji: "",
        description: "",
        systemPrompt: "",
        tools: "all",
        skills: "all",
        mcpServers: [],
        approvals: {},
        network: "internet",
        stepLimit: 5,
      }),
    ).toEqual([]);
    const issues = agentConfigIssues({
      name: "",
      emoji: "",
      description: "",
      systemPrompt: "",
      tools: "all",
      skills: "all",
      mcpServers: [],
      approvals: {},
      network: "host",
      stepLimit: 0,
      workspace: "rel",
    });
    expect(issues).toEqual([
      { field: "name", code: "required" },
      { field: "stepLimit", code: "tooSmall", limit: 1 },
      { field: "workspace", code: "notAbsolute" },
    ]);
  });

  test("environment variables and the browser mode", () => {
    expect(environmentIssues({ variables: [{ name: "OK_1", secret: false, value: "" }] })).toEqual([]);
    expect(environmentIssues({ variables: [{ name: "no-dash", secret: false }] })).toEqual([
      { field: "variables.0.name", code: "invalidName" },
    ]);
    expect([browserHeadedOf("auto"), browserHeadedOf("headed"), browserHeadedOf("headless")]).toEqual([
      undefined,
      true,
      false,
    ]);
  });
});

describe("presets", () => {
  test("the generic OpenAI-compatible choice points at no vendor's docs", () => {
    const custom = presetById("custom");
    expect(custom?.kind).toBe("openai-compatible");
    expect(custom?.docsUrl).toBeUndefined();
    // Every named service links to its own site.
    for (const preset of PROVIDER_PRESETS.filter((p) => p.id !== "custom")) {
      expect(preset.docsUrl).toStartWith("https://");
    }
  });
});
