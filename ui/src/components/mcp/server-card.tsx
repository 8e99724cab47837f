/**
 * One MCP server's health: state, transport, PID, time to initialise, server name and version, counts
 * of tools / resources / prompts, who uses it, how it was started, the last error, the stderr tail,
 * the log (loaded when opened), its tools, and Restart / Stop / Enable-Disable / Edit / Remove; for a
 * remote server that wants OAuth, its sign-in (server-auth.tsx).
 */
import { createResource, createSignal, For, Show } from "solid-js";
import type { McpServerEntry, McpServerState } from "../../../../src/shared/mcp.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { notifyError } from "../../state/toasts.ts";
import { errorText } from "../settings/field.tsx";
import { inputOf, mcpApi } from "./mcp-api.ts";
import { ServerAuth } from "./server-auth.tsx";

const STATE_STYLE: Record<McpServerState, string> = {
  ready: "bg-ok",
  starting: "bg-warn animate-pulse",
  error: "bg-danger",
  stopped: "bg-muted",
  disabled: "bg-muted opacity-50",
};

export function stateLabel(state: McpServerState): string {
  return t(`mcp.state.${state}` as MessageKey);
}

export function StateDot(props: { state: McpServerState }) {
  return (
    <span
      class={`inline-block w-2.5 h-2.5 rounded-full shrink-0 ${STATE_STYLE[props.state]}`}
      aria-hidden="true"
    />
  );
}

export function ServerCard(props: {
  entry: McpServerEntry;
  onEdit(): void;
  onRemove(): void;
  onChanged(): void;
}) {
  const status = () => props.entry.status;
  const config = () => props.entry.config;
  const [busy, setBusy] = createSignal(false);
  const [logOpen, setLogOpen] = createSignal(false);
  const [log, { refetch: refetchLog }] = createResource(
    () => (logOpen() ? status().state + String(status().lastErrorAt ?? "") : undefined),
    () => mcpApi.log(config().name),
  );
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
      props.onChanged();
    }
  };
  const nextRestart = () => {
    const at = status().nextRestartAt;
    return at ? Math.max(0, Math.round((at - Date.now()) / 1000)) : undefined;
  };

  return (
    <article
      class="card p-4 flex flex-col gap-3"
      data-testid="mcp-server"
      data-name={config().name}
      data-state={status().state}
    >
      <header class="flex items-center gap-2 flex-wrap">
        <StateDot state={status().state} />
        <h3 class="m-0 text-base font-semibold font-mono">{config().name}</h3>
        <span class="text-sm" data-testid="mcp-state">
          {stateLabel(status().state)}
        </span>
        <span class="text-xs px-1.5 py-0.5 rounded bg-raised text-muted">
          {t(`mcp.transport.${status().transport}` as MessageKey)}
        </span>
        <div class="ml-auto flex gap-1 flex-wrap">
          <button
            type="button"
            class="btn-ghost border border-line"
            disabled={busy() || !config().enabled}
            onClick={() => act(() => mcpApi.restart(config().name))}
            data-testid="mcp-restart"
          >
            {status().state === "stopped" ? t("mcp.action.start") : t("mcp.action.restart")}
          </button>
          <Show when={status().state === "ready" || status().state === "starting"}>
            <button
              type="button"
              class="btn-ghost border border-line"
              disabled={busy()}
              onClick={() => act(() => mcpApi.stop(config().name))}
            >
              {t("mcp.action.stop")}
            </button>
          </Show>
          <button
            type="button"
            class="btn-ghost border border-line"
            disabled={busy()}
            onClick={() =>
              act(() => mcpApi.update(config().name, inputOf(props.entry, { enabled: !config().enabled })))
            }
            data-testid="mcp-toggle"
          >
            {config().enabled ? t("mcp.action.disable") : t("mcp.action.enable")}
          </button>
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={() => props.onEdit()}
            data-testid="mcp-edit"
          >
            {t("mcp.action.edit")}
          </button>
          <button
            type="button"
            class="btn-ghost border border-line text-danger"
            onClick={() => props.onRemove()}
            data-testid="mcp-remove"
          >
            {t("mcp.action.remove")}
          </button>
        </div>
      </header>

      <Show when={status().state === "error" && status().lastError}>
        <div
          class="rounded-md border border-danger/50 bg-danger/10 p-2 text-sm"
          role="alert"
          data-testid="mcp-error"
        >
          <strong class="block text-danger">{t("mcp.health.error")}</strong>
          <span class="break-words">{status().lastError}</span>
          <Show when={nextRestart() !== undefined}>
            <span class="block text-xs text-muted mt-1" data-testid="mcp-next-restart">
              {t("mcp.health.nextRestart", { seconds: nextRestart() ?? 0, attempt: status().restarts })}
            </span>
          </Show>
        </div>
      </Show>
      <Show when={status().auth}>
        {(auth) => <ServerAuth name={config().name} auth={auth()} onChanged={props.onChanged} />}
      </Show>
      <Show when={status().note}>
        <p class="m-0 text-xs text-muted" data-testid="mcp-note">
          {status().note}
        </p>
      </Show>

      <dl class="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 m-0 text-sm">
        <Show when={status().serverInfo}>
          <dt class="text-muted">{t("mcp.health.server")}</dt>
          <dd class="m-0" data-testid="mcp-server-info">
            {status().serverInfo?.name} {status().serverInfo?.version}
          </dd>
        </Show>
        <Show when={status().pid}>
          <dt class="text-muted">{t("mcp.health.pid")}</dt>
          <dd class="m-0 font-mono" data-testid="mcp-pid">
            {status().pid}
          </dd>
        </Show>
        <Show when={status().initMs !== undefined}>
          <dt class="text-muted">{t("mcp.health.initTime")}</dt>
          <dd class="m-0">{t("mcp.health.ms", { ms: status().initMs ?? 0 })}</dd>
        </Show>
        <dt class="text-muted">{t("mcp.health.counts")}</dt>
        <dd class="m-0" data-testid="mcp-counts">
          {t("mcp.health.countsValue", {
            tools: status().counts.tools,
            resources: status().counts.resources,
            prompts: status().counts.prompts,
          })}
        </dd>
        <dt class="text-muted">{t("mcp.health.usedBy")}</dt>
        <dd class="m-0">{status().usedBy.length ? status().usedBy.join(", ") : t("mcp.health.unused")}</dd>
        <dt class="text-muted">{t("mcp.health.launch")}</dt>
        <dd class="m-0 font-mono text-xs break-all">
          {status().launch ??
            (config().transport === "stdio" ? [config().command, ...config().args].join(" ") : config().url)}
        </dd>
        <Show when={status().restarts > 0}>
          <dt class="text-muted">{t("mcp.health.restarts")}</dt>
          <dd class="m-0">{status().restarts}</dd>
        </Show>
        <Show when={status().state !== "error" && status().lastError}>
          <dt class="text-muted">{t("mcp.health.lastError")}</dt>
          <dd class="m-0 text-xs break-words">{status().lastError}</dd>
        </Show>
      </dl>

      <Show when={status().stderrTail.length > 0}>
        <details>
          <summary class="text-sm cursor-pointer">
            {t("mcp.health.stderr", { count: status().stderrTail.length })}
          </summary>
          <pre class="m-0 mt-1 p-2 rounded bg-raised text-xs overflow-auto max-h-48" data-testid="mcp-stderr">
            {status().stderrTail.join("\n")}
          </pre>
        </details>
      </Show>
      <Show when={status().tools.length > 0 || status().skippedTools.length > 0}>
        <details>
          <summary class="text-sm cursor-pointer">
            {t("mcp.health.tools", { count: status().tools.length })}
          </summary>
          <ul class="m-0 mt-1 pl-5 text-sm flex flex-col gap-0.5" data-testid="mcp-tools">
            <For each={status().tools}>
              {(tool) => (
                <li>
                  <span class="font-mono">{tool.name}</span>
                  <Show when={tool.readOnly}>
                    <span class="ml-1 text-xs text-muted">({t("mcp.health.readOnly")})</span>
                  </Show>
                  <Show when={tool.description}>
                    <span class="text-muted"> — {tool.description.slice(0, 160)}</span>
                  </Show>
                </li>
              )}
            </For>
            <For each={status().skippedTools}>
              {(tool) => (
                <li class="text-danger" data-testid="mcp-skipped-tool">
                  <span class="font-mono">{tool.name}</span>: {t("mcp.health.skipped")} {tool.reason}
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
      <details
        onToggle={(event) => {
          setLogOpen(event.currentTarget.open);
          if (event.currentTarget.open) void refetchLog();
        }}
      >
        <summary class="text-sm cursor-pointer">{t("mcp.health.log")}</summary>
        <Show when={log()} fallback={<p class="m-0 text-xs text-muted">{t("mcp.health.logEmpty")}</p>}>
          <pre class="m-0 mt-1 p-2 rounded bg-raised text-xs overflow-auto max-h-64" data-testid="mcp-log">
            <For each={log()}>
              {(entry) => (
                <div
                  class={entry.level === "error" ? "text-danger" : entry.level === "warn" ? "text-warn" : ""}
                >
                  {new Date(entry.at).toLocaleTimeString()} {entry.level.padEnd(6)} {entry.text}
                </div>
              )}
            </For>
          </pre>
        </Show>
      </details>
    </article>
  );
}
