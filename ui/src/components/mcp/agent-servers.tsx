/**
 * The agent form's choice of MCP servers (`AgentConfig.mcpServers`): one checkbox per configured server
 * with its state; a name the agent refers to that is not set up (an imported agent) stays listed so it
 * can be unticked.
 */
import { createResource, For, Show } from "solid-js";
import { t } from "../../i18n/index.ts";
import { mcpApi } from "./mcp-api.ts";
import { StateDot, stateLabel } from "./server-card.tsx";

export function AgentServers(props: { value: string[]; onChange(value: string[]): void }) {
  const [servers] = createResource(() => mcpApi.list().catch(() => []));
  const missing = () => props.value.filter((name) => !servers()?.some((entry) => entry.config.name === name));
  const toggle = (name: string, on: boolean) =>
    props.onChange(on ? [...props.value, name] : props.value.filter((other) => other !== name));
  return (
    <fieldset class="border border-line rounded-md p-3 m-0 flex flex-col gap-2" data-testid="agent-mcp">
      <legend class="text-sm font-medium px-1">{t("mcp.agent.legend")}</legend>
      <Show
        when={(servers()?.length ?? 0) > 0 || props.value.length > 0}
        fallback={<p class="m-0 text-xs text-muted">{t("mcp.agent.none")}</p>}
      >
        <p class="m-0 text-xs text-muted">{t("mcp.agent.hint")}</p>
        <For each={servers() ?? []}>
          {(entry) => (
            <label class="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={props.value.includes(entry.config.name)}
                onChange={(event) => toggle(entry.config.name, event.currentTarget.checked)}
                data-testid={`agent-mcp-${entry.config.name}`}
              />
              <StateDot state={entry.status.state} />
              <span class="font-mono">{entry.config.name}</span>
              <span class="text-xs text-muted">{stateLabel(entry.status.state)}</span>
            </label>
          )}
        </For>
        <For each={missing()}>
          {(name) => (
            <label class="flex items-center gap-2 text-sm">
              <input type="checkbox" checked onChange={() => toggle(name, false)} />
              <span class="font-mono text-muted">{t("mcp.agent.missing", { name })}</span>
            </label>
          )}
        </For>
      </Show>
    </fieldset>
  );
}
