/**
 * Open a link outside the app: the system browser in the window (POST /api/app/open-external), a new tab
 * in a browser.
 */
import { call } from "./api-client.ts";
import { inNativeWindow } from "./env.ts";

export function openExternal(url: string): void {
  if (inNativeWindow()) {
    void call("POST /api/app/open-external", { json: { url } }).catch(() => {});
  } else {
    window.open(url, "_blank", "noopener,noreferrer");
  }
}
