/**
 * Settings → MCP servers: every server with its health (refreshed every second while the page is
 * open), adding one by hand or by pasting Claude Desktop / Claude Code JSON, a project's `.mcp.json`
 * offered (never started before the user adds it), edit, remove. Which agent uses which server is
 * chosen in Settings → Agents.
 */
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { McpParseResult, McpServerEntry, McpServerInput } from "../../../../src/shared/mcp.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { mcpApi } from "../../components/mcp/mcp-api.ts";
import { PastePanel } from "../../components/mcp/paste-panel.tsx";
import { ServerCard } from "../../components/mcp/server-card.tsx";
import { ServerForm } from "../../components/mcp/server-form.tsx";
import { errorText, SectionHeader } from "../../components/settings/field.tsx";
import { t } from "../../i18n/index.ts";
import { agents, loadAgents } from "../../state/agents.ts";
import { notify, notifyError } from "../../state/toasts.ts";

type Panel =
  | { kind: "none" }
  | { kind: "add" }
  | { kind: "edit"; name: string }
  | { kind: "paste"; initial?: McpParseResult & { source: string } };

const POLL_MS = 1000;

export function McpSettings() {
  // A store reconciled by name: polling updates the cards in place (open details stay open).
  const [state, setState] = createStore<{
    list: (McpServerEntry & { name: string })[];
    loaded: boolean;
    error?: string;
  }>({
    list: [],
    loaded: false,
  });
  const refetch = async () => {
    try {
      const list = await mcpApi.list();
      setState(
        "list",
        reconcile(
          list.map((entry) => ({ name: entry.config.name, ...entry })),
          { key: "name" },
        ),
      );
      setState({ loaded: true, error: undefined });
    } catch (error) {
      setState("error", errorText(error));
    }
  };
  void refetch();
  const servers = () => (state.loaded ? state.list : undefined);
  const [panel, setPanel] = createSignal<Panel>({ kind: "none" });
  const [removing, setRemoving] = createSignal<string>();
  const timer = setInterval(() => void refetch(), POLL_MS);
  onCleanup(() => clearInterval(timer));

  // A .mcp.json in an agent's workspace is only offered: nothing runs before the user adds it.
  const [projects] = createResource(async () => {
    if (!agents.loaded) await loadAgents();
    const found = await Promise.all(
      agents.list.map(async (agent) => ({
        agent,
        project: await mcpApi.project(agent.id).catch(() => undefined),
      })),
    );
    return found.filter(
      ({ project }) =>
        project?.path && project.servers.some((server) => !project.existing.includes(server.name)),
    );
  });

  const names = () => (servers() ?? []).map((entry) => entry.config.name);
  const entryNamed = (name: string) => servers()?.find((entry) => entry.config.name === name);

  const saveNew = async (input: McpServerInput) => {
    const created = await mcpApi.create(input);
    setPanel({ kind: "none" });
    notify(t("mcp.added", { name: created.config.name }));
    await refetch();
  };
  const saveEdit = (name: string) => async (input: McpServerInput) => {
    await mcpApi.update(name, input);
    setPanel({ kind: "none" });
    notify(t("mcp.saved", { name }));
    await refetch();
  };
  const remove = async () => {
    const name = removing();
    if (!name) return;
    try {
      await mcpApi.remove(name);
      notify(t("mcp.removed", { name }));
    } catch (error) {
      notifyError(errorText(error));
    }
    setRemoving(undefined);
    await refetch();
  };

  return (
    <div class="max-w-4xl" data-testid="settings-mcp">
      <SectionHeader
        title={t("mcp.title")}
        description={t("mcp.description")}
        actions={
          <>
            <button
              type="button"
              class="btn-ghost border border-line"
              onClick={() => setPanel({ kind: "paste" })}
              data-testid="mcp-paste-open"
            >
              {t("mcp.pasteJson")}
            </button>
            <button
              type="button"
              class="btn-primary"
              onClick={() => setPanel({ kind: "add" })}
              data-testid="mcp-add"
            >
              {t("mcp.add")}
            </button>
          </>
        }
      />
      <p class="m-0 mb-4 text-xs text-muted max-w-prose" data-testid="mcp-trust-note">
        {t("mcp.trustNote")}
      </p>

      <For each={projects() ?? []}>
        {({ agent, project }) => (
          <div class="card p-3 mb-4 flex items-center gap-3 text-sm" data-testid="mcp-project-offer">
            <span class="flex-1">
              {t("mcp.project.offer", {
                agent: agent.config.name,
                count: project?.servers.length ?? 0,
                names: (project?.servers ?? []).map((server) => server.name).join(", "),
              })}
            </span>
            <button
              type="button"
              class="btn-ghost border border-line"
              onClick={() =>
                project?.path &&
                setPanel({
                  kind: "paste",
                  initial: { servers: project.servers, problems: project.problems, source: project.path },
                })
              }
              data-testid="mcp-project-review"
            >
              {t("mcp.project.review")}
            </button>
          </div>
        )}
      </For>

      <Show when={panel().kind === "add"}>
        <ServerForm onSave={saveNew} onCancel={() => setPanel({ kind: "none" })} />
      </Show>
      <Show when={panel().kind === "paste"}>
        <PastePanel
          existing={names()}
          initial={(panel() as Extract<Panel, { kind: "paste" }>).initial}
          onAdded={(added) => {
            setPanel({ kind: "none" });
            notify(t("mcp.pasteAdded", { count: added.length, names: added.join(", ") }));
            void refetch();
          }}
          onCancel={() => setPanel({ kind: "none" })}
        />
      </Show>

      <Show when={state.error}>
        <p class="text-danger text-sm" role="alert">
          {state.error}
        </p>
      </Show>
      <Show when={servers() && servers()?.length === 0 && panel().kind === "none"}>
        <p class="text-muted text-sm" data-testid="mcp-empty">
          {t("mcp.empty")}
        </p>
      </Show>
      <div class="flex flex-col gap-3">
        <For each={servers() ?? []}>
          {(entry: McpServerEntry) => (
            <Show
              when={panel().kind === "edit" && (panel() as { name: string }).name === entry.config.name}
              fallback={
                <ServerCard
                  entry={entry}
                  onEdit={() => setPanel({ kind: "edit", name: entry.config.name })}
                  onRemove={() => setRemoving(entry.config.name)}
                  onChanged={() => void refetch()}
                />
              }
            >
              <ServerForm
                entry={entryNamed(entry.config.name)}
                onSave={saveEdit(entry.config.name)}
                onCancel={() => setPanel({ kind: "none" })}
              />
            </Show>
          )}
        </For>
      </div>
      <ConfirmDialog
        open={removing() !== undefined}
        title={t("mcp.removeTitle", { name: removing() ?? "" })}
        description={t("mcp.removeText")}
        confirmLabel={t("mcp.action.remove")}
        danger
        onConfirm={remove}
        onCancel={() => setRemoving(undefined)}
        testId="mcp-remove-confirm"
      />
    </div>
  );
}
