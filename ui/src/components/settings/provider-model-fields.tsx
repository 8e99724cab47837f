/**
 * The provider form's model choice: the default model and the fast model (titles, summaries), each a
 * select of the models the provider listed or, when it lists none (local servers, unknown APIs), a text
 * input; and how a connection test's list of models is merged into the form (what the user set on a
 * model is kept; the suggested model is picked when listed).
 */
import { For, Show } from "solid-js";
import type { ModelInfo } from "../../../../src/shared/provider.ts";
import type { ProviderPreset } from "../../../../src/shared/provider-input.ts";
import { t } from "../../i18n/index.ts";
import { Field } from "./field.tsx";

/** The default and fast model fields, side by side. */
export function ProviderModelFields(props: {
  /** The listed models' ids (empty: free text). */
  ids: string[];
  defaultModel: string;
  fastModel: string;
  onDefaultModel(value: string): void;
  onFastModel(value: string): void;
  defaultModelError?: string;
  fastModelError?: string;
}) {
  return (
    <div class="grid gap-4 sm:grid-cols-2">
      <Field
        id="provider-default-model"
        label={t("settings.provider.defaultModel")}
        hint={t("settings.provider.defaultModelHint")}
        error={props.defaultModelError}
      >
        <ModelPicker
          id="provider-default-model"
          ids={props.ids}
          value={props.defaultModel}
          onChange={(value) => props.onDefaultModel(value)}
          testId="default-model"
        />
      </Field>
      <Field
        id="provider-fast-model"
        label={t("settings.provider.fastModel")}
        hint={t("settings.provider.fastModelHint")}
        error={props.fastModelError}
      >
        <ModelPicker
          id="provider-fast-model"
          ids={props.ids}
          value={props.fastModel}
          onChange={(value) => props.onFastModel(value)}
          optional
          testId="fast-model"
        />
      </Field>
    </div>
  );
}

/** A select of the listed models, or a text input when none are listed (local servers, unknown APIs). */
function ModelPicker(props: {
  id: string;
  ids: string[];
  value: string;
  onChange(value: string): void;
  optional?: boolean;
  testId: string;
}) {
  return (
    <Show
      when={props.ids.length > 0}
      fallback={
        <input
          id={props.id}
          class="input font-mono"
          value={props.value}
          placeholder={t("settings.provider.modelPlaceholder")}
          onInput={(event) => props.onChange(event.currentTarget.value.trim())}
          data-testid={props.testId}
        />
      }
    >
      <select
        id={props.id}
        class="input font-mono"
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
        data-testid={props.testId}
      >
        <option value="">
          {props.optional ? t("settings.provider.sameAsMain") : t("settings.provider.chooseModel")}
        </option>
        <For each={props.ids}>{(id) => <option value={id}>{id}</option>}</For>
      </select>
    </Show>
  );
}

/** The suggested model when listed, else the one the test used, else the first. */
export function pickDefault(
  models: ModelInfo[],
  preset: ProviderPreset | undefined,
  tested: string | undefined,
): string {
  const ids = new Set(models.map((model) => model.id));
  const suggested = preset?.suggestedModels.find((id) => ids.has(id));
  return suggested ?? tested ?? models[0]?.id ?? "";
}

/** The listed models, keeping what the user set on models of the same id. */
export function mergeListed(current: ModelInfo[], listed: ModelInfo[]): ModelInfo[] {
  const byId = new Map(current.map((model) => [model.id, model]));
  const merged = listed.map((model) => ({ ...model, ...byId.get(model.id) }));
  const listedIds = new Set(listed.map((model) => model.id));
  return [...merged, ...current.filter((model) => !listedIds.has(model.id))];
}
