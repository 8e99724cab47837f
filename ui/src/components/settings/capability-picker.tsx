/**
 * Choosing an agent's tools or skills: "all" (new ones included) or a chosen list, as checkboxes when
 * the catalogue is known, else as a plain text list (one name per line) so the form still works when
 * the tools or skills API cannot be reached. The tools variant also sets the approval rule per tool.
 */
import { For, Show } from "solid-js";
import type { ApprovalRule } from "../../../../src/shared/agent.ts";
import type { ToolInfo } from "../../../../src/shared/tools-api.ts";
import { t } from "../../i18n/index.ts";

export interface PickerItem {
  /** What is stored (a tool or skill name, an agent id). */
  name: string;
  /** What is shown, when not the name itself (an agent's name). */
  label?: string;
  description?: string;
}

export function CapabilityPicker(props: {
  id: string;
  legend: string;
  /** The catalogue, or undefined when it could not be loaded. */
  items: PickerItem[] | undefined;
  value: "all" | string[];
  onChange(value: "all" | string[]): void;
}) {
  const chosen = () => (props.value === "all" ? [] : props.value);
  const toggle = (name: string, on: boolean) =>
    props.onChange(on ? [...chosen(), name] : chosen().filter((other) => other !== name));
  return (
    <fieldset class="border border-line rounded-md p-3 m-0 flex flex-col gap-2" data-testid={props.id}>
      <legend class="text-sm font-medium px-1">{props.legend}</legend>
      <div class="flex gap-4 text-sm" role="radiogroup">
        <label class="flex items-center gap-1.5">
          <input
            type="radio"
            name={`${props.id}-mode`}
            checked={props.value === "all"}
            onChange={() => props.onChange("all")}
            data-testid={`${props.id}-all`}
          />
          {t("settings.picker.all")}
        </label>
        <label class="flex items-center gap-1.5">
          <input
            type="radio"
            name={`${props.id}-mode`}
            checked={props.value !== "all"}
            onChange={() => props.onChange(props.items ? props.items.map((item) => item.name) : [])}
            data-testid={`${props.id}-chosen`}
          />
          {t("settings.picker.chosen")}
        </label>
      </div>
      <Show when={props.value !== "all"}>
        <Show
          when={props.items}
          fallback={
            <>
              <p class="m-0 text-xs text-muted">{t("settings.picker.unavailable")}</p>
              <textarea
                class="input font-mono min-h-20"
                aria-label={props.legend}
                value={chosen().join("\n")}
                onChange={(event) =>
                  props.onChange(
                    event.currentTarget.value
                      .split(/[\n,]/)
                      .map((name) => name.trim())
                      .filter(Boolean),
                  )
                }
                data-testid={`${props.id}-text`}
              />
            </>
          }
        >
          {(items) => (
            <div class="grid gap-1 sm:grid-cols-2 max-h-56 overflow-y-auto">
              <For
                each={items()}
                fallback={<p class="m-0 text-xs text-muted">{t("settings.picker.none")}</p>}
              >
                {(item) => (
                  <label class="flex items-start gap-2 text-sm" title={item.description}>
                    <input
                      type="checkbox"
                      class="mt-1"
                      checked={chosen().includes(item.name)}
                      onChange={(event) => toggle(item.name, event.currentTarget.checked)}
                    />
                    <span class="font-mono text-xs break-all">{item.label ?? item.name}</span>
                  </label>
                )}
              </For>
            </div>
          )}
        </Show>
      </Show>
    </fieldset>
  );
}

const RULES: ApprovalRule[] = ["allow", "ask", "deny"];

/** Per-tool approval rules; "default" removes the override (the tool's own default applies). */
export function ApprovalRules(props: {
  tools: ToolInfo[] | undefined;
  value: Record<string, ApprovalRule>;
  onChange(value: Record<string, ApprovalRule>): void;
}) {
  const set = (tool: string, rule: string) => {
    const next = { ...props.value };
    if (rule === "") delete next[tool];
    else next[tool] = rule as ApprovalRule;
    props.onChange(next);
  };
  return (
    <fieldset class="border border-line rounded-md p-3 m-0 flex flex-col gap-2" data-testid="agent-approvals">
      <legend class="text-sm font-medium px-1">{t("settings.agent.approvals")}</legend>
      <p class="m-0 text-xs text-muted">{t("settings.agent.approvalsHint")}</p>
      <Show
        when={props.tools}
        fallback={<p class="m-0 text-xs text-muted">{t("settings.picker.unavailable")}</p>}
      >
        {(tools) => (
          <div class="grid gap-x-4 gap-y-1 2xl:grid-cols-2 max-h-64 overflow-y-auto">
            <For each={tools()}>
              {(tool) => (
                <label class="flex items-center justify-between gap-2 text-sm min-w-0">
                  <span class="font-mono text-xs break-all">{tool.name}</span>
                  <select
                    class="input w-40 shrink-0 py-1"
                    value={props.value[tool.name] ?? ""}
                    onChange={(event) => set(tool.name, event.currentTarget.value)}
                    aria-label={t("settings.agent.approvalOf", { tool: tool.name })}
                    data-testid={`approval-${tool.name}`}
                  >
                    <option value="">
                      {t("settings.agent.ruleDefault", {
                        rule: t(`settings.agent.rule.${tool.defaultRule}`),
                      })}
                    </option>
                    <For each={RULES}>
                      {(rule) => <option value={rule}>{t(`settings.agent.rule.${rule}`)}</option>}
                    </For>
                  </select>
                </label>
              )}
            </For>
          </div>
        )}
      </Show>
    </fieldset>
  );
}
