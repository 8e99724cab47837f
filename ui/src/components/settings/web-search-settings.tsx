/**
 * Settings → General → Web search: the provider web_search asks (none, SearXNG, Brave, Tavily, Serper),
 * the SearXNG instance's address (or another API address for the others), and the provider's API key,
 * stored in the keychain (the field never shows it back: only whether one is stored).
 */
import { createResource, createSignal, For, Show } from "solid-js";
import type { UserSettings, WebSearchProviderId } from "../../../../src/shared/settings.ts";
import { t } from "../../i18n/index.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { errorText, Field } from "./field.tsx";
import { settingsApi } from "./settings-api.ts";

const PROVIDERS: WebSearchProviderId[] = ["none", "searxng", "brave", "tavily", "serper"];

export function WebSearchSettings(props: {
  settings: UserSettings | undefined;
  onChange(settings: UserSettings): void;
}) {
  const [keys, { refetch }] = createResource(() => settingsApi.webSearchKeys());
  const [key, setKey] = createSignal("");
  const provider = () => props.settings?.webSearchProvider ?? "none";
  const needsKey = () => provider() === "brave" || provider() === "tavily" || provider() === "serper";
  const hasKey = () => keys()?.find((state) => state.provider === provider())?.hasKey ?? false;

  const update = async (patch: Partial<UserSettings>) => {
    try {
      props.onChange(await settingsApi.update(patch));
    } catch (error) {
      notifyError(errorText(error));
    }
  };
  const saveKey = async (value: string) => {
    const chosen = provider();
    // Only the keyed providers show the key field.
    if (chosen === "none" || chosen === "searxng") return;
    try {
      await settingsApi.setWebSearchKey(chosen, value);
      setKey("");
      await refetch();
      notify(t(value.trim() ? "settings.webSearch.keySaved" : "settings.webSearch.keyRemoved"));
    } catch (error) {
      notifyError(errorText(error));
    }
  };

  return (
    <section class="flex flex-col gap-3" data-testid="web-search-settings">
      <h3 class="text-base font-semibold m-0">{t("settings.webSearch.title")}</h3>
      <p class="m-0 text-xs text-muted">{t("settings.webSearch.hint")}</p>
      <Field id="setting-web-search-provider" label={t("settings.webSearch.provider")}>
        <select
          id="setting-web-search-provider"
          class="input"
          value={provider()}
          onChange={(event) =>
            void update({ webSearchProvider: event.currentTarget.value as WebSearchProviderId })
          }
          data-testid="setting-web-search-provider"
        >
          <For each={PROVIDERS}>
            {(value) => <option value={value}>{t(`settings.webSearch.providers.${value}`)}</option>}
          </For>
        </select>
      </Field>
      <Show when={provider() !== "none"}>
        <Field
          id="setting-web-search-url"
          label={t(
            provider() === "searxng" ? "settings.webSearch.searxngUrl" : "settings.webSearch.endpoint",
          )}
          hint={t(
            provider() === "searxng"
              ? "settings.webSearch.searxngUrlHint"
              : "settings.webSearch.endpointHint",
          )}
        >
          <input
            id="setting-web-search-url"
            class="input font-mono"
            type="url"
            value={props.settings?.webSearchUrl ?? ""}
            placeholder={provider() === "searxng" ? "http://localhost:8888" : ""}
            onChange={(event) => void update({ webSearchUrl: event.currentTarget.value.trim() })}
            data-testid="setting-web-search-url"
          />
        </Field>
      </Show>
      <Show when={needsKey()}>
        <Field
          id="setting-web-search-key"
          label={t("settings.webSearch.key")}
          hint={t(hasKey() ? "settings.webSearch.keyStored" : "settings.webSearch.keyMissing")}
        >
          <div class="flex gap-2">
            <input
              id="setting-web-search-key"
              class="input font-mono flex-1"
              type="password"
              autocomplete="off"
              value={key()}
              placeholder={hasKey() ? "••••••••" : ""}
              onInput={(event) => setKey(event.currentTarget.value)}
              data-testid="setting-web-search-key"
            />
            <button
              type="button"
              class="btn-primary"
              disabled={key().trim() === ""}
              onClick={() => void saveKey(key())}
              data-testid="setting-web-search-key-save"
            >
              {t("settings.webSearch.saveKey")}
            </button>
            <Show when={hasKey()}>
              <button type="button" class="btn-ghost border border-line" onClick={() => void saveKey("")}>
                {t("settings.webSearch.removeKey")}
              </button>
            </Show>
          </div>
        </Field>
      </Show>
    </section>
  );
}
