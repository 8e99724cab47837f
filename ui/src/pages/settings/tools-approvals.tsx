/**
 * Settings → Tools & approvals: how shell commands are isolated (and why), what is hidden from every
 * tool (Sage's folders, the editable credential folders), each tool's default approval
 * rule (read-only here; agents override them in Settings → Agents), the approvals remembered "always",
 * and the audit log of tool runs.
 */
import { createResource, For, Show } from "solid-js";
import { TableHead } from "../../components/table-head.tsx";
import { AuditLog } from "../../components/tools/audit-log.tsx";
import { ProtectedFolders } from "../../components/tools/protected-folders.tsx";
import { RememberedApprovals } from "../../components/tools/remembered-approvals.tsx";
import { kindLabel, RuleBadge, toolPath } from "../../components/tools/tool-labels.tsx";
import { toolsApi } from "../../components/tools/tools-api.ts";
import { t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";

export function ToolsApprovalsSettings() {
  const [sandbox] = createResource(toolsApi.sandbox);
  const [tools] = createResource(toolsApi.list);

  return (
    <div class="flex flex-col gap-8 max-w-5xl" data-testid="settings-tools-approvals">
      <h2 class="m-0 text-lg font-semibold">{t("tools.settings.title")}</h2>

      <section class="flex flex-col gap-2" aria-labelledby="sandbox-title" data-testid="sandbox-section">
        <h3 id="sandbox-title" class="m-0 text-base font-semibold">
          {t("tools.sandbox.title")}
        </h3>
        <Show when={sandbox.error}>
          <p class="m-0 text-sm text-danger" role="alert">
            {(sandbox.error as Error).message}
          </p>
        </Show>
        <Show when={sandbox()}>
          {(status) => (
            <div
              class={`card p-3 flex flex-col gap-1 ${status().mode === "none" ? "border-warn" : ""}`}
              data-testid="sandbox-status"
              data-mode={status().mode}
            >
              <p class="m-0 text-sm">
                <span class="text-muted">{t("tools.sandbox.mode")} </span>
                <strong data-testid="sandbox-mode">
                  {status().mode === "bubblewrap"
                    ? t("tools.sandbox.bubblewrap")
                    : status().mode === "seatbelt"
                      ? t("tools.sandbox.seatbelt")
                      : t("tools.sandbox.none")}
                </strong>
              </p>
              <p class="m-0 text-sm text-muted" data-testid="sandbox-reason">
                {status().reason}
              </p>
              <p class={`m-0 text-sm ${status().mode === "none" ? "text-warn" : "text-muted"}`}>
                {status().mode === "bubblewrap"
                  ? t("tools.sandbox.bubblewrapMeans")
                  : status().mode === "seatbelt"
                    ? t("tools.sandbox.seatbeltMeans")
                    : t("tools.sandbox.noneMeans")}
              </p>
              <Show when={status().mode === "bubblewrap" && status().internet}>
                {(internet) => (
                  <p class="m-0 text-sm" data-testid="sandbox-internet">
                    <span class="text-muted">{t("tools.sandbox.internet")} </span>
                    <strong class={internet().available ? "" : "text-warn"}>
                      {internet().available ? t("tools.sandbox.internetYes") : t("tools.sandbox.internetNo")}
                    </strong>
                    <span class="text-muted"> — {internet().reason}</span>
                  </p>
                )}
              </Show>
            </div>
          )}
        </Show>
      </section>

      <ProtectedFolders />

      <section class="flex flex-col gap-2" aria-labelledby="rules-title" data-testid="rules-section">
        <h3 id="rules-title" class="m-0 text-base font-semibold">
          {t("tools.rules.title")}
        </h3>
        <p class="m-0 text-xs text-muted">{t("tools.rules.intro")}</p>
        <Show when={tools.error}>
          <p class="m-0 text-sm text-danger" role="alert">
            {(tools.error as Error).message}
          </p>
        </Show>
        <Show when={tools()}>
          {(list) => (
            <div class="overflow-x-auto">
              <table class="w-full text-sm border-collapse" data-testid="rules-table">
                <TableHead
                  columns={[
                    { label: t("tools.rules.tool") },
                    { label: t("tools.rules.kind") },
                    { label: t("tools.rules.rule") },
                  ]}
                />
                <tbody>
                  <For each={list()}>
                    {(tool) => (
                      <tr class="border-b border-line" data-testid={`rule-${tool.name}`}>
                        <td class="py-1.5 pr-3">
                          <a
                            href={toolPath(tool.name)}
                            onClick={linkHandler(toolPath(tool.name))}
                            class="font-mono text-accent"
                          >
                            {tool.name}
                          </a>
                        </td>
                        <td class="py-1.5 pr-3 text-muted">{kindLabel(tool.kind)}</td>
                        <td class="py-1.5">
                          <RuleBadge rule={tool.defaultRule} alwaysAsks={tool.alwaysAsks} />
                          <Show when={tool.kind === "shell" && sandbox()?.mode === "none"}>
                            <span class="ml-2 text-xs text-warn">{t("tools.rules.shellUnsandboxed")}</span>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </Show>
      </section>

      <RememberedApprovals />

      <AuditLog tools={tools() ?? []} />
    </div>
  );
}
