/**
 * One tool: its description, kind and default rule, the JSON schema of its arguments, and the "try it"
 * runner (agent picker, generated form or JSON editor, Run, result). Runs are real: they act in the
 * chosen agent's workspace and browser, and land in the audit log as "manual".
 */
import { createSignal, For, Show } from "solid-js";
import type { ToolInfo, ToolRunResult } from "../../../../src/shared/tools-api.ts";
import { t } from "../../i18n/index.ts";
import { agents } from "../../state/agents.ts";
import { SchemaForm } from "./schema-form.tsx";
import { kindLabel, RuleBadge } from "./tool-labels.tsx";
import { ToolResultView } from "./tool-result.tsx";
import { toolsApi } from "./tools-api.ts";

export function ToolDetail(props: { tool: ToolInfo }) {
  const [agentId, setAgentId] = createSignal(agents.currentId ?? "");
  const [running, setRunning] = createSignal(false);
  const [result, setResult] = createSignal<ToolRunResult>();
  const [failure, setFailure] = createSignal("");

  const run = async (input: unknown) => {
    setRunning(true);
    setFailure("");
    setResult(undefined);
    try {
      setResult(await toolsApi.run(props.tool.name, input, agentId() || undefined));
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setRunning(false);
    }
  };

  return (
    <article class="flex flex-col gap-5 max-w-3xl" data-testid="tool-detail" aria-labelledby="tool-title">
      <header class="flex flex-col gap-2">
        <div class="flex items-center gap-3 flex-wrap">
          <h2 id="tool-title" class="m-0 text-lg font-semibold font-mono">
            {props.tool.name}
          </h2>
          <span class="text-sm text-muted">{kindLabel(props.tool.kind)}</span>
          <span class="text-sm text-muted">{t("tools.detail.defaultRule")}</span>
          <RuleBadge rule={props.tool.defaultRule} alwaysAsks={props.tool.alwaysAsks} />
        </div>
        <p class="m-0 text-sm whitespace-pre-wrap" data-testid="tool-description">
          {props.tool.description}
        </p>
      </header>

      <details class="card p-3">
        <summary class="cursor-pointer text-sm font-medium">{t("tools.detail.schema")}</summary>
        <pre class="m-0 mt-2 max-h-96 overflow-auto text-xs" data-testid="tool-schema">
          {JSON.stringify(props.tool.parameters, null, 2)}
        </pre>
      </details>

      <section class="flex flex-col gap-3" aria-labelledby="tool-try-title">
        <h3 id="tool-try-title" class="m-0 text-base font-semibold">
          {t("tools.try.title")}
        </h3>
        <p class="m-0 text-xs text-muted">{t("tools.try.intro")}</p>
        <Show when={props.tool.needsSession}>
          <p class="m-0 text-sm rounded-md bg-warn/10 text-warn px-3 py-2" data-testid="tool-needs-session">
            {t("tools.try.needsSession")} {props.tool.needsSession}
          </p>
        </Show>
        <Show when={agents.list.length > 1}>
          <label class="text-sm flex items-center gap-2">
            {t("tools.try.agent")}
            <select
              class="input w-auto py-1"
              value={agentId()}
              onChange={(event) => setAgentId(event.currentTarget.value)}
              data-testid="tool-agent"
            >
              <For each={agents.list}>
                {(agent) => <option value={agent.id}>{`${agent.config.emoji} ${agent.config.name}`}</option>}
              </For>
            </select>
          </label>
        </Show>
        <SchemaForm tool={props.tool} running={running()} onRun={(input) => void run(input)} />
        <Show when={failure()}>
          <p class="m-0 text-sm text-danger whitespace-pre-wrap" role="alert" data-testid="tool-run-error">
            {failure()}
          </p>
        </Show>
        <Show when={result()}>{(value) => <ToolResultView result={value()} />}</Show>
      </section>
    </article>
  );
}
