/**
 * The audit log of tool runs, newest first: time, tool, how it was allowed, how it ended, a summary,
 * and a link to the session (runs from the Tools page have none). Filter by tool or session; older
 * entries load a page at a time.
 */
import { createSignal, For, onMount, Show } from "solid-js";
import type { AuditEntry, ToolInfo } from "../../../../src/shared/tools-api.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";
import { TableHead } from "../table-head.tsx";
import { formatTime, statusTone } from "./tool-labels.tsx";
import { type AuditFilter, toolsApi } from "./tools-api.ts";

const PAGE_SIZE = 50;

const DECISION_KEYS: Record<string, MessageKey> = {
  allowed: "tools.audit.decision.allowed",
  "approved-once": "tools.audit.decision.approvedOnce",
  "approved-session": "tools.audit.decision.approvedSession",
  "approved-always": "tools.audit.decision.approvedAlways",
  "approved-remembered": "tools.audit.decision.approvedRemembered",
  denied: "tools.audit.decision.denied",
  "policy-denied": "tools.audit.decision.policyDenied",
  stopped: "tools.audit.decision.stopped",
  manual: "tools.audit.decision.manual",
  none: "tools.audit.decision.none",
};

const STATUS_KEYS: Record<string, MessageKey> = {
  completed: "tools.audit.status.completed",
  error: "tools.audit.status.error",
  denied: "tools.audit.status.denied",
  stopped: "tools.audit.status.stopped",
};

function label(keys: Record<string, MessageKey>, value: string): string {
  const key = keys[value];
  return key ? t(key) : value;
}

export function AuditLog(props: { tools: ToolInfo[] }) {
  const [entries, setEntries] = createSignal<AuditEntry[]>([]);
  const [nextBefore, setNextBefore] = createSignal<string>();
  const [loading, setLoading] = createSignal(false);
  const [failure, setFailure] = createSignal("");
  const [tool, setTool] = createSignal("");
  const [sessionId, setSessionId] = createSignal("");

  const filter = (): AuditFilter => ({
    tool: tool() || undefined,
    sessionId: sessionId().trim() || undefined,
  });

  const load = async (more: boolean) => {
    setLoading(true);
    setFailure("");
    try {
      const page = await toolsApi.audit(filter(), PAGE_SIZE, more ? nextBefore() : undefined);
      setEntries((current) => (more ? [...current, ...page.entries] : page.entries));
      setNextBefore(page.nextBefore);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load(false));

  return (
    <section class="flex flex-col gap-2" aria-labelledby="audit-title" data-testid="audit-section">
      <div class="flex items-center gap-2">
        <h3 id="audit-title" class="m-0 text-base font-semibold">
          {t("tools.audit.title")}
        </h3>
        <button
          type="button"
          class="btn-ghost py-1 ml-auto"
          onClick={() => void load(false)}
          disabled={loading()}
          data-testid="audit-refresh"
        >
          {t("tools.audit.refresh")}
        </button>
      </div>
      <form
        class="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          void load(false);
        }}
        aria-label={t("tools.audit.filters")}
      >
        <label class="text-xs text-muted flex flex-col gap-1">
          {t("tools.audit.filterTool")}
          <select
            class="input py-1 w-48"
            value={tool()}
            onChange={(event) => {
              setTool(event.currentTarget.value);
              void load(false);
            }}
            data-testid="audit-filter-tool"
          >
            <option value="">{t("tools.audit.allTools")}</option>
            <For each={props.tools}>{(entry) => <option value={entry.name}>{entry.name}</option>}</For>
          </select>
        </label>
        <label class="text-xs text-muted flex flex-col gap-1">
          {t("tools.audit.filterSession")}
          <input
            class="input py-1 w-64 font-mono"
            value={sessionId()}
            onInput={(event) => setSessionId(event.currentTarget.value)}
            placeholder="ses_…"
            data-testid="audit-filter-session"
          />
        </label>
        <button type="submit" class="btn-ghost py-1">
          {t("tools.audit.apply")}
        </button>
      </form>
      <Show when={failure()}>
        <p class="m-0 text-sm text-danger" role="alert">
          {failure()}
        </p>
      </Show>
      <Show when={!loading() && entries().length === 0 && !failure()}>
        <p class="m-0 text-sm text-muted" data-testid="audit-empty">
          {t("tools.audit.none")}
        </p>
      </Show>
      <Show when={entries().length > 0}>
        <div class="overflow-x-auto">
          <table class="w-full text-sm border-collapse" data-testid="audit-table">
            <TableHead
              columns={[
                { label: t("tools.audit.time") },
                { label: t("tools.audit.tool") },
                { label: t("tools.audit.decision") },
                { label: t("tools.audit.status") },
                { label: t("tools.audit.summary") },
                { label: t("tools.audit.session") },
              ]}
            />
            <tbody>
              <For each={entries()}>
                {(entry) => (
                  <tr class="border-b border-line align-top" data-testid="audit-row">
                    <td class="py-1.5 pr-3 whitespace-nowrap text-muted">{formatTime(entry.startedAt)}</td>
                    <td class="py-1.5 pr-3 font-mono">{entry.tool}</td>
                    <td class={`py-1.5 pr-3 whitespace-nowrap ${statusTone(entry.decision)}`}>
                      {label(DECISION_KEYS, entry.decision)}
                    </td>
                    <td class={`py-1.5 pr-3 whitespace-nowrap ${statusTone(entry.status)}`}>
                      {label(STATUS_KEYS, entry.status)}
                    </td>
                    <td class="py-1.5 pr-3 max-w-96">
                      <p class="m-0 text-xs line-clamp-2 break-all" title={entry.summary}>
                        {entry.summary}
                      </p>
                    </td>
                    <td class="py-1.5 whitespace-nowrap">
                      <Show
                        when={entry.sessionId}
                        fallback={<span class="text-xs text-muted">{t("tools.audit.manual")}</span>}
                      >
                        <a
                          href={`/s/${encodeURIComponent(entry.sessionId)}`}
                          onClick={linkHandler(`/s/${encodeURIComponent(entry.sessionId)}`)}
                          class="text-accent text-xs"
                          aria-label={t("tools.audit.openSessionLabel", { tool: entry.tool })}
                        >
                          {t("tools.audit.openSession")}
                        </a>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={nextBefore()}>
        <div>
          <button
            type="button"
            class="btn-ghost"
            disabled={loading()}
            onClick={() => void load(true)}
            data-testid="audit-more"
          >
            {loading() ? t("common.loading") : t("tools.audit.more")}
          </button>
        </div>
      </Show>
    </section>
  );
}
