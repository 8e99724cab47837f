/**
 * Tell the server whether this page has the focus, so desktop notifications are sent only while the
 * user is elsewhere (src/desktop/window-focus.ts). Reports on focus, blur and visibility changes,
 * repeats "focused" every few minutes (the server forgets stale reports) and says "not focused" when
 * the page goes away.
 */
import { authHeaders } from "./api.ts";

const clientId = `p_${Math.random().toString(36).slice(2, 12)}`;
const REPEAT_MS = 4 * 60_000;
let last: boolean | undefined;

function hasFocus(): boolean {
  return document.visibilityState === "visible" && document.hasFocus();
}

function report(focused: boolean, force = false): void {
  if (!force && focused === last) return;
  last = focused;
  void fetch("/api/app/focus", {
    method: "POST",
    headers: { ...authHeaders(), "content-type": "application/json" },
    body: JSON.stringify({ clientId, focused }),
    credentials: "same-origin",
    keepalive: true,
  }).catch(() => {
    // Offline: the next change reports again.
    last = undefined;
  });
}

export function startFocusReports(): void {
  window.addEventListener("focus", () => report(true));
  window.addEventListener("blur", () => report(false));
  document.addEventListener("visibilitychange", () => report(hasFocus()));
  window.addEventListener("pagehide", () => report(false, true));
  setInterval(() => {
    if (last) report(true, true);
  }, REPEAT_MS);
  report(hasFocus());
}
