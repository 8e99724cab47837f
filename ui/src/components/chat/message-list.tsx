/**
 * The transcript, virtualized (variable row heights, only what is on screen is in the DOM). Sticks to
 * the bottom while content streams unless the user scrolled up — then a "jump to latest" button shows.
 * Scrolling near the top loads the previous page, keeping the visible rows in place.
 */
import { createEffect, createSignal, on, onMount, Show } from "solid-js";
import { VList, type VListHandle } from "virtua/solid";
import { t } from "../../i18n/index.ts";
import { benchMark } from "../../lib/bench-mark.ts";
import { loadOlder, type OpenTranscript } from "../../state/transcripts.ts";
import { MessageRow, type RowContext } from "./message-row.tsx";

const BOTTOM_SLACK = 48;
/** A scroll this soon after the user's wheel, touch, pointer or key on the list is the user's own. */
const USER_SCROLL_MS = 1000;
/** How long after following the bottom a scroll short of it is taken as the list settling. */
const FOLLOW_MS = 500;
/**
 * First guess of a row's height before it is measured (px). Real rows (a question, an answer with code
 * or a tool call) are ~60-250 px; virtua's 40 px default mounts ~3x too many rows for the first screen.
 */
const ROW_HEIGHT_GUESS = 120;

export function MessageList(props: {
  transcript: OpenTranscript;
  ctx: RowContext;
  focusMessageId?: string;
  footer?: () => unknown;
}) {
  let list: VListHandle | undefined;
  const [atBottom, setAtBottom] = createSignal(true);
  const [shifting, setShifting] = createSignal(false);
  // Until the list is first placed (at its end, or at the searched message), rows are empty boxes of
  // the guessed height: the rows at the top of the page would be rendered (Markdown, code) and thrown
  // away one frame later (~25 ms of a 10,000-message chat's ~370 ms first screen in the webview).
  const [placed, setPlaced] = createSignal(false);
  const order = () => props.transcript.state.order;

  let followedAt = 0;
  const scrollToEnd = () => {
    followedAt = performance.now();
    const count = order().length;
    if (list && count > 0) list.scrollToIndex(count - 1, { align: "end" });
  };

  // Only the user leaves the bottom. A scroll that lands short of the end right after following it,
  // without the user's hand on the list (rows measured taller after the jump, on a busy machine), keeps
  // following and goes on down.
  let userScrolledAt = 0;
  const userScrolled = () => {
    userScrolledAt = performance.now();
  };
  const onScroll = (offset: number) => {
    if (!list) return;
    const bottom = offset + list.viewportSize >= list.scrollSize - BOTTOM_SLACK;
    const now = performance.now();
    if (!bottom && atBottom() && now - followedAt < FOLLOW_MS && now - userScrolledAt > USER_SCROLL_MS) {
      requestAnimationFrame(scrollToEnd);
    } else setAtBottom(bottom);
    if (offset < 300 && props.transcript.meta.hasMore && !props.transcript.meta.loadingOlder) {
      setShifting(true);
      void loadOlder(props.ctx.sessionId).finally(() => queueMicrotask(() => setShifting(false)));
    }
  };

  // New rows or growing text: follow the bottom if the user was there.
  createEffect(
    on(
      () => {
        const ids = order();
        const last = ids[ids.length - 1];
        const parts = last ? props.transcript.state.parts[last] : undefined;
        return [
          ids.length,
          last,
          parts?.length,
          parts?.map((p) => (p.type === "text" || p.type === "reasoning" ? p.text.length : 0)).join(),
        ];
      },
      () => {
        if (atBottom() && !shifting()) requestAnimationFrame(scrollToEnd);
      },
      { defer: true },
    ),
  );

  onMount(() => benchMark("list-mounted"));

  // A new page (open, reload, branch switch) starts at the bottom, or at the searched message; so does
  // opening a chat whose transcript is already loaded, and a new search hit in the open chat.
  createEffect(
    on(
      () => [props.transcript.meta.version, props.focusMessageId],
      () => {
        requestAnimationFrame(() => {
          const target = props.focusMessageId ? order().indexOf(props.focusMessageId) : -1;
          if (target >= 0 && list) {
            // Away from the newest message: stop following the bottom and offer "jump to latest" (a
            // jump that does not move the list, e.g. to the first row, fires no scroll event).
            setAtBottom(target === order().length - 1);
            list.scrollToIndex(target, { align: "center" });
          } else scrollToEnd();
          setPlaced(true);
          benchMark("rows-placed");
        });
      },
    ),
  );

  return (
    <div
      class="relative flex-1 min-h-0"
      data-testid="message-list"
      onWheel={userScrolled}
      onTouchMove={userScrolled}
      onPointerDown={userScrolled}
      onKeyDown={userScrolled}
    >
      <Show when={props.transcript.meta.loadingOlder}>
        <div class="absolute top-2 left-1/2 -translate-x-1/2 z-10 text-xs text-muted bg-panel border border-line rounded-full px-3 py-1">
          {t("chat.loadOlder")}
        </div>
      </Show>
      <VList
        ref={(handle) => {
          list = handle;
        }}
        data={order()}
        itemSize={ROW_HEIGHT_GUESS}
        shift={shifting()}
        onScroll={onScroll}
        style={{ height: "100%" }}
        role="log"
        aria-live="off"
        aria-label={t("sidebar.sessions")}
      >
        {(id, index) => (
          <Show when={placed()} fallback={<div style={{ height: `${ROW_HEIGHT_GUESS}px` }} />}>
            <MessageRow id={id} index={index()} ctx={props.ctx} />
          </Show>
        )}
      </VList>
      <Show when={!atBottom()}>
        <button
          type="button"
          class="absolute bottom-3 left-1/2 -translate-x-1/2 btn-primary rounded-full shadow-lg text-xs"
          onClick={() => {
            setAtBottom(true);
            scrollToEnd();
          }}
          data-testid="jump-to-latest"
        >
          ↓ {t("chat.jumpToLatest")}
        </button>
      </Show>
    </div>
  );
}
