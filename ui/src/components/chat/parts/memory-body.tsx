/**
 * The search_memory card's body: each past chat it found as a link to that message in its chat (title,
 * who, when, the snippet with the matched words marked), and each workspace file with its lines.
 */
import { For, Show } from "solid-js";
import type { ToolPart } from "../../../../../src/shared/parts.ts";
import { locale, t } from "../../../i18n/index.ts";
import { linkHandler } from "../../../lib/router.ts";
import { Highlighted } from "../../layout/search-box.tsx";

interface ChatHit {
  sessionId: string;
  messageId: string;
  title: string;
  role: "user" | "assistant";
  at: number;
  snippet: string;
}

interface FileHit {
  path: string;
  startLine: number;
  endLine: number;
}

function listOf<T>(value: unknown, valid: (item: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item) => typeof item === "object" && item !== null && valid(item)) as T[];
}

export function MemoryBody(props: { part: ToolPart }) {
  const chats = () =>
    listOf<ChatHit>(
      props.part.output?.details?.chats,
      (item) => typeof item.sessionId === "string" && typeof item.messageId === "string",
    );
  const files = () =>
    listOf<FileHit>(props.part.output?.details?.files, (item) => typeof item.path === "string");
  return (
    <div class="text-xs flex flex-col gap-2" data-testid="memory-results">
      <Show
        when={chats().length + files().length > 0}
        fallback={<p class="m-0 text-muted">{t("tool.memory.none")}</p>}
      >
        <ol class="m-0 pl-5 flex flex-col gap-1.5">
          <For each={chats()}>
            {(hit) => {
              const href = `/s/${encodeURIComponent(hit.sessionId)}?m=${encodeURIComponent(hit.messageId)}`;
              return (
                <li>
                  <a
                    href={href}
                    onClick={linkHandler(href)}
                    class="font-medium text-accent hover:underline"
                    data-testid="memory-chat"
                  >
                    {hit.title || t("tool.memory.untitled")}
                  </a>
                  <span class="text-muted">
                    {" · "}
                    {hit.role === "user" ? t("tool.memory.you") : t("tool.memory.agent")} ·{" "}
                    {new Date(hit.at).toLocaleString(locale() === "zh" ? "zh-CN" : undefined)}
                  </span>
                  <span class="block text-fg">
                    <Highlighted text={hit.snippet} />
                  </span>
                </li>
              );
            }}
          </For>
          <For each={files()}>
            {(hit) => (
              <li class="font-mono" data-testid="memory-file">
                {hit.path}:{hit.startLine}-{hit.endLine}
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}
