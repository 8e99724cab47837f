/**
 * Serve mode's "open it in a browser" step, and the line it prints about what happened. Contract: the
 * console never claims a browser opened when none was asked to, and says why not (no display, no
 * opener installed), so a person knows to open the printed URL themselves.
 */
import { currentOs, type OperatingSystem } from "../core/platform.ts";
import { openExternal } from "../desktop/shell-control.ts";

/** What became of the attempt to open the URL in the default browser. */
export type BrowserOutcome =
  /** An opener (xdg-open, gio, sensible-browser) was started with the URL. */
  | "opened"
  /** `--no-open`, or dev mode (Vite's page is the one to open): nothing was tried, nothing to say. */
  | "not-asked"
  /** Linux: DISPLAY and WAYLAND_DISPLAY are unset, so a browser could not show a window. */
  | "no-display"
  /** A display exists but no opener program is installed. */
  | "no-opener";

export interface OpenInBrowserOptions {
  noOpen: boolean;
  env: Record<string, string | undefined>;
  /** Starts the default application for a URL; false when no opener exists. Default: openExternal. */
  open?: (url: string) => boolean;
  /** Only Linux needs DISPLAY / WAYLAND_DISPLAY; macOS and Windows always have their desktop. */
  os?: OperatingSystem;
}

export function openInBrowser(url: string, options: OpenInBrowserOptions): BrowserOutcome {
  if (options.noOpen) return "not-asked";
  const os = options.os ?? currentOs();
  if (os === "linux" && !options.env.DISPLAY && !options.env.WAYLAND_DISPLAY) return "no-display";
  return (options.open ?? openExternal)(url) ? "opened" : "no-opener";
}

/** The line to print after the URL, or undefined when there is nothing to say. */
export function describeBrowserOutcome(outcome: BrowserOutcome, port: number): string | undefined {
  switch (outcome) {
    case "opened":
      return "Opening it in your default browser.";
    case "not-asked":
      return undefined;
    case "no-display":
      return (
        "No browser was opened: there is no display here. Open the URL in a browser on this computer; " +
        `over SSH, forward the port first (ssh -L ${port}:127.0.0.1:${port} <this host>) and open it on yours.`
      );
    case "no-opener":
      return "No browser was opened: none of xdg-open, gio or sensible-browser is installed. Open the URL yourself.";
  }
}
