/**
 * The composer's model picker: which model this chat's next turns use. The first choice is the agent's
 * default (named, so the user sees what it is); then every configured provider's models, grouped by
 * provider. A pick is saved with the session (PATCH /api/sessions/:id {model}) and comes back through
 * the session's summary, so every window shows it and a reload keeps it. The list is refreshed each time
 * the picker gets focus (providers edited in Settings show at once).
 */
import { createMemo, For, onMount, Show } from "solid-js";
import type { SessionModel } from "../../../../src/shared/session.ts";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { agentById } from "../../state/agents.ts";
import { loadProviders, providerById, providers } from "../../state/providers.ts";
import { notifyError } from "../../state/toasts.ts";

const SEPARATOR = "\u0000";
const keyOf = (pick: SessionModel) => `${pick.providerId}${SEPARATOR}${pick.model}`;

export function ModelPicker(props: { sessionId: string; agentId?: string; picked?: SessionModel }) {
  onMount(() => {
    if (!providers.loaded) void loadProviders();
  });

  /** The model a turn uses without a pick (the server's rule in resolveModel, for the label only). */
  const agentDefault = createMemo(() => {
    const config = agentById(props.agentId)?.config;
    const fallback = providers.list.find((p) => p.isDefault);
    const provider = providerById(config?.providerId) ?? fallback;
    const ownProvider = provider !== undefined && provider.id === (config?.providerId ?? fallback?.id);
    return (ownProvider ? config?.model : undefined) ?? provider?.defaultModel ?? provider?.models[0]?.id;
  });

  /**
   * The pick in force: none when its provider was deleted (the server then uses the default too, see
   * pickedModel). A model no longer listed by its provider still shows as itself.
   */
  const picked = createMemo(() => {
    const pick = props.picked;
    if (!pick || (providers.loaded && !providerById(pick.providerId))) return undefined;
    return pick;
  });
  const unlisted = createMemo(() => {
    const pick = picked();
    if (!pick) return undefined;
    const listed = providerById(pick.providerId)?.models.some((m) => m.id === pick.model);
    return listed ? undefined : pick;
  });

  const choose = async (value: string) => {
    const [providerId, model] = value.split(SEPARATOR);
    const pick = providerId && model ? { providerId, model } : null;
    try {
      await call("PATCH /api/sessions/:id", { params: { id: props.sessionId }, json: { model: pick } });
    } catch (error) {
      notifyError((error as Error).message);
    }
  };

  return (
    <span class="relative inline-flex items-center min-w-0">
      <select
        class="appearance-none max-w-56 truncate bg-transparent border border-line rounded-md pl-1.5 pr-5 py-0.5 text-xs text-muted hover:text-fg focus-visible:text-fg cursor-pointer"
        aria-label={t("composer.model")}
        title={t("composer.model")}
        onFocus={() => void loadProviders()}
        onChange={(event) => void choose(event.currentTarget.value)}
        data-testid="model-picker"
      >
        <option value="" selected={!picked()}>
          {agentDefault()
            ? t("composer.modelDefaultNamed", { model: agentDefault() ?? "" })
            : t("composer.modelDefault")}
        </option>
        <Show when={unlisted()}>
          {(pick) => (
            <option value={keyOf(pick())} selected>
              {pick().model}
            </option>
          )}
        </Show>
        <For each={providers.list.filter((provider) => provider.models.length > 0)}>
          {(provider) => (
            <optgroup label={provider.name}>
              <For each={provider.models}>
                {(model) => (
                  <option
                    value={keyOf({ providerId: provider.id, model: model.id })}
                    selected={picked()?.providerId === provider.id && picked()?.model === model.id}
                  >
                    {model.id}
                  </option>
                )}
              </For>
            </optgroup>
          )}
        </For>
      </select>
      {/* Our own arrow: engines draw native ones differently (GTK's is large and grey). */}
      <svg
        class="pointer-events-none absolute right-1.5 text-muted"
        width="8"
        height="8"
        viewBox="0 0 10 10"
        aria-hidden="true"
      >
        <path d="M1 3l4 4 4-4" fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
    </span>
  );
}
