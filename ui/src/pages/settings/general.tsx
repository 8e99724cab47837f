/**
 * Settings → General: language, theme, the agent's browser (shown or headless), the data folder (with
 * a button to open it), and moving settings between machines (export everything but secrets as one
 * file; import such a file — checked completely first, nothing changes if it is bad; agent permissions
 * it would widen are reviewed first and only the ticked ones granted).
 */
import { createResource, createSignal, For, Show } from "solid-js";
import type { SettingsImportPreview } from "../../../../src/shared/permissions.ts";
import type { BrowserMode, LanguageChoice, ThemeChoice } from "../../../../src/shared/settings.ts";
import { pickAndImportChat } from "../../actions/import-chat.ts";
import { chooseFiles } from "../../actions/open-files.ts";
import { saveFromUrl } from "../../actions/save-file.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { DesktopSettings } from "../../components/settings/desktop-settings.tsx";
import { errorText, Field, SectionHeader, Toggle } from "../../components/settings/field.tsx";
import { PermissionReview } from "../../components/settings/permission-review.tsx";
import { type SettingsImportResult, settingsApi } from "../../components/settings/settings-api.ts";
import {
  applyServerAppearance,
  chooseLanguage,
  chooseTheme,
  languageChoice,
} from "../../components/settings/settings-sync.ts";
import { WebSearchSettings } from "../../components/settings/web-search-settings.tsx";
import { t } from "../../i18n/index.ts";
import { importFailureText } from "../../lib/import-failure.ts";
import { theme } from "../../lib/theme.ts";
import { loadAgents } from "../../state/agents.ts";
import { notify, notifyError } from "../../state/toasts.ts";

const LANGUAGES: { value: LanguageChoice; label: string }[] = [
  { value: "system", label: "settings.general.languageSystem" },
  { value: "en", label: "English" },
  { value: "zh", label: "中文" },
];
const THEMES: ThemeChoice[] = ["system", "light", "dark"];
const BROWSER_MODES: BrowserMode[] = ["auto", "headed", "headless"];

export function GeneralSettings() {
  const [settings, { mutate }] = createResource(() => settingsApi.get());
  const [paths] = createResource(() => settingsApi.paths());
  const [language, setLanguage] = createSignal<LanguageChoice>(languageChoice());
  const [importResult, setImportResult] = createSignal<SettingsImportResult>();
  const [importError, setImportError] = createSignal<string>();
  /** A settings file waiting for the user's review of the agent permissions it widens. */
  const [review, setReview] = createSignal<{
    content: string;
    fileName: string;
    agents: SettingsImportPreview["agents"];
    servers: SettingsImportPreview["mcpServers"];
  }>();
  const [accepted, setAccepted] = createSignal<Record<string, string[]>>({});
  /** Widening ids (`mcpServerDefinition:<name>`) of the MCP server definitions ticked. */
  const [acceptedServers, setAcceptedServers] = createSignal<string[]>([]);
  let importInput!: HTMLInputElement;

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      notifyError(errorText(error));
    }
  };

  /** Import `content`, granting each agent the widened permissions ticked for it. */
  const finishImport = async (
    content: string,
    fileName: string,
    accept: Record<string, string[]>,
    servers: string[] = [],
  ) => {
    try {
      const result = await settingsApi.importFile(content, accept, servers);
      setImportResult(result);
      const settings = await settingsApi.get();
      mutate(settings);
      applyServerAppearance(settings);
      setLanguage(languageChoice());
      await loadAgents();
      notify(t("settings.portable.imported"));
    } catch (error) {
      setImportError(importFailureText(fileName, errorText(error)));
    }
  };

  /** Preview first: agents that would widen permissions wait for the user's review. */
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImportResult(undefined);
    setImportError(undefined);
    try {
      const content = await file.text();
      const preview = await settingsApi.previewImport(content);
      const widening = preview.agents.filter((agent) => agent.widened.length > 0);
      const servers = preview.mcpServers.filter((server) => server.widened.length > 0);
      if (widening.length === 0 && servers.length === 0) await finishImport(content, file.name, {});
      else {
        setAccepted({});
        setAcceptedServers([]);
        setReview({ content, fileName: file.name, agents: widening, servers });
      }
    } catch (error) {
      setImportError(importFailureText(file.name, errorText(error)));
    } finally {
      importInput.value = "";
    }
  };

  return (
    <div class="max-w-2xl flex flex-col gap-6" data-testid="settings-general">
      <ConfirmDialog
        testId="settings-import-review"
        open={review() !== undefined}
        title={t("settings.portable.reviewTitle")}
        description={
          <div class="flex flex-col gap-3 max-h-[60vh] overflow-auto">
            <p class="m-0">{t("settings.portable.reviewBody")}</p>
            <For each={review()?.agents ?? []}>
              {(agent) => (
                <section class="flex flex-col gap-1" aria-label={agent.name}>
                  <h4 class="m-0 text-sm font-semibold">
                    {t(
                      agent.existing
                        ? "settings.portable.reviewAgentUpdated"
                        : "settings.portable.reviewAgentNew",
                      {
                        name: agent.name,
                      },
                    )}
                  </h4>
                  <PermissionReview
                    testId={`permission-review-${agent.name}`}
                    permissions={agent.widened}
                    existing={agent.existing}
                    accepted={accepted()[agent.name] ?? []}
                    onChange={(ids) => setAccepted({ ...accepted(), [agent.name]: ids })}
                  />
                </section>
              )}
            </For>
            <Show when={(review()?.servers.length ?? 0) > 0}>
              <section class="flex flex-col gap-1" aria-label={t("settings.portable.reviewServers")}>
                <h4 class="m-0 text-sm font-semibold">{t("settings.portable.reviewServers")}</h4>
                <PermissionReview
                  testId="permission-review-mcp-servers"
                  permissions={(review()?.servers ?? []).flatMap((server) => server.widened)}
                  accepted={acceptedServers()}
                  onChange={setAcceptedServers}
                />
              </section>
            </Show>
          </div>
        }
        confirmLabel={t("settings.portable.reviewImport")}
        onCancel={() => setReview(undefined)}
        onConfirm={() => {
          const pending = review();
          setReview(undefined);
          const servers = acceptedServers().map((id) => id.replace(/^mcpServerDefinition:/, ""));
          if (pending) void finishImport(pending.content, pending.fileName, accepted(), servers);
        }}
      />
      <SectionHeader title={t("settings.general.title")} />
      <div class="grid gap-4 sm:grid-cols-2">
        <Field id="setting-language" label={t("settings.general.language")}>
          <select
            id="setting-language"
            class="input"
            value={language()}
            onChange={(event) => {
              const value = event.currentTarget.value as LanguageChoice;
              setLanguage(value);
              void run(() => chooseLanguage(value));
            }}
            data-testid="setting-language"
          >
            <For each={LANGUAGES}>
              {(option) => (
                <option value={option.value}>
                  {option.value === "system" ? t("settings.general.languageSystem") : option.label}
                </option>
              )}
            </For>
          </select>
        </Field>
        <Field id="setting-theme" label={t("settings.general.theme")}>
          <select
            id="setting-theme"
            class="input"
            value={theme()}
            onChange={(event) => void run(() => chooseTheme(event.currentTarget.value as ThemeChoice))}
            data-testid="setting-theme"
          >
            <For each={THEMES}>
              {(value) => <option value={value}>{t(`settings.general.theme.${value}`)}</option>}
            </For>
          </select>
        </Field>
        <Field
          id="setting-browser"
          label={t("settings.general.browser")}
          hint={t("settings.general.browserHint")}
        >
          <select
            id="setting-browser"
            class="input"
            value={settings()?.browserMode ?? "auto"}
            onChange={(event) =>
              void run(async () =>
                mutate(await settingsApi.update({ browserMode: event.currentTarget.value as BrowserMode })),
              )
            }
            data-testid="setting-browser"
          >
            <For each={BROWSER_MODES}>
              {(value) => <option value={value}>{t(`settings.general.browser.${value}`)}</option>}
            </For>
          </select>
        </Field>
      </div>
      <Toggle
        id="setting-web-fetch-local"
        label={t("settings.general.webFetchLocal")}
        hint={t("settings.general.webFetchLocalHint")}
        checked={settings()?.webFetchLocal ?? false}
        onChange={(checked) =>
          void run(async () => mutate(await settingsApi.update({ webFetchLocal: checked })))
        }
        testId="setting-web-fetch-local"
      />
      <WebSearchSettings settings={settings()} onChange={(next) => mutate(next)} />
      <DesktopSettings
        settings={settings()}
        update={(patch) => void run(async () => mutate(await settingsApi.update(patch)))}
        onError={(error) => notifyError(errorText(error))}
      />

      <section class="flex flex-col gap-2">
        <h3 class="text-base font-semibold m-0">{t("settings.general.dataFolder")}</h3>
        <p class="m-0 text-xs text-muted">{t("settings.general.dataFolderHint")}</p>
        <div class="flex items-center gap-2">
          <code class="input bg-panel flex-1 break-all" data-testid="data-folder">
            {paths()?.home ?? "…"}
          </code>
          <button
            type="button"
            class="btn-ghost border border-line shrink-0"
            onClick={() => void run(() => settingsApi.openFolder("data"))}
            data-testid="open-data-folder"
          >
            {t("settings.openFolder")}
          </button>
        </div>
      </section>

      <section class="flex flex-col gap-2">
        <h3 class="text-base font-semibold m-0">{t("chats.title")}</h3>
        <p class="m-0 text-xs text-muted">{t("chats.importHint")}</p>
        <div>
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={pickAndImportChat}
            data-testid="chat-import"
          >
            {t("chats.import")}
          </button>
        </div>
      </section>

      <section class="flex flex-col gap-2">
        <h3 class="text-base font-semibold m-0">{t("settings.portable.title")}</h3>
        <p class="m-0 text-xs text-muted">{t("settings.portable.description")}</p>
        <div class="flex gap-2">
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={() => void saveFromUrl(settingsApi.exportUrl, "sage-settings.json")}
            data-testid="settings-export"
          >
            {t("settings.portable.export")}
          </button>
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={() =>
              void chooseFiles(
                importInput,
                { title: t("settings.portable.import"), filters: [{ name: "JSON", patterns: ["*.json"] }] },
                ([file]) => void importFile(file),
              )
            }
            data-testid="settings-import"
          >
            {t("settings.portable.import")}
          </button>
          <input
            ref={importInput}
            type="file"
            accept=".json,application/json"
            class="hidden"
            onChange={(event) => void importFile(event.currentTarget.files?.[0])}
            data-testid="settings-import-file"
          />
        </div>
        <Show when={importError()}>
          <p class="m-0 text-sm text-danger" role="alert" data-testid="settings-import-error">
            {importError()}
          </p>
        </Show>
        <Show when={importResult()}>
          {(result) => (
            <div class="card p-3 text-sm" role="status" data-testid="settings-import-result">
              <p class="m-0">
                {t("settings.portable.summary", {
                  providers: result().providers.created.length + result().providers.updated.length,
                  agents: result().agents.created.length + result().agents.updated.length,
                  variables: result().environment,
                })}
              </p>
              <Show when={result().needKeys.length > 0}>
                <p class="m-0 mt-1 text-warn">
                  {t("settings.portable.needKeys", { names: result().needKeys.join(", ") })}
                </p>
              </Show>
              <For each={result().warnings}>
                {(warning) => <p class="m-0 mt-1 text-xs text-muted">{warning}</p>}
              </For>
              <Show when={result().mcpServers.needSecrets.length > 0}>
                <p class="m-0 mt-1 text-warn" data-testid="settings-import-mcp-secrets">
                  {t("settings.portable.mcpNeedSecrets", {
                    servers: result()
                      .mcpServers.needSecrets.map((entry) => `${entry.server} (${entry.names.join(", ")})`)
                      .join("; "),
                  })}
                </p>
              </Show>
              <Show when={result().mcpServers.withheld.length > 0}>
                <p class="m-0 mt-1 text-xs text-muted" data-testid="settings-import-mcp-withheld">
                  {t("settings.portable.mcpWithheld", { servers: result().mcpServers.withheld.join(", ") })}
                </p>
              </Show>
              <Show when={result().withheld.length > 0}>
                <p class="m-0 mt-1 text-xs text-muted" data-testid="settings-import-withheld">
                  {t("settings.portable.withheld", {
                    agents: result()
                      .withheld.map((entry) => `${entry.agent} (${entry.permissions.length})`)
                      .join(", "),
                  })}
                </p>
              </Show>
            </div>
          )}
        </Show>
      </section>
    </div>
  );
}
