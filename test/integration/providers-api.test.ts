/**
 * /api/providers and /api/setup over real HTTP against a real backend (SQLite file, secret store)
 * and the fake model server: presets, connection test (success, wrong key, unreachable, unknown
 * model, no model list), CRUD with field-level validation, keys never in responses, setup flow.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Agent } from "../../src/shared/agent.ts";
import type { Provider } from "../../src/shared/provider.ts";
import type { ConnectionTestResult, LocalServer, ProviderPreset } from "../../src/shared/provider-input.ts";
import type { SetupStatus } from "../../src/shared/settings.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";

const KEY = "sk-provider-api-test-7f3a9c";

let fake: FakeModel;

beforeAll(async () => {
  fake = await startFakeModel({ apiKey: KEY, models: ["fake-large", "fake-small"] });
});
const backend = useBackend({ provider: false });
afterAll(async () => {
  await fake.stop();
});

/** A free loopback port with nothing listening on it. */
function closedPort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const port = server.port as number;
  server.stop(true);
  return port;
}

describe("setup status before any provider", () => {
  test("needs setup, not skipped, says where keys go", async () => {
    const { body } = await backend().api<SetupStatus>("/api/setup/status");
    expect(body.needsSetup).toBe(true);
    expect(body.skipped).toBe(false);
    expect(["keychain", "encrypted-file"]).toContain(body.keyStorage);
  });

  test("skip is remembered", async () => {
    expect((await backend().api("/api/setup/skip", { method: "POST" })).status).toBe(200);
    const { body } = await backend().api<SetupStatus>("/api/setup/status");
    expect(body).toMatchObject({ needsSetup: true, skipped: true });
  });
});

describe("presets and local detection", () => {
  test("every preset named in the issue is there with its base URL", async () => {
    const { body } = await backend().api<{ presets: ProviderPreset[] }>("/api/providers/presets");
    const byId = Object.fromEntries(body.presets.map((preset) => [preset.id, preset]));
    expect(byId.deepseek?.baseUrl).toBe("https://api.deepseek.com/v1");
    expect(byId.openrouter?.baseUrl).toBe("https://openrouter.ai/api/v1");
    expect(byId.moonshot?.baseUrl).toBe("https://api.moonshot.cn/v1");
    expect(byId.zhipu?.baseUrl).toBe("https://open.bigmodel.cn/api/paas/v4");
    expect(byId.dashscope?.baseUrl).toBe("https://dashscope.aliyuncs.com/compatible-mode/v1");
    expect(byId.openai?.kind).toBe("openai");
    expect(byId.anthropic?.kind).toBe("anthropic");
    expect(byId.google?.kind).toBe("google");
    expect(byId.ollama).toMatchObject({ needsKey: false, local: true, baseUrl: "http://127.0.0.1:11434/v1" });
    expect(byId.lmstudio).toMatchObject({
      needsKey: false,
      local: true,
      baseUrl: "http://127.0.0.1:1234/v1",
    });
    expect(byId.custom?.kind).toBe("openai-compatible");
  });

  test("detect-local answers quickly with a list (empty when nothing runs)", async () => {
    const started = performance.now();
    const { status, body } = await backend().api<{ servers: LocalServer[] }>("/api/providers/detect-local");
    expect(status).toBe(200);
    expect(Array.isArray(body.servers)).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("test connection", () => {
  test("a right key lists the models and makes one tiny real request", async () => {
    fake.enqueue({ text: "OK" });
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: fake.url,
        apiKey: KEY,
      },
    });
    expect(body.ok).toBe(true);
    expect(body.step).toBe("done");
    expect(body.models.map((model) => model.id)).toEqual(["fake-large", "fake-small"]);
    expect(body.model).toBe("fake-large");
    expect(body.reply).toBe("OK");
    const request = fake.lastRequest;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body?.max_tokens).toBeLessThanOrEqual(16);
  });

  test("a wrong key is a 401 with a clear message, and the key is not echoed", async () => {
    const wrong = "sk-wrong-key-for-test-000111";
    const { body, text } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: fake.url,
        apiKey: wrong,
      },
    });
    expect(body).toMatchObject({ ok: false, step: "models", code: "auth" });
    expect(body.message).toContain("rejected the API key (401)");
    expect(text).not.toContain(wrong);
  });

  test("an unreachable port says it cannot be reached", async () => {
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: `http://127.0.0.1:${closedPort()}/v1`,
        apiKey: KEY,
      },
    });
    expect(body).toMatchObject({ ok: false, step: "models", code: "network" });
    expect(body.message).toContain("could not be reached");
  });

  test("a model the provider does not list is 'model not found'", async () => {
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: fake.url,
        apiKey: KEY,
        model: "no-such-model",
      },
    });
    expect(body).toMatchObject({ ok: false, code: "model_not_found", model: "no-such-model" });
    expect(body.message).toContain('"no-such-model"');
    expect(body.models).toHaveLength(2);
  });

  test("a 404 from the model request itself is 'model not found'", async () => {
    fake.enqueue({ error: { status: 404 } });
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: fake.url,
        apiKey: KEY,
        model: "fake-small",
      },
    });
    expect(body).toMatchObject({ ok: false, step: "request", code: "model_not_found" });
  });

  test("a wrong base URL path (no model list) explains the URL", async () => {
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: fake.url.replace(/\/v1$/, "/nope"),
        apiKey: KEY,
      },
    });
    expect(body).toMatchObject({ ok: false, step: "models", code: "model_not_found" });
    expect(body.message).toContain("base URL");
  });

  test("Anthropic format works against the same fake", async () => {
    fake.enqueue({ text: "OK" });
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "anthropic",
        baseUrl: fake.url,
        apiKey: KEY,
      },
    });
    expect(body.ok).toBe(true);
    expect(fake.lastRequest?.path).toBe("/v1/messages");
  });

  test("not a URL: refused before any request", async () => {
    const before = fake.requests.length;
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: "localhost:1234",
      },
    });
    expect(body).toMatchObject({ ok: false, code: "invalid" });
    expect(fake.requests.length).toBe(before);
  });
});

describe("providers CRUD", () => {
  let provider: Provider;

  test("bad input gets field messages and creates nothing", async () => {
    const cases: [unknown, string, string][] = [
      [{ name: "", kind: "openai-compatible", baseUrl: fake.url }, "name", "Name is required."],
      [{ name: "   ", kind: "openai-compatible", baseUrl: fake.url }, "name", "Name is required."],
      [
        { name: "X", kind: "openai-compatible", baseUrl: "ftp://x" },
        "baseUrl",
        "Base URL must be an http:// or https:// URL.",
      ],
      [{ name: "X", kind: "nope", baseUrl: fake.url }, "kind", "Kind is not valid."],
      [{ name: "X".repeat(81), kind: "openai", baseUrl: fake.url }, "name", "Name is too long (at most 80)."],
      [
        { name: "X", kind: "openai", baseUrl: fake.url, models: [{ id: "a" }], defaultModel: "b" },
        "defaultModel",
        "Default model is not one of this provider's models.",
      ],
      ["not an object", "", "The input is not valid."],
    ];
    for (const [body, field, message] of cases) {
      const result = await backend().api<{ error: { message: string; field?: string } }>("/api/providers", {
        json: body,
      });
      expect(result.status).toBe(400);
      expect(result.body.error.field ?? "").toBe(field);
      expect(result.body.error.message).toBe(message);
    }
    const { body } = await backend().api<{ providers: Provider[] }>("/api/providers");
    expect(body.providers).toEqual([]);
  });

  test("create: the key is stored, never returned; the first provider is the default", async () => {
    const { status, body, text } = await backend().api<Provider>("/api/providers", {
      json: {
        name: "Fake",
        kind: "openai-compatible",
        preset: "custom",
        baseUrl: fake.url,
        apiKey: KEY,
        models: [{ id: "fake-large", vision: true }, { id: "fake-small" }],
        defaultModel: "fake-large",
      },
    });
    expect(status).toBe(200);
    expect(text).not.toContain(KEY);
    expect(body).toMatchObject({
      name: "Fake",
      hasKey: true,
      isDefault: true,
      keyHint: `sk-…${KEY.slice(-4)}`,
    });
    provider = body;
  });

  test("a duplicate name is a 409 naming the field", async () => {
    const result = await backend().api<{ error: { code: string; field: string; message: string } }>(
      "/api/providers",
      {
        json: {
          name: "fake",
          kind: "openai-compatible",
          baseUrl: fake.url,
        },
      },
    );
    expect(result.status).toBe(409);
    expect(result.body.error).toMatchObject({ code: "conflict", field: "name" });
  });

  test("list and get never carry the key", async () => {
    const list = await backend().api<{ providers: Provider[]; keyStorage: string }>("/api/providers");
    expect(list.text).not.toContain(KEY);
    expect(list.body.providers).toHaveLength(1);
    const one = await backend().api<Provider>(`/api/providers/${provider.id}`);
    expect(one.text).not.toContain(KEY);
    expect(one.body.keyHint).toBe(`sk-…${KEY.slice(-4)}`);
  });

  test("test connection of a saved provider uses its stored key", async () => {
    fake.enqueue({ text: "OK" });
    const { body } = await backend().api<ConnectionTestResult>("/api/providers/test", {
      json: {
        kind: "openai-compatible",
        baseUrl: fake.url,
        providerId: provider.id,
      },
    });
    expect(body.ok).toBe(true);
    expect(fake.lastRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  test("update: rename, capabilities, fast model; an invalid edit changes nothing", async () => {
    const updated = await backend().api<Provider>(`/api/providers/${provider.id}`, {
      method: "PATCH",
      json: {
        name: "Fake renamed",
        models: [
          { id: "fake-large", vision: true, tools: true, reasoning: false, contextWindow: 64000 },
          { id: "fake-small" },
        ],
        fastModel: "fake-small",
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "Fake renamed", fastModel: "fake-small", hasKey: true });
    expect(updated.body.models[0]).toEqual({
      id: "fake-large",
      vision: true,
      tools: true,
      reasoning: false,
      contextWindow: 64000,
    });
    const bad = await backend().api<{ error: { field: string } }>(`/api/providers/${provider.id}`, {
      method: "PATCH",
      json: {
        name: "Changed",
        baseUrl: "not a url",
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("baseUrl");
    expect((await backend().api<Provider>(`/api/providers/${provider.id}`)).body.name).toBe("Fake renamed");
  });

  test("refresh-models keeps the capabilities edited by hand", async () => {
    const { body } = await backend().api<Provider>(`/api/providers/${provider.id}/refresh-models`, {
      method: "POST",
    });
    expect(body.models.find((model) => model.id === "fake-large")).toMatchObject({
      tools: true,
      contextWindow: 64000,
    });
  });

  test("set default, and delete moves the default and resets agents that used the provider", async () => {
    const second = await backend().api<Provider>("/api/providers", {
      json: {
        name: "Second",
        kind: "openai-compatible",
        baseUrl: fake.url,
      },
    });
    expect(second.body.isDefault).toBe(false);
    expect(
      (await backend().api<Provider>(`/api/providers/${second.body.id}/default`, { method: "POST" })).body
        .isDefault,
    ).toBe(true);
    const agent = await backend().api<Agent>("/api/agents", {
      json: {
        name: "Uses second",
        providerId: second.body.id,
        model: "fake-small",
      },
    });
    expect(agent.status).toBe(200);
    const deleted = await backend().api<{ agentsReset: number }>(`/api/providers/${second.body.id}`, {
      method: "DELETE",
    });
    expect(deleted.body.agentsReset).toBe(1);
    const after = await backend().api<Agent>(`/api/agents/${agent.body.id}`);
    expect(after.body.config.providerId).toBeUndefined();
    expect(after.body.config.model).toBeUndefined();
    const list = await backend().api<{ providers: Provider[] }>("/api/providers");
    expect(list.body.providers.map((p) => [p.name, p.isDefault])).toEqual([["Fake renamed", true]]);
    expect((await backend().api(`/api/providers/${second.body.id}`)).status).toBe(404);
  });
});

describe("finishing setup", () => {
  test("complete sets the default model, creates the default agent and clears 'skipped'", async () => {
    const { body: list } = await backend().api<{ providers: Provider[] }>("/api/providers");
    const provider = list.providers[0] as Provider;
    const done = await backend().api<{ provider: Provider; agent: Agent }>("/api/setup/complete", {
      json: {
        providerId: provider.id,
        model: "fake-small",
      },
    });
    expect(done.status).toBe(200);
    expect(done.body.provider).toMatchObject({ isDefault: true, defaultModel: "fake-small" });
    expect(done.body.agent.isDefault).toBe(true);
    const status = await backend().api<SetupStatus>("/api/setup/status");
    expect(status.body).toMatchObject({ needsSetup: false, skipped: false });
  });

  test("complete with a model the provider does not list is refused", async () => {
    const { body: list } = await backend().api<{ providers: Provider[] }>("/api/providers");
    const result = await backend().api<{ error: { field: string } }>("/api/setup/complete", {
      json: {
        providerId: list.providers[0]?.id,
        model: "nope",
      },
    });
    expect(result.status).toBe(400);
    expect(result.body.error.field).toBe("defaultModel");
  });
});
