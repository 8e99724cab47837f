/**
 * Can this machine show Sage's window? Checks for a display and for the webview libraries
 * (WebKitGTK 6 / GTK 4) before anything tries to load them, so a failure becomes a clear message and a
 * fallback to serve mode instead of a crash or a silent exit.
 */
import { dlopen, FFIType, ptr } from "bun:ffi";
import { readdirSync } from "node:fs";
import { currentOs, type OperatingSystem } from "../core/platform.ts";

/**
 * Why the window cannot open, said so a person can act on it: `cause` tells the two apart (no display
 * vs a missing library), `reason` is the first line to print, `hint` what to do about it.
 */
export type WindowAvailability =
  | { ok: true }
  | {
      ok: false;
      cause: "no-display" | "missing-library";
      /** The first webview library that failed to load, when one did (also checked with no display). */
      missingLibrary: string | undefined;
      reason: string;
      hint: string;
    };

export const WEBVIEW_INSTALL_HINT =
  "To get the Sage window, install the webview libraries: on Debian/Ubuntu `sudo apt install libwebkitgtk-6.0-4 libvulkan1` " +
  "(Fedora: `sudo dnf install webkitgtk6.0`).";

/** The libraries the window needs, each with a symbol that proves it loaded. */
export const WEBVIEW_LIBRARIES: readonly (readonly [library: string, symbol: string])[] = [
  ["libgtk-4.so.1", "gtk_get_major_version"],
  ["libwebkitgtk-6.0.so.4", "webkit_get_major_version"],
  // The webview library itself links Vulkan's loader (not installed by WebKitGTK without recommends).
  ["libvulkan.so.1", "vkGetInstanceProcAddr"],
];

/** Loads `library` (and resolves `symbol`), throwing when it cannot. */
export type LibraryLoader = (library: string, symbol: string) => void;

const loadLibrary: LibraryLoader = (library, symbol) => {
  // Never dlclose a toolkit: unloading GTK crashes the process later. It stays loaded for the window.
  dlopen(library, { [symbol]: { args: [], returns: FFIType.u32 } });
};

/** The first webview library that does not load, or undefined when all of them do. */
export function missingWebviewLibrary(load: LibraryLoader = loadLibrary): string | undefined {
  for (const [library, symbol] of WEBVIEW_LIBRARIES) {
    try {
      load(library, symbol);
    } catch {
      return library;
    }
  }
  return undefined;
}

/**
 * Linux needs a display and the WebKitGTK libraries. macOS (WebKit) and Windows (WebView2, part of
 * Windows 10 and 11) bring their webview with the system and always have a desktop: ok there.
 */
export function checkWindowAvailability(
  env: Record<string, string | undefined>,
  load: LibraryLoader = loadLibrary,
  os: OperatingSystem = currentOs(),
): WindowAvailability {
  if (os !== "linux") return { ok: true };
  const missingLibrary = missingWebviewLibrary(load);
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      ok: false,
      cause: "no-display",
      missingLibrary,
      reason:
        "Sage could not open its window: no display was found (DISPLAY and WAYLAND_DISPLAY are not set, " +
        "as over SSH or on a server).",
      hint: missingLibrary
        ? `The webview library ${missingLibrary} is not installed either. ${WEBVIEW_INSTALL_HINT}`
        : "The webview libraries are installed: start Sage from a desktop session to get the window.",
    };
  }
  if (missingLibrary) {
    return {
      ok: false,
      cause: "missing-library",
      missingLibrary,
      reason: `Sage could not open its window: the webview library ${missingLibrary} is not installed.`,
      hint: WEBVIEW_INSTALL_HINT,
    };
  }
  return { ok: true };
}

/**
 * Without a GPU render node (virtual machines, remote desktops, Xvfb), WebKit's accelerated compositing
 * falls back to a slow software path; its non-composited mode draws the same page about twice as fast
 * there (measured on the long-chat benchmark under Xvfb: first screen 967 -> 508 ms, scroll frames
 * 48 -> 22 ms). Must run before the window is created. A user's own setting always wins.
 */
export function preferPlainRenderingWithoutGpu(
  env: Record<string, string | undefined>,
  os: OperatingSystem = currentOs(),
): boolean {
  if (os !== "linux") return false;
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
