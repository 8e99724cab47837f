/**
 * Can this machine show Sage's window? Checks for a display and for the webview libraries
 * (WebKitGTK 6 / GTK 4) before anything tries to load them, so a failure becomes a clear message and a
 * fallback to serve mode instead of a crash or a silent exit.
 */
import { dlopen, FFIType } from "bun:ffi";

export type WindowAvailability = { ok: true } | { ok: false; reason: string; hint: string };

export const WEBVIEW_INSTALL_HINT =
  "To get the Sage window, install the webview libraries: on Debian/Ubuntu `sudo apt install libwebkitgtk-6.0-4` " +
  "(Fedora: `sudo dnf install webkitgtk6.0`).";

export function checkWindowAvailability(env: Record<string, string | undefined>): WindowAvailability {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      ok: false,
      reason:
        "No display was found (DISPLAY and WAYLAND_DISPLAY are not set), so Sage cannot open its window.",
      hint: `Run Sage from a desktop session, or use \`sage --serve\` on a headless machine. ${WEBVIEW_INSTALL_HINT}`,
    };
  }
  const probes: [string, string][] = [
    ["libgtk-4.so.1", "gtk_get_major_version"],
    ["libwebkitgtk-6.0.so.4", "webkit_get_major_version"],
  ];
  for (const [library, symbol] of probes) {
    try {
      // Never dlclose a toolkit: unloading GTK crashes the process later. It stays loaded for the window.
      dlopen(library, { [symbol]: { args: [], returns: FFIType.u32 } });
    } catch {
      return {
        ok: false,
        reason: `The webview library ${library} is not installed.`,
        hint: WEBVIEW_INSTALL_HINT,
      };
    }
  }
  return { ok: true };
}
