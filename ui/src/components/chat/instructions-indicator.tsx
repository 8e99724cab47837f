/**
 * The chat header's note of which instruction files (AGENTS.md / CLAUDE.md, global and the workspace's)
 * enter the agent's system prompt; a file cut at the size limit is marked. Hidden when there are none.
 * Read again when a turn starts and ends (each turn reads the files anew) and when the window gets the
 * focus back (a file added or removed in another program).
 */
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import { t } from "../../i18n/index.ts";
import { fetchProjectContext } from "../../lib/project-context.ts";

export function InstructionsIndicator(props: {
  agentId?: string;
  sessionId: string;
  turnId?: string | null;
}) {
  const [focused, setFocused] = createSignal(0);
  const reread = () => setFocused((count) => count + 1);
  window.addEventListener("focus", reread);
  onCleanup(() => window.removeEventListener("focus", reread));
  const [context] = createResource(
    () =>
      props.agentId
        ? { agentId: props.agentId, sessionId: props.sessionId, turnId: props.turnId, focused: focused() }
        : undefined,
    ({ agentId }) => fetchProjectContext(agentId).catch(() => undefined),
  );
  const files = () => context.latest?.instructions ?? [];
  const title = () =>
    files()
      .map((file) =>
        t(file.truncated ? "chat.instructions.fileCut" : "chat.instructions.file", {
          path: file.path,
          size: formatBytes(file.bytes),
        }),
      )
      .join("\n");
  return (
    <Show when={files().length > 0}>
      <span
        class="text-xs text-muted shrink min-w-0 truncate border border-line rounded px-1.5 py-0.5 lt-sm:hidden"
        title={`${t("chat.instructions.title")}\n${title()}`}
        data-testid="instructions-indicator"
      >
        <span aria-hidden="true">{t("chat.instructions.label")} </span>
        <span class="sr-only">{t("chat.instructions.title")} </span>
        <For each={files()}>
          {(file, index) => (
            <>
              {index() > 0 ? " · " : ""}
              <span data-testid={`instructions-file-${file.scope}`}>
                {t(file.scope === "global" ? "chat.instructions.global" : "chat.instructions.workspace", {
                  name: file.name,
                })}
                {file.truncated ? ` ${t("chat.instructions.cut")}` : ""}
              </span>
            </>
          )}
        </For>
      </span>
    </Show>
  );
}
