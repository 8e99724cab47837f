/** Small shared pieces of the tools pages: kind and rule labels, the rule badge, status colours, dates. */
import type { ApprovalRule } from "../../../../src/shared/agent.ts";
import type { ToolKindName } from "../../../../src/shared/tools-api.ts";
import { locale, type MessageKey, t } from "../../i18n/index.ts";

export const KIND_ORDER: ToolKindName[] = [
  "read",
  "write",
  "shell",
  "network",
  "browser",
  "interaction",
  "mcp",
];

const KIND_KEYS: Record<ToolKindName, MessageKey> = {
  read: "tools.kind.read",
  write: "tools.kind.write",
  shell: "tools.kind.shell",
  network: "tools.kind.network",
  browser: "tools.kind.browser",
  interaction: "tools.kind.interaction",
  mcp: "tools.kind.mcp",
};

const RULE_KEYS: Record<ApprovalRule, MessageKey> = {
  allow: "tools.rule.allow",
  ask: "tools.rule.ask",
  deny: "tools.rule.deny",
};

export function kindLabel(kind: ToolKindName): string {
  return t(KIND_KEYS[kind]);
}

export function ruleLabel(rule: ApprovalRule, alwaysAsks = false): string {
  return alwaysAsks ? t("tools.rule.alwaysAsk") : t(RULE_KEYS[rule]);
}

export function toolPath(name: string): string {
  return `/tools/${encodeURIComponent(name)}`;
}

/** The default approval rule as a small coloured label (text, not colour alone, carries the meaning). */
export function RuleBadge(props: { rule: ApprovalRule; alwaysAsks?: boolean }) {
  const tone = () =>
    props.alwaysAsks || props.rule === "ask"
      ? "bg-warn/15 text-warn"
      : props.rule === "allow"
        ? "bg-ok/15 text-ok"
        : "bg-danger/15 text-danger";
  return (
    <span class={`inline-block rounded px-1.5 py-0.5 text-[11px] font-medium ${tone()}`}>
      {ruleLabel(props.rule, props.alwaysAsks)}
    </span>
  );
}

/** Text colour for a run's status or decision. */
export function statusTone(status: string): string {
  if (status === "completed" || status.startsWith("approved") || status === "allowed") return "text-ok";
  if (status === "error" || status === "stopped") return "text-danger";
  if (status.includes("denied")) return "text-warn";
  return "text-muted";
}

export function formatTime(milliseconds: number): string {
  return new Date(milliseconds).toLocaleString(locale() === "zh" ? "zh-CN" : undefined, {
    dateStyle: "medium",
    timeStyle: "medium",
  });
}
