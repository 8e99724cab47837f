/**
 * /api/setup: the first-run wizard's server side. `status` says whether a provider exists yet (the UI
 * redirects to /setup when none does, unless the user skipped); `complete` makes the provider the
 * default with the chosen model and makes sure the default agent exists.
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { Agent } from "../../shared/agent.ts";
import { Provider } from "../../shared/provider.ts";
import { SetupStatus } from "../../shared/settings.ts";

const modelId = t.String({ minLength: 1, maxLength: 200 });

export function setupRoutes(app: AppContext) {
  const { providers, settings, agents } = app;
  return new Elysia({ name: "setup", prefix: "/api/setup", detail: { tags: ["setup"] } })
    .get(
      "/status",
      async (): Promise<SetupStatus> => ({
        needsSetup: providers.list().length === 0,
        skipped: settings.value("setupSkipped"),
        keyStorage: await providers.keyStorage(),
      }),
      {
        response: SetupStatus,
        detail: { summary: "Whether the first-run setup is still needed, and whether the user skipped it" },
      },
    )
    .post(
      "/skip",
      () => {
        settings.update({ setupSkipped: true });
        return { skipped: true as const };
      },
      {
        response: t.Object({ skipped: t.Literal(true) }),
        detail: { summary: "Skip the setup (it stays reachable from Settings → Providers)" },
      },
    )
    .post(
      "/complete",
      async ({ body }) => {
        providers.get(body.providerId);
        await providers.update(body.providerId, {
          defaultModel: body.model,
          ...(body.fastModel !== undefined ? { fastModel: body.fastModel } : {}),
        });
        const provider = providers.setDefault(body.providerId);
        const agent = agents.defaultAgent();
        settings.update({ setupSkipped: false });
        return { provider, agent };
      },
      {
        body: t.Object({
          providerId: t.String({ minLength: 1, maxLength: 200 }),
          model: modelId,
          fastModel: t.Optional(t.String({ maxLength: 200 })),
        }),
        response: t.Object({ provider: Provider, agent: Agent }),
        detail: {
          summary: "Finish: the provider becomes the default with this model; the default agent exists",
        },
      },
    );
}
