/**
 * The permissions an import would widen, as a diff with one checkbox each (unchecked: the import keeps
 * the baseline value — a new agent's default, or the updated agent's own). Used by Settings → Agents
 * (agent files) and Settings → General (settings files) before they POST the import with the ids the
 * user ticked.
 */
import { For, Show } from "solid-js";
import type { ApprovalRule } from "../../../../src/shared/agent.ts";
import type { DelegateTargets } from "../../../../src/shared/delegation.ts";
import type { WidenedPermission } from "../../../../src/shared/permissions.ts";
import { t } from "../../i18n/index.ts";
import { agentById } from "../../state/agents.ts";

function rule(value: ApprovalRule): string {
  return t(`settings.permissions.rule.${value}`);
}

/** Agents one may delegate to, by name where they are known here (an id from another machine stays an id). */
function targetNames(targets: DelegateTargets): string {
  if (targets === "all") return t("settings.permissions.delegatesAll");
  if (targets.length === 0) return t("settings.permissions.delegatesNone");
  return targets.map((id) => agentById(id)?.config.name ?? id).join(", ");
}

/** The "before" and "after" lines of one widening. */
function diffLines(permission: WidenedPermission, existing: boolean): { before?: string; after: string } {
  switch (permission.kind) {
    case "approval":
      return {
        before: `${permission.tool}: ${rule(permission.from)}`,
        after: `${permission.tool}: ${rule(permission.to)}`,
      };
    case "tool":
      return { after: t("settings.permissions.tool", { tool: permission.tool }) };
    case "mcpServer":
      return { after: t("settings.permissions.mcpServer", { server: permission.server }) };
    case "workspace":
      return {
        before: t("settings.permissions.workspace", {
          folder:
            permission.from ??
            t(existing ? "settings.permissions.workspaceOwn" : "settings.permissions.workspaceDefault"),
        }),
        after: t("settings.permissions.workspace", { folder: permission.to }),
      };
    case "mcpServerDefinition":
      return {
        before: permission.before,
        after:
          t("settings.permissions.mcpDefinition", { server: permission.server, launch: permission.launch }) +
          (permission.secrets.length > 0
            ? ` ${t("settings.permissions.mcpSecrets", { names: permission.secrets.join(", ") })}`
            : ""),
      };
    case "delegates":
      return {
        before: t("settings.permissions.delegates", { agents: targetNames(permission.from) }),
        after: t("settings.permissions.delegates", { agents: targetNames(permission.to) }),
      };
    case "network":
      return {
        before: t("settings.permissions.network", { state: t(`settings.agent.network.${permission.from}`) }),
        after: t("settings.permissions.network", { state: t(`settings.agent.network.${permission.to}`) }),
      };
  }
}

export function PermissionReview(props: {
  permissions: WidenedPermission[];
  /** The ids ticked so far. */
  accepted: readonly string[];
  onChange(accepted: string[]): void;
  /** The import updates an existing agent (the "before" lines are its own values). */
  existing?: boolean;
  testId?: string;
}) {
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.accepted, id] : props.accepted.filter((other) => other !== id));
  return (
    <ul class="list-none m-0 p-0 flex flex-col gap-2" data-testid={props.testId ?? "permission-review"}>
      <For each={props.permissions}>
        {(permission) => {
          const lines = diffLines(permission, props.existing === true);
          return (
            <li class="rounded-md border border-line p-2" data-testid={`widened-${permission.id}`}>
              <div class="font-mono text-xs break-all">
                <Show when={lines.before}>{(before) => <div class="text-danger">− {before()}</div>}</Show>
                <div class="text-accent">+ {lines.after}</div>
              </div>
              <label class="mt-1 flex items-center gap-2 text-xs cursor-pointer">
                <input
                  type="checkbox"
                  checked={props.accepted.includes(permission.id)}
                  onChange={(event) => toggle(permission.id, event.currentTarget.checked)}
                  data-testid="widened-accept"
                />
                {t("settings.permissions.allow")}
              </label>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
