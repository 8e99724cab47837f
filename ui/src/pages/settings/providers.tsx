/**
 * Settings → Providers: where keys are kept (a visible notice when it is the encrypted file), the
 * providers with their key hint, models and default badge; add (from a preset), edit, set default,
 * delete; "Run setup again".
 */
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import type { Provider } from "../../../../src/shared/provider.ts";
import type { ProviderPreset } from "../../../../src/shared/provider-input.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { errorText, SectionHeader } from "../../components/settings/field.tsx";
import { KeyStorageNotice } from "../../components/settings/key-storage-notice.tsx";
import { ProviderForm } from "../../components/settings/provider-form.tsx";
import { providersApi } from "../../components/settings/settings-api.ts";
import { t } from "../../i18n/index.ts";
import { navigate } from "../../lib/router.ts";
import { loadAgents } from "../../state/agents.ts";
import { notify, notifyError } from "../../state/toasts.ts";

type Editing = { mode: "create"; preset: ProviderPreset } | { mode: "edit"; provider: Provider } | undefined;

export function ProvidersSettings() {
  const [data, { refetch }] = createResource(() => providersApi.list());
  const [presets] = createResource(() => providersApi.presets().then((result) => result.presets));
  const [editing, setEditing] = createSignal<Editing>();
  const [presetId, setPresetId] = createSignal("custom");
  const [deleting, setDeleting] = createSignal<Provider>();

  const providers = () => data()?.providers ?? [];
  const names = (except?: string) =>
    providers()
      .filter((p) => p.id !== except)
      .map((p) => p.name);
  const presetName = (id: string | undefined) => presets()?.find((preset) => preset.id === id)?.name;

  const run = async (action: () => Promise<unknown>, done?: string) => {
    try {
      await action();
      if (done) notify(done);
      await refetch();
    } catch (error) {
      notifyError(errorText(error));
    }
  };

  const startAdd = () => {
    const preset = presets()?.find((candidate) => candidate.id === presetId());
    if (preset) setEditing({ mode: "create", preset });
  };

  return (
    <div class="max-w-4xl" data-testid="settings-providers">
      <SectionHeader
        title={t("settings.providers.title")}
        description={t("settings.providers.description")}
        actions={
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={() => navigate("/setup")}
            data-testid="rerun-setup"
          >
            {t("settings.providers.rerunSetup")}
          </button>
        }
      />
      <Show when={data()}>{(loaded) => <KeyStorageNotice storage={loaded().keyStorage} />}</Show>
      <Show when={data.error}>
        <p class="text-danger text-sm" role="alert">
          {errorText(data.error)}
        </p>
      </Show>

      <ul class="list-none p-0 m-0 mt-4 flex flex-col gap-2" data-testid="provider-list">
        <For each={providers()} fallback={<li class="text-sm text-muted">{t("settings.providers.none")}</li>}>
          {(provider) => (
            <li class="card p-3" data-testid="provider-row" data-provider-id={provider.id}>
              <div class="flex items-start gap-3">
                <div class="flex-1 min-w-0">
                  <div class="flex items-center gap-2">
                    <span class="font-medium" data-testid="provider-row-name">
                      {provider.name}
                    </span>
                    <Show when={provider.isDefault}>
                      <span
                        class="text-xs rounded bg-accent/15 text-accent px-1.5 py-0.5"
                        data-testid="provider-default-badge"
                      >
                        {t("settings.default")}
                      </span>
                    </Show>
                    <Show when={presetName(provider.preset)}>
                      {(name) => <span class="text-xs text-muted">{name()}</span>}
                    </Show>
                  </div>
                  <p class="m-0 text-xs text-muted font-mono break-all">{provider.baseUrl}</p>
                  <p class="m-0 text-xs text-muted">
                    {provider.hasKey
                      ? t("settings.providers.keyHint", { hint: provider.keyHint ?? "••••" })
                      : t("settings.providers.noKey")}
                    {" · "}
                    {t("settings.providers.modelCount", { count: provider.models.length })}
                    <Show when={provider.defaultModel}>
                      {" · "}
                      {t("settings.providers.defaultModel", { model: provider.defaultModel ?? "" })}
                    </Show>
                  </p>
                </div>
                <div class="flex gap-1 shrink-0">
                  <Show when={!provider.isDefault}>
                    <button
                      type="button"
                      class="btn-ghost text-xs"
                      onClick={() => void run(() => providersApi.setDefault(provider.id))}
                      data-testid="provider-set-default"
                    >
                      {t("settings.setDefault")}
                    </button>
                  </Show>
                  <button
                    type="button"
                    class="btn-ghost text-xs"
                    onClick={() => setEditing({ mode: "edit", provider })}
                    data-testid="provider-edit"
                  >
                    {t("settings.edit")}
                  </button>
                  <button
                    type="button"
                    class="btn-ghost text-xs text-danger"
                    onClick={() => setDeleting(provider)}
                    data-testid="provider-delete"
                  >
                    {t("settings.delete")}
                  </button>
                </div>
              </div>
            </li>
          )}
        </For>
      </ul>

      <Show when={!editing()}>
        <div class="flex items-end gap-2 mt-4">
          <label class="flex flex-col gap-1 text-sm">
            <span class="font-medium">{t("settings.providers.addFrom")}</span>
            <select
              class="input w-64"
              value={presetId()}
              onChange={(event) => setPresetId(event.currentTarget.value)}
              data-testid="add-provider-preset"
            >
              <For each={presets() ?? []}>{(preset) => <option value={preset.id}>{preset.name}</option>}</For>
            </select>
          </label>
          <button
            type="button"
            class="btn-primary"
            onClick={startAdd}
            disabled={!presets()}
            data-testid="add-provider"
          >
            {t("settings.providers.add")}
          </button>
        </div>
      </Show>

      <Switch>
        <Match when={editing()?.mode === "create" && (editing() as { preset: ProviderPreset })} keyed>
          {(current) => (
            <section class="card p-4 mt-4" aria-label={t("settings.providers.add")}>
              <h3 class="text-base font-semibold m-0 mb-3">
                {t("settings.providers.adding", { name: current.preset.name })}
              </h3>
              <ProviderForm
                mode="create"
                preset={current.preset}
                takenNames={names()}
                keyStorage={data()?.keyStorage}
                submitLabel={t("settings.providers.save")}
                onCancel={() => setEditing(undefined)}
                onSaved={async ({ provider }) => {
                  setEditing(undefined);
                  notify(t("settings.providers.saved", { name: provider.name }));
                  await refetch();
                }}
              />
            </section>
          )}
        </Match>
        <Match when={editing()?.mode === "edit" && (editing() as { provider: Provider })} keyed>
          {(current) => (
            <section class="card p-4 mt-4" aria-label={t("settings.edit")}>
              <div class="flex items-center justify-between mb-3">
                <h3 class="text-base font-semibold m-0">
                  {t("settings.providers.editing", { name: current.provider.name })}
                </h3>
                <button
                  type="button"
                  class="btn-ghost text-xs"
                  onClick={() =>
                    void run(async () => {
                      const refreshed = await providersApi.refreshModels(current.provider.id);
                      setEditing({ mode: "edit", provider: refreshed });
                    }, t("settings.providers.refreshed"))
                  }
                  data-testid="provider-refresh-models"
                >
                  {t("settings.providers.refreshModels")}
                </button>
              </div>
              <ProviderForm
                mode="edit"
                provider={current.provider}
                preset={presets()?.find((preset) => preset.id === current.provider.preset)}
                takenNames={names(current.provider.id)}
                keyStorage={data()?.keyStorage}
                submitLabel={t("settings.save")}
                onCancel={() => setEditing(undefined)}
                onSaved={async ({ provider }) => {
                  setEditing(undefined);
                  notify(t("settings.providers.saved", { name: provider.name }));
                  await refetch();
                }}
              />
            </section>
          )}
        </Match>
      </Switch>

      <ConfirmDialog
        danger
        testId="settings-confirm"
        open={deleting() !== undefined}
        title={t("settings.providers.deleteTitle", { name: deleting()?.name ?? "" })}
        description={t("settings.providers.deleteBody")}
        confirmLabel={t("settings.delete")}
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const target = deleting();
          setDeleting(undefined);
          if (!target) return;
          void run(
            async () => {
              await providersApi.remove(target.id);
              await loadAgents();
            },
            t("settings.providers.deleted", { name: target.name }),
          );
        }}
      />
    </div>
  );
}
