/**
 * The chat's header: title (double-click to rename), agent, "continue in a new chat", export, the
 * background jobs view (when the session has jobs) and the workspace panel toggle.
 */
import { createSignal, Show } from "solid-js";
import { fileNameFrom } from "../../../../src/shared/file-name.ts";
import { saveFromUrl } from "../../actions/save-file.ts";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { upsertSession } from "../../state/sessions.ts";
import { notifyError } from "../../state/toasts.ts";
import { DownloadIcon, PanelIcon, TerminalIcon } from "../icons.tsx";
import { DrawerButton } from "../layout/drawer-button.tsx";
import { continueInNewChat, continuing } from "./actions.ts";
import { InstructionsIndicator } from "./instructions-indicator.tsx";

export function ChatHeader(props: {
  sessionId: string;
  title: string;
  agentLabel: string;
  agentId?: string;
  onToggleWorkspace?: () => void;
  workspaceOpen?: boolean;
  /** Opens the background jobs view; absent while the session has no jobs. */
  onOpenJobs?: () => void;
  /**
   * The chat has messages: it can be continued in a new chat from a summary, and exported. An empty
   * chat offers neither (its export would be a file with nothing in it).
   */
  hasMessages?: boolean;
  /** The running turn's id (null between turns): the instruction files are read again as it changes. */
  turnId?: string | null;
}) {
  const [renaming, setRenaming] = createSignal(false);
  // Runs once per edit: Enter or blur saves; Escape closes the box first, so the blur that follows
  // (the input leaves the page) saves nothing.
  const rename = async (value: string) => {
    if (!renaming()) return;
    setRenaming(false);
    if (!value.trim() || value.trim() === props.title) return;
    try {
      upsertSession(
        await call("PATCH /api/sessions/:id", {
          params: { id: props.sessionId },
          json: { title: value.trim() },
        }),
      );
    } catch (error) {
      notifyError((error as Error).message);
    }
  };
  const exportAs = (format: "md" | "json") =>
    saveFromUrl(
      `/api/sessions/${props.sessionId}/export?format=${format}`,
      fileNameFrom(props.title, format),
    );
  return (
    <header class="h-12 shrink-0 border-b border-line flex items-center gap-2 wide:gap-3 px-2 wide:px-4">
      <DrawerButton />
      <Show
        when={!renaming()}
        fallback={
          <input
            class="input py-1 text-sm max-w-md"
            value={props.title}
            aria-label={t("sidebar.rename")}
            ref={(el) => queueMicrotask(() => el.select())}
            onKeyDown={(e) => {
              if (e.key === "Enter") void rename(e.currentTarget.value);
              if (e.key === "Escape") setRenaming(false);
            }}
            onBlur={(e) => void rename(e.currentTarget.value)}
          />
        }
      >
        <h1
          class="text-sm font-semibold truncate m-0 cursor-text min-w-0"
          onDblClick={() => setRenaming(true)}
          data-testid="chat-title"
        >
          {props.title || t("sidebar.untitled")}
        </h1>
      </Show>
      {/* The agent's name yields first when the header is narrow: the title matters more. */}
      <span class="text-xs text-muted truncate shrink-[2] min-w-0 lt-sm:hidden">{props.agentLabel}</span>
      <InstructionsIndicator agentId={props.agentId} sessionId={props.sessionId} turnId={props.turnId} />
      <div class="flex-1" />
      {/* Below 640 px: icon buttons (their names stay for screen readers; tooltips say which). */}
      <Show when={props.hasMessages}>
        <button
          type="button"
          class="btn-ghost text-xs shrink-0 lt-sm:px-2"
          onClick={() => void continueInNewChat(props.sessionId)}
          disabled={continuing() !== undefined}
          title={t("chat.continueInNewChatHint")}
          aria-label={t("chat.continueInNewChat")}
          data-testid="continue-new-chat"
        >
          <span aria-hidden="true">↪</span> <span class="lt-md:hidden">{t("chat.continueInNewChat")}</span>
        </button>
      </Show>
      <Show when={props.hasMessages}>
        <button
          type="button"
          class="btn-ghost text-xs shrink-0 lt-sm:px-2"
          onClick={() => void exportAs("md")}
          title={t("chat.exportMarkdown")}
          data-testid="export-md"
        >
          <DownloadIcon size={14} /> <span class="lt-sm:sr-only">Markdown</span>
        </button>
        <button
          type="button"
          class="btn-ghost text-xs shrink-0 lt-sm:px-2"
          onClick={() => void exportAs("json")}
          title={t("chat.exportJson")}
          data-testid="export-json"
        >
          <DownloadIcon size={14} /> <span class="lt-sm:sr-only">JSON</span>
        </button>
      </Show>
      <Show when={props.onOpenJobs}>
        <button
          type="button"
          class="btn-ghost text-xs shrink-0 lt-sm:px-2"
          title={t("jobs.open")}
          onClick={() => props.onOpenJobs?.()}
          data-testid="open-jobs-header"
        >
          <TerminalIcon size={14} /> <span class="lt-sm:sr-only">{t("jobs.open")}</span>
        </button>
      </Show>
      <Show when={props.onToggleWorkspace}>
        <button
          type="button"
          class="btn-ghost text-xs shrink-0 lt-sm:px-2"
          aria-pressed={props.workspaceOpen}
          aria-label={t("workspace.title")}
          title={t("workspace.title")}
          onClick={() => props.onToggleWorkspace?.()}
          data-testid="toggle-workspace"
        >
          <PanelIcon />
        </button>
      </Show>
    </header>
  );
}
