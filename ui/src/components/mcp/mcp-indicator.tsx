/**
 * A quiet sidebar line that appears only when an MCP server some agent uses is not working (state
 * `error`): a red dot, "1 MCP server(s) not working", a link to Settings → MCP servers. Checked every
 * 10 s (and when the window regains focus); nothing is shown while all is well or none are set up.
 */
import { createSignal, onCleanup, Show } from "solid-js";
import { t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";
import { mcpApi } from "./mcp-api.ts";

const CHECK_MS = 10_000;

export function McpIndicator() {
  const [broken, setBroken] = createSignal<string[]>([]);
  const check = () =>
    void mcpApi.list().then(
      (servers) =>
        setBroken(
          servers
            .filter(
              (entry) =>
                entry.config.enabled && entry.status.usedBy.length > 0 && entry.status.state === "error",
            )
            .map((entry) => entry.config.name),
        ),
      () => {},
    );
  check();
  const timer = setInterval(check, CHECK_MS);
  window.addEventListener("focus", check);
  onCleanup(() => {
    clearInterval(timer);
    window.removeEventListener("focus", check);
  });
  return (
    <Show when={broken().length > 0}>
      <div role="status">
        <a
          href="/settings/mcp"
          onClick={linkHandler("/settings/mcp")}
          class="flex items-center gap-2 px-2 py-1 rounded-md text-xs text-danger no-underline hover:bg-raised"
          title={t("mcp.indicatorTitle", { names: broken().join(", ") })}
          data-testid="mcp-indicator"
        >
          <span class="inline-block w-2 h-2 rounded-full bg-danger" aria-hidden="true" />
          {t("mcp.indicator", { count: broken().length })}
        </a>
      </div>
    </Show>
  );
}
