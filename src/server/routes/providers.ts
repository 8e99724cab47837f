/**
 * /api/providers: list (with where keys are kept), presets, local server detection, connection test,
 * create, read, update, delete, set default, refresh the model list. Keys go in, never out: responses
 * carry `hasKey` and a masked `keyHint` only.
 */
import { Elysia, t } from "elysia";
import { classifyProviderError } from "../../agent/provider-errors.ts";
import type { AppContext } from "../../app/context.ts";
import { ValidationError } from "../../core/errors.ts";
import { testConnection } from "../../providers/connection-test.ts";
import { detectLocalServers } from "../../providers/detect-local.ts";
import { listModels } from "../../providers/model-catalog.ts";
import { PROVIDER_PRESETS } from "../../providers/presets.ts";
import { type ModelInfo, Provider } from "../../shared/provider.ts";
import {
  ConnectionTestRequest,
  ConnectionTestResult,
  KeyStorage,
  LocalServer,
  type ProviderDraft,
  ProviderPreset,
  type ProviderUpdate,
} from "../../shared/provider-input.ts";

const id = t.String({ minLength: 1, maxLength: 200 });

export function providerRoutes(app: AppContext) {
  const { providers } = app;
  return new Elysia({ name: "providers", prefix: "/api/providers", detail: { tags: ["providers"] } })
    .get(
      "/",
      async () => {
        const keyStorage = await providers.keyStorage();
        await providers.loadKeyHints();
        return { providers: providers.list(), keyStorage };
      },
      {
        response: t.Object({ providers: t.Array(Provider), keyStorage: KeyStorage }),
        detail: { summary: "Providers (default first) and where keys are kept: keychain or encrypted-file" },
      },
    )
    .get("/presets", () => ({ presets: [...PROVIDER_PRESETS] }), {
      response: t.Object({ presets: t.Array(ProviderPreset) }),
      detail: { summary: "Known services with base URL, whether a key is needed, suggested models" },
    })
    .get("/detect-local", async () => ({ servers: await detectLocalServers() }), {
      response: t.Object({ servers: t.Array(LocalServer) }),
      detail: { summary: "Ollama (127.0.0.1:11434) and LM Studio (127.0.0.1:1234) when running" },
    })
    .post(
      "/test",
      async ({ body, request }) => {
        let apiKey = body.apiKey;
        let name = "The provider";
        if (body.providerId) {
          const saved = providers.get(body.providerId);
          name = saved.name;
          if (!apiKey && saved.hasKey) {
            try {
              apiKey = await providers.storedKey(body.providerId);
            } catch (error) {
              return {
                ok: false,
                step: "models" as const,
                code: "auth" as const,
                message: (error as Error).message,
                models: [],
              };
            }
          }
        }
        return testConnection(
          { name, kind: body.kind, baseUrl: body.baseUrl, apiKey, model: body.model },
          { signal: request.signal },
        );
      },
      {
        body: ConnectionTestRequest,
        response: ConnectionTestResult,
        detail: {
          summary:
            "Test an unsaved configuration: list the models, then one tiny real request. Always 200; `ok` and `code` tell",
        },
      },
    )
    .post("/", ({ body }) => providers.create(body as ProviderDraft), {
      body: t.Unknown({
        description: "ProviderDraft (src/shared/provider-input.ts), validated with field messages",
      }),
      response: Provider,
      detail: { summary: "Add a provider (the key goes to the keychain or the encrypted store)" },
    })
    .get(
      "/:id",
      async ({ params }) => {
        await providers.loadKeyHints();
        return providers.get(params.id);
      },
      { params: t.Object({ id }), response: Provider, detail: { summary: "One provider" } },
    )
    .patch("/:id", ({ params, body }) => providers.update(params.id, body as ProviderUpdate), {
      params: t.Object({ id }),
      body: t.Unknown({ description: "ProviderUpdate (src/shared/provider-input.ts)" }),
      response: Provider,
      detail: { summary: "Edit; `apiKey` replaces the key, `clearKey` removes it, neither keeps it" },
    })
    .delete(
      "/:id",
      async ({ params }) => {
        await providers.delete(params.id);
        const agentsReset = app.agents.forgetProvider(params.id);
        return { deleted: true, agentsReset };
      },
      {
        params: t.Object({ id }),
        response: t.Object({
          deleted: t.Literal(true),
          agentsReset: t.Number({ description: "Agents moved to the default provider" }),
        }),
        detail: {
          summary: "Delete a provider and its key; agents that used it fall back to the default provider",
        },
      },
    )
    .post("/:id/default", ({ params }) => providers.setDefault(params.id), {
      params: t.Object({ id }),
      response: Provider,
      detail: { summary: "Make this the default provider" },
    })
    .post(
      "/:id/refresh-models",
      async ({ params }) => {
        const access = await providers.access(params.id);
        const current = providers.get(params.id);
        let listed: ModelInfo[];
        try {
          listed = await listModels(access);
        } catch (error) {
          throw new ValidationError(classifyProviderError(error, current.name).message, "models");
        }
        const models = mergeModels(current.models, listed);
        return providers.update(params.id, { models });
      },
      {
        params: t.Object({ id }),
        response: Provider,
        detail: { summary: "Read the model list again; capabilities the user edited are kept" },
      },
    );
}

/** Listed models, with whatever the user set by hand on a model of the same id kept. */
export function mergeModels(current: readonly ModelInfo[], listed: readonly ModelInfo[]): ModelInfo[] {
  const byId = new Map(current.map((model) => [model.id, model]));
  const merged = listed.map((model) => ({ ...model, ...byId.get(model.id) }));
  const listedIds = new Set(listed.map((model) => model.id));
  return [...merged, ...current.filter((model) => !listedIds.has(model.id))];
}
