/**
 * What the server may ask of the desktop shell around it. Window mode implements it by messaging the
 * main thread (which owns the window); serve mode by acting on the process.
 */
import type { RunMode } from "../core/args.ts";
import { currentOs, type OperatingSystem } from "../core/platform.ts";
import type { WindowFileDialog } from "./file-dialog.ts";

export interface ShellControl {
  kind: RunMode;
  /** Bring the window to the front. Returns false when there is no window (serve mode). */
  activate(): boolean;
  /** Quit the whole app cleanly (DB checkpointed, exit 0). */
  quit(): void;
  /**
   * The window's own file dialog (GTK's, shown by the window thread): the fallback when no desktop
   * portal answers. Window mode only; it answers "unavailable" where GTK is not there (macOS, Windows).
   */
  fileDialog?: WindowFileDialog;
  /**
   * Test-only hooks, present only when the app was started with SAGE_TEST_HOOKS=1 (window mode). Their
   * routes under /api/app/debug/ do not exist otherwise.
   */
  testHooks?: TestHooks;
}

export interface TestHooks {
  /** Kill the server worker abruptly (exit code 70), as a crash would; the supervisor must recover. */
  crashWorker(): void;
  /** Write a measurement the page made (benchmarks in the real webview) to the log as `bench <name> <json>`. */
  report(name: string, data: unknown): void;
  /** Ask the window to close as the window manager's close button does (GTK's close-request). */
  closeWindow?(): void;
}

/**
 * The programs that open a URL (or a file:// URL of a folder) in the user's default application, in
 * the order to try them. Linux: xdg-open, gio, sensible-browser (the ones installed). macOS: `open`.
 * Windows: the URL protocol handler through rundll32 (not `cmd /c start`, whose command-line parsing
 * would run whatever follows an `&` in a URL).
 */
export function openerCommands(
  target: string,
  os: OperatingSystem = currentOs(),
  which: (name: string) => string | null = (name) => Bun.which(name),
): string[][] {
  if (os === "darwin") return [["/usr/bin/open", target]];
  if (os === "windows") return [["rundll32.exe", "url.dll,FileProtocolHandler", target]];
  const commands: string[][] = [];
  for (const opener of ["xdg-open", "gio", "sensible-browser"]) {
    const path = which(opener);
    if (path) commands.push(opener === "gio" ? [path, "open", target] : [path, target]);
  }
  return commands;
}

/** Open a URL or file in the user's default application (never inside the app window). */
export function openExternal(target: string, os: OperatingSystem = currentOs()): boolean {
  for (const command of openerCommands(target, os)) {
    try {
      const child = Bun.spawn(command, { stdio: ["ignore", "ignore", "ignore"] });
      child.unref();
      return true;
    } catch {
      // try the next opener
    }
  }
  return false;
}
