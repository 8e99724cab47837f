/**
 * The composer's "attach an MCP resource" button: shown when the chat's agent uses MCP servers; opens a
 * list of their resources (the servers start when needed) and attaches the chosen one as a file, like an
 * upload. Escape or a click outside closes the list.
 */
import { createSignal, For, onCleanup, Show } from "solid-js";
import type { McpAgentResources, McpResourceInfo } from "../../../../src/shared/mcp.ts";
import { t } from "../../i18n/index.ts";
import { agentById } from "../../state/agents.ts";
import { notifyError } from "../../state/toasts.ts";
import { errorText } from "../settings/field.tsx";
import { agentResources, resourceFile } from "./mcp-composer.ts";

export function McpResourceButton(props: { agentId?: string; onFile(file: File): void }) {
  const [open, setOpen] = createSignal(false);
  const [list, setList] = createSignal<McpAgentResources>();
  const [busy, setBusy] = createSignal(false);
  let root!: HTMLDivElement;
  const servers = () => agentById(props.agentId)?.config.mcpServers ?? [];

  const toggle = async () => {
    if (open()) return setOpen(false);
    setOpen(true);
    setList(undefined);
    if (!props.agentId) return;
    try {
      setList(await agentResources(props.agentId));
    } catch (error) {
      setList({ resources: [], problems: [errorText(error)] });
    }
  };
  const pick = async (resource: McpResourceInfo) => {
    if (!props.agentId) return;
    setBusy(true);
    try {
      props.onFile(await resourceFile(resource.server, resource.uri, resource.name, props.agentId));
      setOpen(false);
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const onDocument = (event: MouseEvent) => {
    if (open() && !root.contains(event.target as Node)) setOpen(false);
  };
  document.addEventListener("mousedown", onDocument);
  onCleanup(() => document.removeEventListener("mousedown", onDocument));

  return (
    <Show when={servers().length > 0}>
      <div
        class="relative"
        ref={root}
        onKeyDown={(event) => {
          if (event.key === "Escape" && open()) {
            event.stopPropagation();
            setOpen(false);
          }
        }}
      >
        <button
          type="button"
          class="icon-btn text-xs font-mono"
          aria-haspopup="true"
          aria-expanded={open()}
          aria-label={t("composer.mcpResource")}
          title={t("composer.mcpResource")}
          onClick={() => void toggle()}
          data-testid="mcp-resource-button"
        >
          @
        </button>
        <Show when={open()}>
          <div
            class="absolute bottom-full left-0 mb-2 w-96 max-h-72 overflow-auto card bg-bg shadow-lg p-1 z-20"
            data-testid="mcp-resource-menu"
          >
            <Show
              when={list()}
              fallback={<p class="m-0 p-2 text-xs text-muted">{t("composer.mcpResourceLoading")}</p>}
            >
              <For each={list()?.problems ?? []}>
                {(problem) => <p class="m-0 p-2 text-xs text-danger">{problem}</p>}
              </For>
              <Show when={(list()?.resources.length ?? 0) === 0 && (list()?.problems.length ?? 0) === 0}>
                <p class="m-0 p-2 text-xs text-muted">{t("composer.mcpResourceNone")}</p>
              </Show>
              <For each={list()?.resources ?? []}>
                {(resource) => (
                  <button
                    type="button"
                    class="w-full text-left bg-transparent border-0 rounded-md px-2 py-1.5 text-sm hover:bg-raised"
                    disabled={busy()}
                    onClick={() => void pick(resource)}
                    data-testid="mcp-resource-item"
                  >
                    <span class="text-xs text-muted">{resource.server}</span>{" "}
                    {resource.title ?? resource.name}
                    <span class="block text-xs text-muted font-mono truncate">{resource.uri}</span>
                  </button>
                )}
              </For>
            </Show>
          </div>
        </Show>
      </div>
    </Show>
  );
}
