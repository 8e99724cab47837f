/**
 * A small path router over the History API (the server answers every non-API path with index.html).
 * Routes: /  /s/:sessionId  /settings[/:section]  /skills[/:name]  /tools[/:name]  /setup
 */
import { createSignal } from "solid-js";

const [path, setPath] = createSignal(location.pathname + location.search);

window.addEventListener("popstate", () => setPath(location.pathname + location.search));

export { path };

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === path()) return;
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  setPath(to);
}

export type Route =
  | { page: "home" }
  /** `draft`: text for the message box from a sage://new?prompt= link that started Sage (app.tsx). */
  | { page: "session"; sessionId: string; messageId?: string; draft?: string }
  | { page: "settings"; section?: string }
  | { page: "skills"; name?: string }
  | { page: "tools"; name?: string }
  | { page: "tasks"; id?: string }
  | { page: "setup" }
  | { page: "not-found" };

export function parseRoute(full: string): Route {
  const [pathname = "/", search = ""] = full.split("?");
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search);
  switch (parts[0]) {
    case undefined:
      return { page: "home" };
    case "s":
      return parts[1]
        ? {
            page: "session",
            sessionId: parts[1],
            messageId: params.get("m") ?? undefined,
            draft: params.get("draft") ?? undefined,
          }
        : { page: "home" };
    case "settings":
      return { page: "settings", section: parts[1] };
    case "skills":
      return { page: "skills", name: parts[1] };
    case "tools":
      return { page: "tools", name: parts[1] };
    case "tasks":
      return { page: "tasks", id: parts[1] };
    case "setup":
      return { page: "setup" };
    default:
      return { page: "not-found" };
  }
}

/** Intercept a click on an in-app link (keeps modifier-clicks and external links working). */
export function linkHandler(to: string) {
  return (event: MouseEvent) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
}
