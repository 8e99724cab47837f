/**
 * The workspace panel: the agent's folder as a lazy file tree with a preview of the selected file,
 * docked on the right of the chat (resizable by dragging or with the arrow keys on its edge).
 *
 * Live updates: while the panel is open it follows the server's change stream (file watch, see
 * src/server/routes/workspace.ts) and reloads the folders that changed and the previewed file. When
 * that stream is not live (no watch possible, reconnecting) it falls back to reloading after each
 * finished tool call and turn of the session shown next to it; the refresh button always works.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from "solid-js";
import { t } from "../../i18n/index.ts";
import { notifyError } from "../../state/toasts.ts";
import { transcript } from "../../state/transcripts.ts";
import { FolderIcon } from "../icons.tsx";
import { CloseGlyph, FilePreview } from "./file-preview.tsx";
import { FileTree } from "./file-tree.tsx";
import { createWorkspaceTree } from "./tree-store.ts";
import { type LiveState, openInFileManager, watchWorkspace } from "./workspace-api.ts";

const WIDTH_KEY = "sage.workspace.width";
const MIN_WIDTH = 260;
const DEFAULT_WIDTH = 400;

function clampWidth(width: number): number {
  const max = Math.max(MIN_WIDTH, window.innerWidth - 360);
  return Math.round(Math.min(Math.max(width, MIN_WIDTH), max));
}

export function WorkspacePanel(props: { agentId: string; sessionId?: string; onClose(): void }) {
  const tree = createWorkspaceTree(() => props.agentId);
  const [selected, setSelected] = createSignal<string>();
  const [previewVersion, setPreviewVersion] = createSignal(0);
  const [live, setLive] = createSignal<LiveState>("connecting");
  const [refreshing, setRefreshing] = createSignal(false);
  const [width, setWidth] = createSignal(
    clampWidth(Number(localStorage.getItem(WIDTH_KEY)) || DEFAULT_WIDTH),
  );

  const reloadAll = async () => {
    setRefreshing(true);
    try {
      await tree.refresh();
      setPreviewVersion((v) => v + 1);
    } finally {
      setRefreshing(false);
    }
  };

  // A new agent: a new tree and a new change stream.
  createEffect(
    on(
      () => props.agentId,
      (agentId) => {
        setSelected(undefined);
        tree.reset();
        const stop = watchWorkspace(agentId, {
          onState: setLive,
          onChange(paths) {
            void tree.refresh(paths);
            const open = selected();
            if (open && (paths.length === 0 || paths.includes(open))) setPreviewVersion((v) => v + 1);
          },
        });
        onCleanup(stop);
      },
    ),
  );

  // Fallback when the change stream is not live: reload after finished tool calls and turns.
  const finishedTools = createMemo(() => {
    if (!props.sessionId) return 0;
    const state = transcript(props.sessionId).state;
    let count = 0;
    for (const id of state.order) {
      for (const part of state.parts[id] ?? []) if (part.type === "tool" && part.endedAt) count++;
    }
    return count + (state.status === "running" ? 0 : 1);
  });
  let fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      finishedTools,
      () => {
        if (live() === "live") return;
        clearTimeout(fallbackTimer);
        fallbackTimer = setTimeout(() => void reloadAll(), 300);
      },
      { defer: true },
    ),
  );
  onCleanup(() => clearTimeout(fallbackTimer));

  const openFolder = async () => {
    try {
      const result = await openInFileManager(props.agentId, ".");
      if (!result.opened) notifyError(t("workspace.openFailed"));
    } catch (error) {
      notifyError((error as Error).message);
    }
  };

  const startResize = (event: PointerEvent) => {
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = width();
    const handle = event.currentTarget as HTMLElement;
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => setWidth(clampWidth(startWidth + startX - e.clientX));
    const end = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", end);
      handle.removeEventListener("pointercancel", end);
      localStorage.setItem(WIDTH_KEY, String(width()));
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", end);
    handle.addEventListener("pointercancel", end);
  };

  const resizeByKey = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 80 : 20;
    if (event.key === "ArrowLeft") setWidth(clampWidth(width() + step));
    else if (event.key === "ArrowRight") setWidth(clampWidth(width() - step));
    else return;
    event.preventDefault();
    localStorage.setItem(WIDTH_KEY, String(width()));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault();
    if (selected()) setSelected(undefined);
    else props.onClose();
  };

  const liveLabel = () =>
    live() === "live"
      ? t("workspace.live")
      : live() === "connecting"
        ? t("workspace.connecting")
        : t("workspace.notLive");

  return (
    <aside
      class="relative h-full shrink-0 flex flex-col border-l border-line bg-bg min-h-0"
      style={{ width: `${width()}px` }}
      aria-label={t("workspace.title")}
      data-testid="workspace-panel"
      data-agent-id={props.agentId}
      data-live={live()}
      onKeyDown={onKeyDown}
    >
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable, draggable splitter; <hr> takes neither focus nor drags */}
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label={t("workspace.resize")}
        aria-valuenow={width()}
        aria-valuemin={MIN_WIDTH}
        tabindex="0"
        class="absolute left-0 top-0 bottom-0 w-1.5 -ml-0.75 cursor-col-resize z-10 hover:bg-accent/40 focus-visible:bg-accent/60 outline-none"
        onPointerDown={startResize}
        onKeyDown={resizeByKey}
      />
      <header class="flex items-center gap-1 px-3 py-2 border-b border-line">
        <div class="min-w-0 flex-1">
          <div class="flex items-center gap-2 text-sm font-semibold">
            {t("workspace.title")}
            <span
              class="inline-block w-2 h-2 rounded-full"
              classList={{
                "bg-ok": live() === "live",
                "bg-warn": live() === "connecting",
                "bg-line": live() === "off",
              }}
              title={liveLabel()}
              role="img"
              aria-label={liveLabel()}
            />
          </div>
          {/* Right-to-left box so a long path is cut at its start and its end (the folder name) stays. */}
          <div
            class="text-xs text-muted truncate font-mono text-left"
            style={{ direction: "rtl" }}
            title={tree.state.root}
          >
            <bdi>{tree.state.root}</bdi>
          </div>
        </div>
        <button
          type="button"
          class="icon-btn"
          title={t("workspace.refresh")}
          aria-label={t("workspace.refresh")}
          disabled={refreshing()}
          onClick={() => void reloadAll()}
          data-testid="workspace-refresh"
        >
          <RefreshGlyph spinning={refreshing()} />
        </button>
        <button
          type="button"
          class="icon-btn"
          title={t("workspace.openFolder")}
          aria-label={t("workspace.openFolder")}
          onClick={() => void openFolder()}
          data-testid="workspace-open-folder"
        >
          <FolderIcon size={16} />
        </button>
        <button
          type="button"
          class="icon-btn"
          title={t("workspace.close")}
          aria-label={t("workspace.close")}
          onClick={() => props.onClose()}
          data-testid="workspace-close"
        >
          <CloseGlyph />
        </button>
      </header>
      <div
        class="overflow-auto min-h-24"
        classList={{ "flex-1": !selected(), "h-2/5 shrink-0": !!selected() }}
      >
        <FileTree tree={tree} selected={selected()} onOpenFile={setSelected} />
      </div>
      <Show when={selected()}>
        {(path) => (
          <div class="flex-1 min-h-0 border-t border-line">
            <FilePreview
              agentId={props.agentId}
              path={path()}
              version={previewVersion()}
              onClose={() => setSelected(undefined)}
              onDeleted={(deleted) => {
                setSelected(undefined);
                void tree.refresh([deleted]);
              }}
            />
          </div>
        )}
      </Show>
    </aside>
  );
}

function RefreshGlyph(props: { spinning: boolean }) {
  return (
    <svg
      width="15"
      height="15"
      viewBox="0 0 24 24"
      aria-hidden="true"
      class={props.spinning ? "animate-spin" : undefined}
    >
      <path
        d="M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
