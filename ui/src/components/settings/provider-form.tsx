/**
 * One provider's connection form, used by the setup wizard ("setup") and Settings → Providers
 * ("create", "edit"): name, API format, base URL, key (masked; never shown again after saving), "Test
 * connection", then the models (a picker in the wizard, the full capabilities editor in Settings) and
 * the default and fast model. Fields validate as the user types with the server's own rules.
 */
import { batch, createMemo, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { ModelInfo, Provider, ProviderKind } from "../../../../src/shared/provider.ts";
import {
  type ConnectionTestResult,
  type KeyStorage,
  type ProviderDraft,
  type ProviderPreset,
  providerDraftIssues,
} from "../../../../src/shared/provider-input.ts";
import { t } from "../../i18n/index.ts";
import { ConnectionResult } from "./connection-result.tsx";
import { Field, fieldError, inputProps, Toggle } from "./field.tsx";
import { ModelsEditor } from "./models-editor.tsx";
import { mergeListed, ProviderModelFields, pickDefault } from "./provider-model-fields.tsx";
import { providersApi } from "./settings-api.ts";

export type ProviderFormMode = "setup" | "create" | "edit";

export interface ProviderFormDone {
  provider: Provider;
  model: string;
  fastModel?: string;
}

const KINDS: ProviderKind[] = ["openai-compatible", "openai", "anthropic", "google"];

export function ProviderForm(props: {
  mode: ProviderFormMode;
  preset?: ProviderPreset;
  provider?: Provider;
  /** Names of the other providers (a duplicate is refused as the user types). */
  takenNames: string[];
  /** Where the server keeps keys (GET /api/providers `keyStorage`); undefined while unknown. */
  keyStorage?: KeyStorage;
  /** Called with the saved provider; in setup mode the caller finishes the setup with the model. */
  onSaved(done: ProviderFormDone): void | Promise<void>;
  onCancel?(): void;
  submitLabel: string;
}) {
  const existing = props.provider;
  const [form, setForm] = createStore({
    name: existing?.name ?? uniqueName(props.preset?.name ?? "", props.takenNames),
    kind: existing?.kind ?? props.preset?.kind ?? ("openai-compatible" as ProviderKind),
    baseUrl: existing?.baseUrl ?? props.preset?.baseUrl ?? "",
    apiKey: "",
    clearKey: false,
    models: existing?.models ?? ([] as ModelInfo[]),
    defaultModel: existing?.defaultModel ?? "",
    fastModel: existing?.fastModel ?? "",
  });
  const [touched, setTouched] = createStore<Record<string, boolean>>({});
  const [submitted, setSubmitted] = createSignal(false);
  const [testing, setTesting] = createSignal(false);
  const [result, setResult] = createSignal<ConnectionTestResult>();
  const [saving, setSaving] = createSignal(false);
  const [serverError, setServerError] = createSignal<{ message: string; field?: string }>();

  const needsKey = () => props.preset?.needsKey ?? !existing?.hasKey;
  const draft = (): ProviderDraft => {
    const out: ProviderDraft = {
      name: form.name,
      kind: form.kind,
      baseUrl: form.baseUrl,
      models: form.models,
    };
    if (props.preset && props.preset.id !== "custom") out.preset = props.preset.id;
    if (form.apiKey.trim()) out.apiKey = form.apiKey.trim();
    if (form.defaultModel) out.defaultModel = form.defaultModel;
    if (form.fastModel) out.fastModel = form.fastModel;
    return out;
  };
  const issues = createMemo(() => providerDraftIssues(draft(), { takenNames: props.takenNames }));
  const shown = (field: string) => (touched[field] || submitted() ? fieldError(issues(), field) : undefined);
  const serverFieldError = (field: string) =>
    serverError()?.field === field ? serverError()?.message : undefined;
  const edit = (field: keyof typeof form, value: string) => {
    batch(() => {
      setForm(field, value as never);
      setTouched(field, true);
      setServerError(undefined);
      if (field === "baseUrl" || field === "apiKey" || field === "kind") setResult(undefined);
    });
  };

  const test = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      const outcome = await providersApi.test({
        kind: form.kind,
        baseUrl: form.baseUrl.trim(),
        apiKey: form.apiKey.trim() || undefined,
        providerId: existing && !form.apiKey.trim() && !form.clearKey ? existing.id : undefined,
        model: form.defaultModel || undefined,
      });
      setResult(outcome);
      if (outcome.models.length > 0) {
        batch(() => {
          setForm("models", mergeListed(form.models, outcome.models));
          if (!form.defaultModel || !outcome.models.some((model) => model.id === form.defaultModel)) {
            setForm("defaultModel", pickDefault(outcome.models, props.preset, outcome.model));
          }
          if (!form.fastModel && props.preset?.suggestedFastModel) {
            const fast = props.preset.suggestedFastModel;
            if (outcome.models.some((model) => model.id === fast)) setForm("fastModel", fast);
          }
        });
      }
    } catch (error) {
      setResult({
        ok: false,
        step: "models",
        code: "unknown",
        message: (error as Error).message,
        models: [],
      });
    } finally {
      setTesting(false);
    }
  };

  /** A server that answered but lists no models: the user types the model name instead. */
  const unlisted = () => {
    const outcome = result();
    return (
      !!outcome &&
      (outcome.code === "no_models" || (outcome.code === "model_not_found" && outcome.step === "models"))
    );
  };
  const canFinishSetup = () =>
    props.mode !== "setup" || (!!form.defaultModel && (!!result()?.ok || unlisted()));

  const save = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    if (issues().length > 0 || !canFinishSetup()) return;
    if (props.mode === "setup" && !form.defaultModel) return;
    setSaving(true);
    setServerError(undefined);
    try {
      const models =
        form.models.length > 0 ? form.models : form.defaultModel ? [{ id: form.defaultModel }] : [];
      let provider: Provider;
      if (existing) {
        provider = await providersApi.update(existing.id, {
          name: form.name,
          kind: form.kind,
          baseUrl: form.baseUrl,
          models,
          defaultModel: form.defaultModel,
          fastModel: form.fastModel,
          ...(form.apiKey.trim() ? { apiKey: form.apiKey.trim() } : {}),
          ...(form.clearKey && !form.apiKey.trim() ? { clearKey: true } : {}),
        });
      } else {
        provider = await providersApi.create({
          ...draft(),
          models,
          isDefault: props.mode === "setup" ? true : undefined,
        });
      }
      setForm("apiKey", "");
      await props.onSaved({ provider, model: form.defaultModel, fastModel: form.fastModel || undefined });
    } catch (error) {
      const failure = error as { message: string; field?: string };
      setServerError({ message: failure.message, field: failure.field });
    } finally {
      setSaving(false);
    }
  };

  const modelIds = () => form.models.map((model) => model.id);

  return (
    <form class="flex flex-col gap-4" onSubmit={save} novalidate data-testid="provider-form">
      <div class="grid gap-4 sm:grid-cols-2">
        <Field
          id="provider-name"
          label={t("settings.provider.name")}
          error={shown("name") ?? serverFieldError("name")}
        >
          <input
            {...inputProps("provider-name", shown("name"))}
            class="input"
            value={form.name}
            maxLength={80}
            onInput={(event) => edit("name", event.currentTarget.value)}
            data-testid="provider-name"
          />
        </Field>
        <Field id="provider-kind" label={t("settings.provider.kind")} hint={t("settings.provider.kindHint")}>
          <select
            id="provider-kind"
            class="input"
            value={form.kind}
            onChange={(event) => edit("kind", event.currentTarget.value)}
            data-testid="provider-kind"
          >
            <For each={KINDS}>
              {(kind) => <option value={kind}>{t(`settings.provider.kind.${kind}`)}</option>}
            </For>
          </select>
        </Field>
      </div>
      <Field
        id="provider-base-url"
        label={t("settings.provider.baseUrl")}
        hint={t("settings.provider.baseUrlHint")}
        error={shown("baseUrl") ?? serverFieldError("baseUrl")}
      >
        <input
          {...inputProps("provider-base-url", shown("baseUrl"))}
          class="input font-mono"
          type="url"
          inputMode="url"
          placeholder="https://…/v1"
          value={form.baseUrl}
          onInput={(event) => edit("baseUrl", event.currentTarget.value)}
          data-testid="provider-base-url"
        />
      </Field>
      <Field
        id="provider-api-key"
        label={
          needsKey() || existing?.hasKey
            ? t("settings.provider.apiKey")
            : t("settings.provider.apiKeyOptional")
        }
        hint={
          existing?.hasKey
            ? t("settings.provider.keySaved", { hint: existing.keyHint ?? "••••" })
            : [
                props.preset?.keyUrl ? t("settings.provider.keyWhere", { url: props.preset.keyUrl }) : "",
                t(`settings.provider.keyStored.${props.keyStorage ?? "unknown"}`),
              ]
                .filter(Boolean)
                .join(" · ")
        }
        error={shown("apiKey") ?? serverFieldError("apiKey")}
      >
        <input
          {...inputProps("provider-api-key", shown("apiKey"))}
          class="input font-mono"
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder={existing?.hasKey ? (existing.keyHint ?? "••••") : ""}
          value={form.apiKey}
          onInput={(event) => edit("apiKey", event.currentTarget.value)}
          data-testid="provider-api-key"
        />
      </Field>
      <Show when={existing?.hasKey}>
        <Toggle
          id="provider-clear-key"
          label={t("settings.provider.clearKey")}
          checked={form.clearKey}
          onChange={(checked) => setForm("clearKey", checked)}
        />
      </Show>

      <div class="flex items-center gap-3">
        <button
          type="button"
          class="btn-ghost border border-line"
          disabled={testing() || !!fieldError(issues(), "baseUrl")}
          onClick={() => void test()}
          data-testid="test-connection"
        >
          {testing() ? t("settings.test.running") : t("settings.test.button")}
        </button>
        <span class="text-xs text-muted">{t("settings.test.explain")}</span>
      </div>
      <Show when={result()}>{(outcome) => <ConnectionResult result={outcome()} />}</Show>

      <Show when={props.mode !== "setup"}>
        <fieldset class="border-0 p-0 m-0 flex flex-col gap-2">
          <legend class="text-sm font-medium mb-1">{t("settings.provider.models")}</legend>
          <p class="m-0 text-xs text-muted">{t("settings.provider.modelsHint")}</p>
          <ModelsEditor models={form.models} onChange={(models) => setForm("models", models)} />
        </fieldset>
      </Show>

      <Show when={props.mode !== "setup" || result()?.ok || unlisted()}>
        <ProviderModelFields
          ids={modelIds()}
          defaultModel={form.defaultModel}
          fastModel={form.fastModel}
          onDefaultModel={(value) => edit("defaultModel", value)}
          onFastModel={(value) => edit("fastModel", value)}
          defaultModelError={
            (submitted() && props.mode === "setup" && !form.defaultModel
              ? t("settings.validation.required")
              : undefined) ??
            shown("defaultModel") ??
            serverFieldError("defaultModel")
          }
          fastModelError={shown("fastModel") ?? serverFieldError("fastModel")}
        />
      </Show>

      <Show when={serverError() && !serverError()?.field}>
        <p class="m-0 text-sm text-danger" role="alert" data-testid="provider-form-error">
          {serverError()?.message}
        </p>
      </Show>
      <div class="flex gap-2 justify-end">
        <Show when={props.onCancel}>
          <button
            type="button"
            class="btn-ghost"
            onClick={() => props.onCancel?.()}
            data-testid="provider-cancel"
          >
            {t("settings.cancel")}
          </button>
        </Show>
        <button
          type="submit"
          class="btn-primary"
          disabled={saving() || !canFinishSetup()}
          data-testid="provider-save"
        >
          {saving() ? t("settings.saving") : props.submitLabel}
        </button>
      </div>
    </form>
  );
}

function uniqueName(base: string, taken: string[]): string {
  const lower = new Set(taken.map((name) => name.toLowerCase()));
  if (!base || !lower.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!lower.has(`${base} (${n})`.toLowerCase())) return `${base} (${n})`;
}
