/**
 * The sidebar as a drawer on narrow windows (below NARROW_WIDTH px): hidden until the menu button in a
 * page's header opens it over the content; Escape, a click outside, or choosing a chat or page closes
 * it. On wide windows it is always shown and `open` stays false.
 *
 * Focus contract: opening moves the focus into the drawer (the sidebar does that); closing returns it
 * to the menu button that opened it when the focus was inside the drawer.
 */
import { createEffect, createRoot, createSignal, on } from "solid-js";
import { path } from "../lib/router.ts";

/** Below this width (px) the sidebar is a drawer. Matches the `wide` breakpoint in uno.config.ts. */
export const NARROW_WIDTH = 900;

const query = window.matchMedia(`(max-width: ${NARROW_WIDTH - 1}px)`);
const [narrow, setNarrow] = createSignal(query.matches);
const [open, setOpen] = createSignal(false);
/** The button that opened the drawer, to give the focus back to. */
let opener: HTMLElement | null = null;

query.addEventListener("change", (event) => {
  setNarrow(event.matches);
  if (!event.matches) setOpen(false);
});

// Choosing a chat or a page (any route change) closes the drawer.
createRoot(() => createEffect(on(path, () => closeDrawer(), { defer: true })));

export const drawer = {
  /** The window is narrow: the sidebar is a drawer. */
  narrow,
  /** The drawer is open (only ever while narrow). */
  open,
};

export function openDrawer(from?: HTMLElement): void {
  if (!narrow()) return;
  opener = from ?? (document.activeElement as HTMLElement | null);
  setOpen(true);
}

/** Close; the focus goes back to the opener if it was inside the drawer (or nowhere). */
export function closeDrawer(): void {
  if (!open()) return;
  const drawerElement = document.getElementById("sidebar");
  const focusInside =
    !document.activeElement ||
    document.activeElement === document.body ||
    !!drawerElement?.contains(document.activeElement);
  setOpen(false);
  if (focusInside && opener?.isConnected) opener.focus();
  opener = null;
}
