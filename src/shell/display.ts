/**
 * Can this machine show Sage's window? Checks for a display and for the webview libraries
 * (WebKitGTK 6 / GTK 4) before anything tries to load them, so a failure becomes a clear message and a
 * fallback to serve mode instead of a crash or a silent exit.
 */
import { dlopen, FFIType, ptr } from "bun:ffi";
import { readdirSync } from "node:fs";

export type WindowAvailability = { ok: true } | { ok: false; reason: string; hint: string };

export const WEBVIEW_INSTALL_HINT =
  "To get the Sage window, install the webview libraries: on Debian/Ubuntu `sudo apt install libwebkitgtk-6.0-4 libvulkan1` " +
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
    // The webview library itself links Vulkan's loader (not installed by WebKitGTK without recommends).
    ["libvulkan.so.1", "vkGetInstanceProcAddr"],
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

/**
 * Without a GPU render node (virtual machines, remote desktops, Xvfb), WebKit's accelerated compositing
 * falls back to a slow software path; its non-composited mode draws the same page about twice as fast
 * there (measured on the long-chat benchmark under Xvfb: first screen 967 -> 508 ms, scroll frames
 * 48 -> 22 ms). Must run before the window is created. A user's own setting always wins.
 */
export function preferPlainRenderingWithoutGpu(env: Record<string, string | undefined>): boolean {
  if (env.WEBKIT_DISABLE_COMPOSITING_MODE !== undefined) return false;
  if (hasRenderNode()) return false;
  // process.env does not reach the C environment WebKit reads: set it there.
  const libc = dlopen("libc.so.6", {
    setenv: { args: [FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  });
  const name = Buffer.from("WEBKIT_DISABLE_COMPOSITING_MODE\0");
  const value = Buffer.from("1\0");
  const ok = libc.symbols.setenv(ptr(name), ptr(value), 1) === 0;
  libc.close();
  return ok;
}

function hasRenderNode(): boolean {
  try {
    return readdirSync("/dev/dri").some((name) => name.startsWith("renderD"));
  } catch {
    return false;
  }
}
