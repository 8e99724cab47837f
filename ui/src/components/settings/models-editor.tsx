/**
 * The models of a provider with their capabilities (vision, tool calling, reasoning, context window).
 * Values the API reported are pre-filled; the user can correct them, add a model by id, or remove one.
 */
import { createSignal, For, Show } from "solid-js";
import type { ModelInfo } from "../../../../src/shared/provider.ts";
import { t } from "../../i18n/index.ts";

type Capability = "vision" | "tools" | "reasoning";
const CAPABILITIES: Capability[] = ["vision", "tools", "reasoning"];

export function ModelsEditor(props: {
  models: ModelInfo[];
  onChange(models: ModelInfo[]): void;
  busy?: boolean;
}) {
  const [newId, setNewId] = createSignal("");
  const [filter, setFilter] = createSignal("");
  const duplicate = () => props.models.some((model) => model.id === newId().trim());
  const shown = () => {
    const query = filter().trim().toLowerCase();
    return query ? props.models.filter((model) => model.id.toLowerCase().includes(query)) : props.models;
  };

  const change = (id: string, patch: Partial<ModelInfo>) =>
    props.onChange(props.models.map((model) => (model.id === id ? clean({ ...model, ...patch }) : model)));
  const add = () => {
    const id = newId().trim();
    if (!id || duplicate()) return;
    props.onChange([...props.models, { id }]);
    setNewId("");
  };

  return (
    <div class="flex flex-col gap-2" data-testid="models-editor">
      <Show when={props.models.length > 8}>
        <input
          class="input"
          type="search"
          placeholder={t("settings.models.filter")}
          aria-label={t("settings.models.filter")}
          value={filter()}
          onInput={(event) => setFilter(event.currentTarget.value)}
        />
      </Show>
      <div class="max-h-72 overflow-y-auto border border-line rounded-md">
        <table class="w-full text-sm border-collapse">
          <thead class="bg-raised text-xs text-muted sticky top-0">
            <tr>
              <th class="text-left font-medium px-2 py-1">{t("settings.models.id")}</th>
              <th class="text-left font-medium px-2 py-1 w-28">{t("settings.models.context")}</th>
              <For each={CAPABILITIES}>
                {(capability) => (
                  <th class="font-medium px-2 py-1 w-20">{t(`settings.models.${capability}`)}</th>
                )}
              </For>
              <th class="w-10">
                <span class="sr-only">{t("settings.models.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={shown()} fallback={<EmptyRow />}>
              {(model) => (
                <tr class="border-t border-line" data-testid="model-row" data-model-id={model.id}>
                  <td class="px-2 py-1 font-mono text-xs break-all">{model.id}</td>
                  <td class="px-2 py-1">
                    <input
                      class="input py-1 px-2"
                      type="number"
                      min="1"
                      step="1"
                      aria-label={t("settings.models.contextOf", { model: model.id })}
                      value={model.contextWindow ?? ""}
                      onChange={(event) => {
                        const value = Number.parseInt(event.currentTarget.value, 10);
                        change(model.id, {
                          contextWindow: Number.isFinite(value) && value > 0 ? value : undefined,
                        });
                      }}
                    />
                  </td>
                  <For each={CAPABILITIES}>
                    {(capability) => (
                      <td class="px-2 py-1 text-center">
                        <input
                          type="checkbox"
                          checked={model[capability] === true}
                          aria-label={t("settings.models.capabilityOf", {
                            capability: t(`settings.models.${capability}`),
                            model: model.id,
                          })}
                          onChange={(event) =>
                            change(model.id, { [capability]: event.currentTarget.checked })
                          }
                        />
                      </td>
                    )}
                  </For>
                  <td class="px-1 text-center">
                    <button
                      type="button"
                      class="icon-btn w-7 h-7"
                      aria-label={t("settings.models.removeOf", { model: model.id })}
                      onClick={() => props.onChange(props.models.filter((other) => other.id !== model.id))}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <div class="flex gap-2">
        <input
          class="input"
          placeholder={t("settings.models.addPlaceholder")}
          aria-label={t("settings.models.add")}
          value={newId()}
          onInput={(event) => setNewId(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
          data-testid="model-add-input"
        />
        <button
          type="button"
          class="btn-ghost border border-line"
          disabled={!newId().trim() || duplicate()}
          onClick={add}
        >
          {t("settings.models.add")}
        </button>
      </div>
      <Show when={duplicate()}>
        <p class="m-0 text-xs text-danger">{t("settings.models.duplicate")}</p>
      </Show>
    </div>
  );
}

function EmptyRow() {
  return (
    <tr>
      <td colSpan={6} class="px-2 py-3 text-muted text-center">
        {t("settings.models.none")}
      </td>
    </tr>
  );
}

function clean(model: ModelInfo): ModelInfo {
  const out: ModelInfo = { id: model.id };
  if (model.contextWindow) out.contextWindow = model.contextWindow;
  for (const capability of CAPABILITIES)
    if (model[capability] !== undefined) out[capability] = model[capability];
  if (model.pricing) out.pricing = model.pricing;
  return out;
}
