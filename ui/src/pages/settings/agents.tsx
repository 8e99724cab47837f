/**
 * Settings → Agents: the agents (default first) and the chosen one's form. New, import (a
 * sage.agent.v1 JSON or YAML file; permissions it widens beyond a new agent's defaults are shown as a
 * diff with a checkbox each, and only the ticked ones are granted), and per agent: duplicate, export (JSON or YAML), set default,
 * delete (never the last one; its chats continue with the default agent).
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { type Agent, type AgentConfig, DEFAULT_AGENT_CONFIG } from "../../../../src/shared/agent.ts";
import { fileNameFrom } from "../../../../src/shared/file-name.ts";
import type { AgentImportPreview } from "../../../../src/shared/permissions.ts";
import { chooseFiles } from "../../actions/open-files.ts";
import { saveFromUrl } from "../../actions/save-file.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { AgentForm } from "../../components/settings/agent-form.tsx";
import { errorText, SectionHeader } from "../../components/settings/field.tsx";
import { PermissionReview } from "../../components/settings/permission-review.tsx";
import { agentsApi, providersApi } from "../../components/settings/settings-api.ts";
import { t } from "../../i18n/index.ts";
import { importFailureText } from "../../lib/import-failure.ts";
import { agents, loadAgents } from "../../state/agents.ts";
import { notify, notifyError } from "../../state/toasts.ts";

/** The agent file formats offered for export, in button order. */
const EXPORT_FORMATS = ["json", "yaml"] as const;

type Selection = { kind: "agent"; id: string } | { kind: "new" } | undefined;

export function AgentsSettings() {
  const [providers] = createResource(() =>
    providersApi
      .list()
      .then((result) => result.providers)
      .catch(() => []),
  );
  const [tools] = createResource(() => agentsApi.tools());
  const [skills] = createResource(() => agentsApi.skills());
  const [chosen, setSelection] = createSignal<Selection>();
  /** What the user chose, else the default agent (the page opens on it rather than on an empty pane). */
  const selection = (): Selection | undefined => {
    const current = chosen();
    if (current) return current;
    const fallback = agents.list.find((agent) => agent.isDefault) ?? agents.list[0];
    return fallback ? { kind: "agent", id: fallback.id } : undefined;
  };
  const [deleting, setDeleting] = createSignal<Agent>();
  /** An agent file waiting for the user's review of the permissions it widens. */
  const [review, setReview] = createSignal<{
    content: string;
    fileName: string;
    preview: AgentImportPreview;
  }>();
  const [accepted, setAccepted] = createSignal<string[]>([]);
  let importInput!: HTMLInputElement;

  const selected = () => {
    const current = selection();
    return current?.kind === "agent" ? agents.list.find((agent) => agent.id === current.id) : undefined;
  };
  const takenNames = (except?: string) =>
    agents.list.filter((agent) => agent.id !== except).map((agent) => agent.config.name);

  const act = async (action: () => Promise<unknown>, done?: string) => {
    try {
      await action();
      if (done) notify(done);
    } catch (error) {
      notifyError(errorText(error));
    }
    await loadAgents();
  };

  /** Import `content`, granting the widened permissions in `accept`; says what happened. */
  const finishImport = async (content: string, fileName: string, accept: string[]) => {
    try {
      const result = await agentsApi.importFile(content, fileName, accept);
      await loadAgents();
      setSelection({ kind: "agent", id: result.agent.id });
      notify(
        result.renamedFrom
          ? t("settings.agents.importedRenamed", { name: result.agent.config.name, from: result.renamedFrom })
          : t("settings.agents.imported", { name: result.agent.config.name }),
      );
      if (result.withheld.length > 0) {
        notify(t("settings.permissions.withheld", { count: result.withheld.length }), { timeoutMs: 10_000 });
      }
      for (const warning of result.warnings) notify(warning, { timeoutMs: 10_000 });
    } catch (error) {
      notifyError(importFailureText(fileName, errorText(error)));
    }
  };

  /** Preview first: a file that widens permissions waits for the user's review; others import at once. */
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const content = await file.text();
      const preview = await agentsApi.previewImport(content, file.name);
      if (preview.widened.length === 0) await finishImport(content, file.name, []);
      else {
        setAccepted([]);
        setReview({ content, fileName: file.name, preview });
      }
    } catch (error) {
      notifyError(importFailureText(file.name, errorText(error)));
    } finally {
      importInput.value = "";
    }
  };

  const save = async (config: AgentConfig) => {
    const current = selection();
    const saved =
      current?.kind === "agent" ? await agentsApi.update(current.id, config) : await agentsApi.create(config);
    await loadAgents();
    setSelection({ kind: "agent", id: saved.id });
    notify(t("settings.agents.saved", { name: saved.config.name }));
  };

  return (
    <div class="max-w-5xl" data-testid="settings-agents">
      <SectionHeader
        title={t("settings.agents.title")}
        description={t("settings.agents.description")}
        actions={
          <>
            <button
              type="button"
              class="btn-ghost border border-line"
              onClick={() =>
                void chooseFiles(
                  importInput,
                  {
                    title: t("settings.agents.import"),
                    filters: [{ name: "JSON / YAML", patterns: ["*.json", "*.yaml", "*.yml"] }],
                  },
                  ([file]) => void importFile(file),
                )
              }
              data-testid="agent-import"
            >
              {t("settings.agents.import")}
            </button>
            <input
              ref={importInput}
              type="file"
              accept=".json,.yaml,.yml,application/json,application/yaml"
              class="hidden"
              onChange={(event) => void importFile(event.currentTarget.files?.[0])}
              data-testid="agent-import-file"
            />
            <button
              type="button"
              class="btn-primary"
              onClick={() => setSelection({ kind: "new" })}
              data-testid="agent-new"
            >
              {t("settings.agents.new")}
            </button>
          </>
        }
      />
      <div class="grid gap-4 md:grid-cols-[16rem_1fr]">
        <ul
          class="list-none p-0 m-0 flex flex-col gap-1"
          data-testid="agent-list"
          aria-label={t("settings.agents.title")}
        >
          <For each={agents.list}>
            {(agent) => (
              <li>
                <button
                  type="button"
                  class={`w-full text-left rounded-md px-2 py-1.5 flex items-center gap-2 ${selected()?.id === agent.id ? "bg-raised" : "hover:bg-raised"}`}
                  aria-current={selected()?.id === agent.id ? "true" : undefined}
                  onClick={() => setSelection({ kind: "agent", id: agent.id })}
                  data-testid="agent-row"
                  data-agent-id={agent.id}
                >
                  <span aria-hidden="true">{agent.config.emoji || "🌿"}</span>
                  <span class="truncate flex-1">{agent.config.name}</span>
                  <Show when={agent.isDefault}>
                    <span class="text-xs text-accent">{t("settings.default")}</span>
                  </Show>
                </button>
              </li>
            )}
          </For>
        </ul>

        <div class="min-w-0">
          <Show when={selection()?.kind === "new"}>
            <section class="card p-4" aria-label={t("settings.agents.new")}>
              <h3 class="text-base font-semibold m-0 mb-3">{t("settings.agents.new")}</h3>
              <AgentForm
                initial={{ ...DEFAULT_AGENT_CONFIG, name: "", description: "" }}
                providers={providers() ?? []}
                tools={tools()}
                skills={skills()}
                takenNames={takenNames()}
                onSave={save}
                onCancel={() => setSelection(undefined)}
              />
            </section>
          </Show>
          <Show when={selected()} keyed>
            {(agent) => (
              <section class="card p-4" aria-label={agent.config.name}>
                <div class="flex flex-wrap items-center gap-1 mb-3">
                  <h3 class="text-base font-semibold m-0 mr-auto">
                    {agent.config.emoji} {agent.config.name}
                  </h3>
                  <Show when={!agent.isDefault}>
                    <button
                      type="button"
                      class="btn-ghost text-xs"
                      onClick={() => void act(() => agentsApi.setDefault(agent.id))}
                      data-testid="agent-set-default"
                    >
                      {t("settings.setDefault")}
                    </button>
                  </Show>
                  <button
                    type="button"
                    class="btn-ghost text-xs"
                    onClick={() =>
                      void act(async () => {
                        const copy = await agentsApi.duplicate(agent.id);
                        setSelection({ kind: "agent", id: copy.id });
                      }, t("settings.agents.duplicated"))
                    }
                    data-testid="agent-duplicate"
                  >
                    {t("settings.agents.duplicate")}
                  </button>
                  <For each={EXPORT_FORMATS}>
                    {(format) => (
                      <button
                        type="button"
                        class="btn-ghost text-xs"
                        onClick={() =>
                          void saveFromUrl(
                            agentsApi.exportUrl(agent.id, format),
                            fileNameFrom(agent.config.name, `sage-agent.${format}`, "agent"),
                          )
                        }
                        data-testid={`agent-export-${format}`}
                      >
                        {t(format === "json" ? "settings.agents.exportJson" : "settings.agents.exportYaml")}
                      </button>
                    )}
                  </For>
                  <button
                    type="button"
                    class="btn-ghost text-xs text-danger"
                    disabled={agents.list.length <= 1}
                    title={agents.list.length <= 1 ? t("settings.agents.lastOne") : undefined}
                    onClick={() => setDeleting(agent)}
                    data-testid="agent-delete"
                  >
                    {t("settings.delete")}
                  </button>
                </div>
                <AgentForm
                  agent={agent}
                  initial={agent.config}
                  providers={providers() ?? []}
                  tools={tools()}
                  skills={skills()}
                  takenNames={takenNames(agent.id)}
                  onSave={save}
                  onCancel={() => setSelection(undefined)}
                />
              </section>
            )}
          </Show>
          <Show when={!selection()}>
            <p class="text-sm text-muted m-0">{t("settings.agents.pick")}</p>
          </Show>
        </div>
      </div>

      <ConfirmDialog
        testId="agent-import-review"
        open={review() !== undefined}
        title={t("settings.agents.reviewTitle", { name: review()?.preview.name ?? "" })}
        description={
          <div class="flex flex-col gap-3 max-h-[60vh] overflow-auto">
            <p class="m-0">{t("settings.agents.reviewBody")}</p>
            <PermissionReview
              permissions={review()?.preview.widened ?? []}
              accepted={accepted()}
              onChange={setAccepted}
            />
          </div>
        }
        confirmLabel={t("settings.agents.reviewImport")}
        onCancel={() => setReview(undefined)}
        onConfirm={() => {
          const pending = review();
          setReview(undefined);
          if (pending) void finishImport(pending.content, pending.fileName, accepted());
        }}
      />
      <ConfirmDialog
        danger
        testId="settings-confirm"
        open={deleting() !== undefined}
        title={t("settings.agents.deleteTitle", { name: deleting()?.config.name ?? "" })}
        description={t("settings.agents.deleteBody")}
        confirmLabel={t("settings.delete")}
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const target = deleting();
          setDeleting(undefined);
          if (!target) return;
          void act(
            async () => {
              await agentsApi.remove(target.id);
              setSelection(undefined);
            },
            t("settings.agents.deleted", { name: target.config.name }),
          );
        }}
      />
    </div>
  );
}
