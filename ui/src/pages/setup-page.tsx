/**
 * The first-run setup (/setup), two steps: choose a provider (presets; Ollama and LM Studio marked when
 * they are running here; any OpenAI-compatible URL), then connect — key, "Test connection", default
 * model — and finish: the provider becomes the default, the default agent exists, and a new chat opens.
 * It can be skipped, and reopened from Settings → Providers.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import type { ProviderPreset } from "../../../src/shared/provider-input.ts";
import { startNewChat } from "../components/layout/sidebar.tsx";
import { errorText } from "../components/settings/field.tsx";
import { KeyStorageNotice } from "../components/settings/key-storage-notice.tsx";
import { ProviderForm } from "../components/settings/provider-form.tsx";
import { providersApi, setupApi } from "../components/settings/settings-api.ts";
import { t } from "../i18n/index.ts";
import { openExternal } from "../lib/open-external.ts";
import { navigate } from "../lib/router.ts";
import { loadAgents } from "../state/agents.ts";
import { notifyError } from "../state/toasts.ts";

/** Typical base URLs of servers that speak the OpenAI chat API, shown as text (no vendor's docs). */
const CUSTOM_EXAMPLES: [string, string][] = [
  ["Ollama", "http://127.0.0.1:11434/v1"],
  ["LM Studio", "http://127.0.0.1:1234/v1"],
  ["llama.cpp (llama-server)", "http://127.0.0.1:8080/v1"],
  ["vLLM", "http://127.0.0.1:8000/v1"],
];

export function SetupPage() {
  const [presets] = createResource(() => providersApi.presets().then((result) => result.presets));
  const [local] = createResource(() =>
    providersApi
      .detectLocal()
      .then((result) => result.servers)
      .catch(() => []),
  );
  const [existing] = createResource(() => providersApi.list().catch(() => undefined));
  const [chosen, setChosen] = createSignal<ProviderPreset>();

  const detected = (preset: ProviderPreset) => local()?.find((server) => server.preset === preset.id);
  const cloud = () => presets()?.filter((preset) => !preset.local && preset.id !== "custom") ?? [];
  const localPresets = () => presets()?.filter((preset) => preset.local) ?? [];
  const custom = () => presets()?.find((preset) => preset.id === "custom");

  const skip = async () => {
    try {
      await setupApi.skip();
    } catch (error) {
      notifyError(errorText(error));
    }
    navigate("/");
  };

  return (
    <div class="flex-1 overflow-y-auto" data-testid="setup-page">
      <div class="max-w-3xl mx-auto p-8 flex flex-col gap-6">
        <header>
          <h1 class="text-2xl font-semibold m-0">{t("setup.title")}</h1>
          <p class="m-0 mt-1 text-muted">{t("setup.intro")}</p>
        </header>
        <ol class="list-none p-0 m-0 flex gap-4 text-sm" aria-label={t("setup.steps")}>
          <li class={chosen() ? "text-muted" : "font-semibold"} aria-current={chosen() ? undefined : "step"}>
            1. {t("setup.step.provider")}
          </li>
          <li class={chosen() ? "font-semibold" : "text-muted"} aria-current={chosen() ? "step" : undefined}>
            2. {t("setup.step.connect")}
          </li>
        </ol>

        <Show
          when={chosen()}
          keyed
          fallback={
            <section class="flex flex-col gap-5" data-testid="setup-step-provider">
              <PresetGroup title={t("setup.group.cloud")} presets={cloud()} onPick={setChosen} />
              <PresetGroup
                title={t("setup.group.local")}
                presets={localPresets()}
                onPick={setChosen}
                badge={(preset) =>
                  detected(preset)
                    ? t("setup.detected", { count: detected(preset)?.models.length ?? 0 })
                    : undefined
                }
              />
              <Show when={custom()}>
                {(preset) => (
                  <div>
                    <button
                      type="button"
                      class="card p-3 w-full text-left hover:border-accent focus-visible:ring-2 focus-visible:ring-accent outline-none flex flex-col gap-1"
                      onClick={() => setChosen(preset())}
                      data-testid="preset-custom"
                    >
                      <span class="font-medium">{t("setup.custom")}</span>
                      <span class="text-xs text-muted">{t("setup.customHint")}</span>
                    </button>
                  </div>
                )}
              </Show>
              <Show when={existing()}>{(loaded) => <KeyStorageNotice storage={loaded().keyStorage} />}</Show>
              <div class="flex justify-end">
                <button type="button" class="btn-ghost" onClick={() => void skip()} data-testid="setup-skip">
                  {t("setup.skip")}
                </button>
              </div>
            </section>
          }
        >
          {(preset) => (
            <section class="card p-5 flex flex-col gap-4" data-testid="setup-step-connect">
              <div class="flex items-center justify-between">
                <h2 class="text-lg font-semibold m-0">{t("setup.connectTo", { name: preset.name })}</h2>
                <button
                  type="button"
                  class="btn-ghost text-sm"
                  onClick={() => setChosen(undefined)}
                  data-testid="setup-back"
                >
                  ← {t("setup.back")}
                </button>
              </div>
              <Show
                when={preset.docsUrl}
                fallback={
                  <div class="m-0 text-xs text-muted flex flex-col gap-1" data-testid="custom-explainer">
                    <p class="m-0">{t("setup.customExplain")}</p>
                    <ul class="m-0 pl-4 font-mono">
                      <For each={CUSTOM_EXAMPLES}>
                        {([name, url]) => (
                          <li>
                            <span class="font-sans">{name}:</span> {url}
                          </li>
                        )}
                      </For>
                    </ul>
                  </div>
                }
              >
                {(docsUrl) => (
                  <p class="m-0 text-xs text-muted">
                    {t("setup.docs")}{" "}
                    <a
                      href={docsUrl()}
                      target="_blank"
                      rel="noreferrer noopener"
                      class="text-accent"
                      onClick={(event) => {
                        // The window opens no new windows: hand the link to the system browser.
                        event.preventDefault();
                        openExternal(docsUrl());
                      }}
                    >
                      {docsUrl()}
                    </a>
                  </p>
                )}
              </Show>
              <Show
                when={
                  existing()?.keyStorage === "encrypted-file" && (preset.needsKey || preset.id === "custom")
                }
              >
                <KeyStorageNotice storage="encrypted-file" />
              </Show>
              <ProviderForm
                mode="setup"
                preset={{ ...preset, baseUrl: detected(preset)?.baseUrl ?? preset.baseUrl }}
                takenNames={existing()?.providers.map((provider) => provider.name) ?? []}
                keyStorage={existing()?.keyStorage}
                submitLabel={t("setup.finish")}
                onSaved={async ({ provider, model, fastModel }) => {
                  await setupApi.complete(provider.id, model, fastModel);
                  await loadAgents();
                  await startNewChat();
                }}
              />
            </section>
          )}
        </Show>
      </div>
    </div>
  );
}

function PresetGroup(props: {
  title: string;
  presets: ProviderPreset[];
  onPick(preset: ProviderPreset): void;
  badge?(preset: ProviderPreset): string | undefined;
}) {
  return (
    <div>
      <h2 class="text-sm font-medium text-muted m-0 mb-2">{props.title}</h2>
      <div class="grid gap-2 grid-cols-2 sm:grid-cols-3">
        <For each={props.presets}>
          {(preset) => (
            <button
              type="button"
              class="card p-3 text-left hover:border-accent focus-visible:ring-2 focus-visible:ring-accent outline-none flex flex-col gap-1"
              onClick={() => props.onPick(preset)}
              data-testid={`preset-${preset.id}`}
            >
              <span class="font-medium">{preset.name}</span>
              <span class="text-xs text-muted">
                {preset.needsKey ? t("setup.needsKey") : t("setup.noKey")}
              </span>
              <Show when={props.badge?.(preset)}>
                {(badge) => (
                  <span class="text-xs text-ok" data-testid={`local-detected-${preset.id}`}>
                    ● {badge()}
                  </span>
                )}
              </Show>
            </button>
          )}
        </For>
      </div>
    </div>
  );
}
