/**
 * A list and the chosen item's detail (the Skills, Tools and Tasks pages).
 *
 * Wide windows (768 px and up): the list is a 320 px column on the left, the detail takes the rest.
 * Narrow windows: one column of the window's width. It shows the list until an item is chosen
 * (`showDetail`), then the detail alone under a Back control that returns to the list (`onBack`, which
 * should navigate to the list's address). Escape (outside text fields and dialogs) and Alt+Left go back
 * too. Moving between the two moves the focus: to the Back control when the detail opens from the list,
 * to the chosen item (`aria-current`) when the list comes back, so a keyboard user never lands on a
 * hidden element. Which half shows is CSS only (`lt-md:`), so nothing remounts when the window is
 * resized across the breakpoint.
 */
import { createEffect, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import { t } from "../../i18n/index.ts";
import { DrawerButton } from "./drawer-button.tsx";

/** Matches UnoCSS's `lt-md` (below the `md` breakpoint, 768 px; uno.config.ts). */
const NARROW_QUERY = "(max-width: 767.9px)";
/** How a list marks its chosen item. */
const CHOSEN = '[aria-current="page"], [aria-selected="true"]';

export function isNarrowLayout(): boolean {
  return window.matchMedia(NARROW_QUERY).matches;
}

export function ListDetail(props: {
  /** The list column's content (its header, filters and items). */
  list: JSX.Element;
  /** Names the list column (an `aside`) for assistive technology, e.g. "Skills". */
  listLabel: string;
  /** The detail: the chosen item, or what shows before one is chosen (on wide windows only). */
  detail: JSX.Element;
  /** An item (or a form such as "New task") is chosen: narrow windows show the detail. */
  showDetail: boolean;
  /** Back to the list; without it the detail shows no Back control. */
  onBack?: () => void;
  /** Classes of the detail's box (scrolling, padding); the default scrolls with padding. */
  detailClass?: string;
  /** Classes of the list column's box, added to the defaults. */
  listClass?: string;
  /** Extra content of the root (overlays, dialogs). */
  children?: JSX.Element;
  /** The root's test id and events (the Skills page takes dropped files). */
  testId?: string;
  rootProps?: JSX.HTMLAttributes<HTMLDivElement>;
}) {
  let root!: HTMLDivElement;
  let back: HTMLButtonElement | undefined;
  let listBox!: HTMLElement;

  /** The item whose detail was shown: the focus returns to it with the list. */
  let chosen: HTMLElement | null = null;
  const goBack = () => {
    chosen = listBox.querySelector<HTMLElement>(CHOSEN);
    props.onBack?.();
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || !props.showDetail || !props.onBack || !isNarrowLayout()) return;
    const target = event.target instanceof Element ? event.target : null;
    // Keys for a dialog (a confirm, the palette, the drawer) or typed elsewhere in the window are not ours.
    if (target?.closest('[role="dialog"], [role="alertdialog"]')) return;
    if (target && target !== document.body && !root.contains(target)) return;
    const altLeft = event.key === "ArrowLeft" && event.altKey && !event.ctrlKey && !event.metaKey;
    const plainEscape = event.key === "Escape" && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (!altLeft && !plainEscape) return;
    // In a text field these keys edit (Escape may clear it; Alt+Left moves by word on some systems).
    if (target && isTextField(target)) return;
    event.preventDefault();
    goBack();
  };
  onMount(() => window.addEventListener("keydown", onKey));
  onCleanup(() => window.removeEventListener("keydown", onKey));

  // The half that was showing is hidden now: take the focus to the half that shows, unless it is
  // already somewhere visible (a dialog, the detail's own field).
  createEffect(
    on(
      () => props.showDetail,
      (showDetail) => {
        if (!isNarrowLayout()) return;
        queueMicrotask(() => {
          const active = document.activeElement;
          const lost = !active || active === document.body || !isVisible(active);
          if (!lost) return;
          if (showDetail) back?.focus();
          else
            (chosen?.isConnected ? chosen : (listBox.querySelector<HTMLElement>(CHOSEN) ?? listBox)).focus();
          chosen = null;
        });
      },
      { defer: true },
    ),
  );

  return (
    <div
      ref={root}
      class="flex-1 flex min-h-0 min-w-0 relative"
      data-testid={props.testId}
      data-list-detail={props.showDetail ? "detail" : "list"}
      {...props.rootProps}
    >
      <aside
        ref={listBox}
        tabIndex={-1}
        class={`w-80 shrink-0 border-r border-line flex flex-col min-h-0 outline-none lt-md:w-full lt-md:border-r-0 ${props.showDetail ? "lt-md:hidden" : ""} ${props.listClass ?? ""}`}
        aria-label={props.listLabel}
        data-testid="list-pane"
      >
        {props.list}
      </aside>
      <div
        class={`flex-1 min-w-0 min-h-0 flex flex-col ${props.showDetail ? "" : "lt-md:hidden"}`}
        data-testid="detail-pane"
      >
        <Show when={props.showDetail && props.onBack}>
          <div class="md:hidden px-3 h-11 shrink-0 flex items-center gap-2 border-b border-line">
            {/* The list's header (with the menu button) is hidden here: the menu stays reachable. */}
            <DrawerButton />
            <button
              ref={back}
              type="button"
              class="btn-ghost text-sm flex items-center gap-1"
              onClick={goBack}
              aria-label={t("common.backTo", { name: props.listLabel })}
              aria-keyshortcuts="Escape Alt+ArrowLeft"
              data-testid="list-detail-back"
            >
              <span aria-hidden="true">←</span>
              {props.listLabel}
            </button>
          </div>
        </Show>
        <div class={props.detailClass ?? "flex-1 min-w-0 min-h-0 overflow-y-auto p-6 lt-md:p-4"}>
          {props.detail}
        </div>
      </div>
      {props.children}
    </div>
  );
}

function isTextField(element: Element): boolean {
  return (
    element.tagName === "INPUT" ||
    element.tagName === "TEXTAREA" ||
    element.tagName === "SELECT" ||
    (element instanceof HTMLElement && element.isContentEditable)
  );
}

function isVisible(element: Element): boolean {
  return element instanceof HTMLElement && element.offsetParent !== null;
}
