/** What a new chat shows: the agent, a few example tasks and its skills; with no session, how to start. */
import { createResource, For, Show } from "solid-js";
import { type MessageKey, t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { linkHandler } from "../../lib/router.ts";

const EXAMPLES: MessageKey[] = ["chat.example1", "chat.example2", "chat.example3"];

export function EmptyState(props: {
  agentLabel: string;
  description?: string;
  onExample(text: string): void;
}) {
  const [skills] = createResource(async () => {
    try {
      const result = await call("GET /api/skills");
      return result.skills.filter((skill) => skill.valid !== false);
    } catch {
      return [];
    }
  });
  // No provider yet (the setup was skipped): say so here, before a first message fails.
  const [setup] = createResource(async () => {
    try {
      return await call("GET /api/setup/status");
    } catch {
      return undefined;
    }
  });
  return (
    <div class="flex-1 overflow-y-auto grid place-items-center p-8" data-testid="empty-state">
      <div class="w-full max-w-2xl text-center">
        <Show when={setup()?.needsSetup}>
          <div
            class="card mb-6 p-3 text-sm text-left flex flex-wrap items-center gap-x-3 gap-y-1 border-warn/60"
            role="status"
            data-testid="no-model-notice"
          >
            <span class="flex-1">{t("chat.noModelYet")}</span>
            <a href="/setup" onClick={linkHandler("/setup")} class="btn-primary text-xs no-underline">
              {t("chat.setUpModel")}
            </a>
          </div>
        </Show>
        <h1 class="text-2xl font-semibold mb-2">{t("chat.welcome")}</h1>
        <p class="text-muted mb-6">
          {props.description || t("chat.welcomeHint", { agent: props.agentLabel })}
        </p>
        <div class="text-left">
          <h2 class="text-xs uppercase tracking-wide text-muted font-semibold mb-2">{t("chat.examples")}</h2>
          <div class="grid gap-2 sm:grid-cols-3">
            <For each={EXAMPLES}>
              {(key) => (
                <button
                  type="button"
                  class="card text-left p-3 text-sm hover:border-accent focus-visible:ring-2 focus-visible:ring-accent"
                  onClick={() => props.onExample(t(key))}
                  data-testid="example-task"
                >
                  {t(key)}
                </button>
              )}
            </For>
          </div>
          <Show when={(skills() ?? []).length > 0}>
            <h2 class="text-xs uppercase tracking-wide text-muted font-semibold mt-6 mb-2">
              {t("chat.skillsEnabled")}
            </h2>
            <div class="flex flex-wrap gap-1.5">
              <For each={skills()}>
                {(skill) => (
                  <span
                    class="rounded-full border border-line px-2 py-0.5 text-xs text-muted"
                    title={skill.description}
                  >
                    /{skill.name}
                  </span>
                )}
              </For>
            </div>
          </Show>
        </div>
      </div>
    </div>
  );
}
