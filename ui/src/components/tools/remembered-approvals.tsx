/**
 * Approvals remembered "always for this agent": what each covers (every call of a tool, one file, the
 * files in one folder, one exact command, commands starting with one program, one host), for which agent, since when; each revocable (the next matching call asks again).
 */
import { createResource, createSignal, For, Match, Switch } from "solid-js";
import type { RememberedApproval } from "../../../../src/shared/tools-api.ts";
import { t } from "../../i18n/index.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { TableHead } from "../table-head.tsx";
import { formatTime } from "./tool-labels.tsx";
import { toolsApi } from "./tools-api.ts";

function coverage(pattern: string): string {
  if (pattern === "*") return t("tools.approvals.everyCall");
  if (pattern.startsWith("command:")) return t("tools.approvals.command", { command: pattern.slice(8) });
  if (pattern.startsWith("host:")) return t("tools.approvals.host", { host: pattern.slice(5) });
  if (pattern.startsWith("file:")) return t("tools.approvals.file", { path: pattern.slice(5) });
  if (pattern.startsWith("folder:")) return t("tools.approvals.folder", { path: pattern.slice(7) });
  if (pattern.startsWith("program:")) return t("tools.approvals.program", { program: pattern.slice(8) });
  return pattern;
}

export function RememberedApprovals() {
  const [approvals, { refetch, mutate }] = createResource(toolsApi.approvals);
  const [busy, setBusy] = createSignal<string>();

  const revoke = async (approval: RememberedApproval) => {
    setBusy(approval.id);
    try {
      await toolsApi.revoke(approval.id);
      mutate((list) => list?.filter((entry) => entry.id !== approval.id));
      notify(t("tools.approvals.revoked", { tool: approval.tool }));
    } catch (error) {
      notifyError((error as Error).message);
      void refetch();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section class="flex flex-col gap-2" aria-labelledby="approvals-title" data-testid="approvals-section">
      <h3 id="approvals-title" class="m-0 text-base font-semibold">
        {t("tools.approvals.title")}
      </h3>
      <p class="m-0 text-xs text-muted">{t("tools.approvals.intro")}</p>
      <Switch>
        <Match when={approvals.error}>
          <p class="m-0 text-sm text-danger" role="alert">
            {(approvals.error as Error).message}
          </p>
        </Match>
        <Match when={approvals.loading}>
          <p class="m-0 text-sm text-muted">{t("common.loading")}</p>
        </Match>
        <Match when={approvals()?.length === 0}>
          <p class="m-0 text-sm text-muted" data-testid="approvals-empty">
            {t("tools.approvals.none")}
          </p>
        </Match>
        <Match when={approvals()}>
          {(list) => (
            <div class="overflow-x-auto">
              <table class="w-full text-sm border-collapse" data-testid="approvals-table">
                <TableHead
                  columns={[
                    { label: t("tools.approvals.agent") },
                    { label: t("tools.approvals.tool") },
                    { label: t("tools.approvals.covers") },
                    { label: t("tools.approvals.since") },
                    { label: t("tools.approvals.actions"), hidden: true },
                  ]}
                />
                <tbody>
                  <For each={list()}>
                    {(approval) => (
                      <tr class="border-b border-line" data-testid={`approval-${approval.id}`}>
                        <td class="py-1.5 pr-3">{approval.agentName ?? approval.agentId}</td>
                        <td class="py-1.5 pr-3 font-mono">{approval.tool}</td>
                        <td class="py-1.5 pr-3 break-all">{coverage(approval.pattern)}</td>
                        <td class="py-1.5 pr-3 whitespace-nowrap text-muted">
                          {formatTime(approval.createdAt)}
                        </td>
                        <td class="py-1.5 text-right">
                          <button
                            type="button"
                            class="btn-ghost py-1 text-danger"
                            disabled={busy() === approval.id}
                            onClick={() => void revoke(approval)}
                            aria-label={t("tools.approvals.revokeLabel", { tool: approval.tool })}
                            data-testid="approval-revoke"
                          >
                            {t("tools.approvals.revoke")}
                          </button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </Match>
      </Switch>
    </section>
  );
}
