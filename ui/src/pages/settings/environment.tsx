/**
 * Settings → Environment: variables that tools and skills see (shell commands, scripts). A secret
 * variable's value is kept in the key store and never shown again: its field stays empty with a
 * "saved" placeholder, and typing replaces it. Names validate as the user types.
 */
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { type EnvironmentVariableInput, environmentIssues } from "../../../../src/shared/settings.ts";
import { errorText, fieldError, SectionHeader } from "../../components/settings/field.tsx";
import { settingsApi } from "../../components/settings/settings-api.ts";
import { t } from "../../i18n/index.ts";
import { notify } from "../../state/toasts.ts";

interface Row {
  key: number;
  name: string;
  secret: boolean;
  value: string;
  /** A secret value is stored (and the user has not typed a new one). */
  stored: boolean;
}

let nextKey = 1;

export function EnvironmentSettings() {
  const [rows, setRows] = createStore<Row[]>([]);
  const [dirty, setDirty] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [submitted, setSubmitted] = createSignal(false);
  const [serverError, setServerError] = createSignal<string>();
  const [loaded] = createResource(async () => {
    const { variables } = await settingsApi.environment();
    setRows(
      variables.map((variable) => ({
        key: nextKey++,
        name: variable.name,
        secret: variable.secret,
        value: variable.value ?? "",
        stored: variable.secret && variable.hasValue,
      })),
    );
    return true;
  });

  const inputs = (): EnvironmentVariableInput[] =>
    rows.map((row) =>
      row.secret
        ? row.value || !row.stored
          ? { name: row.name.trim(), secret: true, value: row.value }
          : { name: row.name.trim(), secret: true }
        : { name: row.name.trim(), secret: false, value: row.value },
    );
  const issues = createMemo(() => environmentIssues({ variables: inputs() }));
  const rowError = (index: number) => {
    const row = rows[index];
    if (!row || (!row.name && !submitted())) return undefined;
    return (
      fieldError(issues(), `variables.${index}.name`) ?? fieldError(issues(), `variables.${index}.value`)
    );
  };
  const update = (index: number, patch: Partial<Row>) => {
    setRows(index, patch);
    setDirty(true);
    setServerError(undefined);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    if (issues().length > 0) return;
    setSaving(true);
    try {
      const { variables } = await settingsApi.saveEnvironment(inputs());
      setRows(
        variables.map((variable) => ({
          key: nextKey++,
          name: variable.name,
          secret: variable.secret,
          value: variable.value ?? "",
          stored: variable.secret && variable.hasValue,
        })),
      );
      setDirty(false);
      setSubmitted(false);
      notify(t("settings.env.saved"));
    } catch (error) {
      setServerError(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="max-w-4xl" onSubmit={save} novalidate data-testid="settings-environment">
      <SectionHeader title={t("settings.env.title")} description={t("settings.env.description")} />
      <Show when={loaded.error}>
        <p class="text-danger text-sm" role="alert">
          {errorText(loaded.error)}
        </p>
      </Show>
      <table class="w-full text-sm border-collapse">
        <thead class="text-xs text-muted">
          <tr>
            <th class="text-left font-medium py-1 w-1/3">{t("settings.env.name")}</th>
            <th class="text-left font-medium py-1">{t("settings.env.value")}</th>
            <th class="font-medium py-1 w-20">{t("settings.env.secret")}</th>
            <th class="w-10">
              <span class="sr-only">{t("settings.env.remove")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={rows} fallback={<EmptyRow />}>
            {(row, index) => (
              <>
                <tr data-testid="env-row">
                  <td class="py-1 pr-2 align-top">
                    <input
                      class="input font-mono"
                      value={row.name}
                      placeholder="MY_VARIABLE"
                      aria-label={t("settings.env.nameOf", { index: index() + 1 })}
                      aria-invalid={rowError(index()) ? "true" : undefined}
                      onInput={(event) => update(index(), { name: event.currentTarget.value })}
                      data-testid="env-name"
                    />
                  </td>
                  <td class="py-1 pr-2 align-top">
                    <input
                      class="input font-mono"
                      type={row.secret ? "password" : "text"}
                      autocomplete="off"
                      value={row.value}
                      placeholder={row.secret && row.stored ? t("settings.env.storedSecret") : ""}
                      aria-label={t("settings.env.valueOf", { name: row.name || String(index() + 1) })}
                      onInput={(event) => update(index(), { value: event.currentTarget.value })}
                      data-testid="env-value"
                    />
                  </td>
                  <td class="py-1 text-center align-top">
                    <input
                      type="checkbox"
                      class="mt-2.5"
                      checked={row.secret}
                      aria-label={t("settings.env.secretOf", { name: row.name || String(index() + 1) })}
                      onChange={(event) =>
                        update(index(), {
                          secret: event.currentTarget.checked,
                          stored: false,
                          value: row.stored ? "" : row.value,
                        })
                      }
                      data-testid="env-secret"
                    />
                  </td>
                  <td class="py-1 align-top">
                    <button
                      type="button"
                      class="icon-btn"
                      aria-label={t("settings.env.removeOf", { name: row.name || String(index() + 1) })}
                      onClick={() => {
                        setRows((list) => list.filter((_, position) => position !== index()));
                        setDirty(true);
                      }}
                      data-testid="env-remove"
                    >
                      ×
                    </button>
                  </td>
                </tr>
                <Show when={rowError(index())}>
                  <tr>
                    <td
                      colSpan={4}
                      class="pb-1 text-xs text-danger"
                      aria-live="polite"
                      data-testid="env-error"
                    >
                      {rowError(index())}
                    </td>
                  </tr>
                </Show>
              </>
            )}
          </For>
        </tbody>
      </table>
      <Show when={serverError()}>
        <p class="m-0 mt-2 text-sm text-danger" role="alert" data-testid="env-server-error">
          {serverError()}
        </p>
      </Show>
      <div class="flex gap-2 mt-3">
        <button
          type="button"
          class="btn-ghost border border-line"
          onClick={() => {
            setRows(rows.length, { key: nextKey++, name: "", secret: false, value: "", stored: false });
            setDirty(true);
          }}
          data-testid="env-add"
        >
          {t("settings.env.add")}
        </button>
        <button
          type="submit"
          class="btn-primary ml-auto"
          disabled={saving() || !dirty()}
          data-testid="env-save"
        >
          {saving() ? t("settings.saving") : t("settings.save")}
        </button>
      </div>
    </form>
  );
}

function EmptyRow() {
  return (
    <tr>
      <td colSpan={4} class="py-3 text-muted">
        {t("settings.env.none")}
      </td>
    </tr>
  );
}
