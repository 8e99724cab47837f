/**
 * Which operating system Sage runs on, as one small value every platform difference is decided by.
 *
 * Contract: code that differs per platform takes an `OperatingSystem` (defaulting to `currentOs()`)
 * instead of reading `process.platform` itself, so tests run every platform's branch on this machine
 * by passing the platform in. The differences live next to what they change: data folders
 * (src/core/paths.ts), the shell tool's shell (src/sandbox/shell-program.ts), opening URLs and folders
 * (src/desktop/shell-control.ts, src/shell/browser-launch.ts), the sandbox (src/sandbox/bubblewrap.ts,
 * src/sandbox/seatbelt.ts), the desktop entry (src/desktop/desktop-entry.ts) and the native window
 * (src/shell/webview-native.ts, src/shell/display.ts).
 */

export type OperatingSystem = "linux" | "darwin" | "windows";

/** The OS of a Node-style platform name; every Unix but macOS behaves as Linux (XDG, xdg-open, sh). */
export function operatingSystemOf(platform: string): OperatingSystem {
  if (platform === "win32") return "windows";
  if (platform === "darwin") return "darwin";
  return "linux";
}

/** The OS this process runs on. */
export function currentOs(): OperatingSystem {
  return operatingSystemOf(process.platform);
}
