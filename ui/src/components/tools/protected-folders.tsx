/**
 * Settings → Tools & approvals → "Hidden from tools": Sage's own folders (always hidden, listed for
 * information) and the editable list of credential folders (`credentialFolders`, one `~/…` or absolute
 * path per line; src/shared/credential-folders.ts). Neither the file tools nor shell commands can read,
 * change or list what is here; the list is read when each turn starts.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import {
  DEFAULT_CREDENTIAL_FOLDERS,
  isCredentialFolderEntry,
} from "../../../../src/shared/credential-folders.ts";
import { t } from "../../i18n/index.ts";
import { notify } from "../../state/toasts.ts";
import { errorText } from "../settings/field.tsx";
import { settingsApi } from "../settings/settings-api.ts";

function entriesOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function ProtectedFolders() {
  const [settings, { mutate }] = createResource(() => settingsApi.get());
  const [paths] = createResource(() => settingsApi.paths());
  const [draft, setDraft] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);

  const text = () => draft() ?? (settings()?.credentialFolders ?? []).join("\n");
  const invalid = () => entriesOf(text()).filter((entry) => !isCredentialFolderEntry(entry));
  const changed = () => draft() !== undefined && draft() !== (settings()?.credentialFolders ?? []).join("\n");

  const save = async (entries: string[]) => {
    setSaving(true);
    setError(undefined);
    try {
      mutate(await settingsApi.update({ credentialFolders: entries }));
      setDraft(undefined);
      notify(t("tools.protected.saved"));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="flex flex-col gap-2" aria-labelledby="protected-title" data-testid="protected-section">
      <h3 id="protected-title" class="m-0 text-base font-semibold">
        {t("tools.protected.title")}
      </h3>
      <p class="m-0 text-xs text-muted">{t("tools.protected.intro")}</p>
      <Show when={paths()}>
        {(folders) => (
          <div class="text-sm">
            <span class="text-muted">{t("tools.protected.sage")} </span>
            <For each={[folders().data, folders().config, folders().logs]}>
              {(folder) => <code class="mr-2 break-all">{folder}</code>}
            </For>
          </div>
        )}
      </Show>
      <label for="protected-folders" class="text-sm font-medium">
        {t("tools.protected.credentials")}
      </label>
      <textarea
        id="protected-folders"
        class="input font-mono min-h-48 text-xs"
        value={text()}
        spellcheck={false}
        aria-invalid={invalid().length > 0 ? "true" : undefined}
        aria-describedby="protected-folders-hint"
        onInput={(event) => setDraft(event.currentTarget.value)}
        data-testid="protected-folders"
      />
      <p class="m-0 text-xs text-muted" id="protected-folders-hint">
        {t("tools.protected.hint")}
      </p>
      <Show when={invalid().length > 0}>
        <p class="m-0 text-xs text-danger" role="alert" data-testid="protected-folders-invalid">
          {t("tools.protected.invalid", { entries: invalid().join(", ") })}
        </p>
      </Show>
      <Show when={error()}>
        <p class="m-0 text-xs text-danger" role="alert">
          {error()}
        </p>
      </Show>
      <div class="flex gap-2">
        <button
          type="button"
          class="btn-primary"
          disabled={saving() || !changed() || invalid().length > 0}
          onClick={() => void save(entriesOf(text()))}
          data-testid="protected-folders-save"
        >
          {saving() ? t("settings.saving") : t("settings.save")}
        </button>
        <button
          type="button"
          class="btn-ghost border border-line"
          disabled={saving()}
          onClick={() => void save([...DEFAULT_CREDENTIAL_FOLDERS])}
          data-testid="protected-folders-defaults"
        >
          {t("tools.protected.defaults")}
        </button>
      </div>
    </section>
  );
}
