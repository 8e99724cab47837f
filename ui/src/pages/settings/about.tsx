/**
 * Settings → About: version, where Sage keeps its files and keys, open the logs folder, export a
 * diagnostics bundle (.zip) with every secret removed, for bug reports, and the database backups.
 */
import { createResource, For, Show } from "solid-js";
import { saveFromUrl } from "../../actions/save-file.ts";
import { BackupsPanel } from "../../components/settings/backups-panel.tsx";
import { errorText, SectionHeader } from "../../components/settings/field.tsx";
import { KeyStorageNotice } from "../../components/settings/key-storage-notice.tsx";
import { type AppPaths, settingsApi } from "../../components/settings/settings-api.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { notifyError } from "../../state/toasts.ts";

const ROWS: { key: keyof AppPaths; label: MessageKey }[] = [
  { key: "home", label: "settings.about.dataFolder" },
  { key: "database", label: "settings.about.database" },
  { key: "config", label: "settings.about.config" },
  { key: "logs", label: "settings.about.logs" },
  { key: "workspaces", label: "settings.about.workspaces" },
  { key: "skills", label: "settings.about.skills" },
];

export function AboutSettings() {
  const [paths] = createResource(() => settingsApi.paths());
  const open = (folder: "logs" | "data") =>
    void settingsApi.openFolder(folder).catch((error) => notifyError(errorText(error)));

  return (
    <div class="max-w-3xl flex flex-col gap-5" data-testid="settings-about">
      <SectionHeader title={t("settings.about.title")} description={t("settings.about.description")} />
      <Show when={paths.error}>
        <p class="text-danger text-sm" role="alert">
          {errorText(paths.error)}
        </p>
      </Show>
      <Show when={paths()}>
        {(info) => (
          <>
            <p class="m-0 text-sm" data-testid="about-settings-version">
              {t("settings.about.version", { version: info().version, mode: info().mode })}
            </p>
            <KeyStorageNotice storage={info().keyStorage} />
            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm m-0">
              <For each={ROWS}>
                {(row) => (
                  <>
                    <dt class="text-muted">{t(row.label)}</dt>
                    <dd class="m-0 font-mono text-xs break-all self-center" data-testid={`path-${row.key}`}>
                      {String(info()[row.key] ?? "—")}
                    </dd>
                  </>
                )}
              </For>
            </dl>
          </>
        )}
      </Show>
      <div class="flex flex-wrap gap-2">
        <button
          type="button"
          class="btn-ghost border border-line"
          onClick={() => open("logs")}
          data-testid="open-logs"
        >
          {t("settings.about.openLogs")}
        </button>
        <button
          type="button"
          class="btn-ghost border border-line"
          onClick={() => open("data")}
          data-testid="open-data"
        >
          {t("settings.openFolder")}
        </button>
        <button
          type="button"
          class="btn-primary"
          onClick={() => void saveFromUrl(settingsApi.diagnosticsUrl, "sage-diagnostics.zip")}
          data-testid="export-diagnostics"
        >
          {t("settings.about.diagnostics")}
        </button>
      </div>
      <p class="m-0 text-xs text-muted">{t("settings.about.diagnosticsHint")}</p>
      <BackupsPanel />
    </div>
  );
}
