/**
 * `sage --install` / `sage --uninstall`: the desktop entry that puts Sage in the application menu and
 * makes it the handler of `sage:` links, and the XDG autostart entry (Settings → General). Contract:
 * - install writes `$XDG_DATA_HOME/applications/sage.desktop` (Exec = this executable, `%u` for links),
 *   the icon into the user's hicolor theme, and `x-scheme-handler/sage=sage.desktop` into
 *   `$XDG_CONFIG_HOME/mimeapps.list` (other lines kept); it is idempotent;
 * - uninstall removes exactly what install, autostart and the tray (its state icons) wrote, keeping the
 *   rest of mimeapps.list;
 * - paths with spaces or quotes are quoted as the Desktop Entry spec requires.
 */

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { currentOs, type OperatingSystem } from "../core/platform.ts";
import { ICON_NAME, installIcon, themeIconPath, trayIconPaths } from "./desktop-icon.ts";

export const DESKTOP_FILE = "sage.desktop";
export const URL_SCHEME = "sage";
const MIME = `x-scheme-handler/${URL_SCHEME}`;

type Env = Record<string, string | undefined>;

export interface DesktopEntryPaths {
  desktopFile: string;
  autostartFile: string;
  mimeapps: string;
  icon: string;
  /** The tray's state icons, installed beside the app icon when the tray starts. */
  trayIcons: string[];
}

export function desktopEntryPaths(env: Env): DesktopEntryPaths {
  const home = env.HOME || homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const configHome = env.XDG_CONFIG_HOME || join(home, ".config");
  return {
    desktopFile: join(dataHome, "applications", DESKTOP_FILE),
    autostartFile: join(configHome, "autostart", DESKTOP_FILE),
    mimeapps: join(configHome, "mimeapps.list"),
    icon: themeIconPath(env, ICON_NAME),
    trayIcons: trayIconPaths(env),
  };
}

/** An Exec argument quoted per the Desktop Entry spec (only when needed). */
export function quoteExec(argument: string): string {
  if (/^[A-Za-z0-9_\-./+,:=@]+$/.test(argument)) return argument;
  return `"${argument.replace(/[\\"`$]/g, (c) => `\\\\${c}`)}"`;
}

export function desktopEntryText(executable: string, options: { autostart?: boolean } = {}): string {
  const lines = [
    "[Desktop Entry]",
    "Type=Application",
    "Version=1.4",
    "Name=Sage",
    "GenericName=AI agent workbench",
    "Comment=A local-first AI agent that works on your files, the web and a browser",
    `Exec=${quoteExec(executable)}${options.autostart ? " --hidden" : " %u"}`,
    `Icon=${ICON_NAME}`,
    "Terminal=false",
    "Categories=Utility;",
    "StartupNotify=true",
    `StartupWMClass=${ICON_NAME}`,
  ];
  if (!options.autostart) lines.push(`MimeType=${MIME};`);
  else lines.push("X-GNOME-Autostart-enabled=true");
  return `${lines.join("\n")}\n`;
}

/** Write the entry, icon and scheme handler; returns the files written. */
export function installDesktopEntry(env: Env, executable: string): string[] {
  const paths = desktopEntryPaths(env);
  mkdirSync(dirname(paths.desktopFile), { recursive: true });
  writeFileSync(paths.desktopFile, desktopEntryText(executable));
  const icon = installIcon(env);
  writeMimeapps(paths.mimeapps, (lines) => setDefault(lines, MIME, DESKTOP_FILE));
  refreshDatabase(dirname(paths.desktopFile));
  return [paths.desktopFile, ...(icon ? [icon] : []), paths.mimeapps];
}

/** Remove what install and autostart wrote; returns the files removed or changed. */
export function uninstallDesktopEntry(env: Env): string[] {
  const paths = desktopEntryPaths(env);
  const touched: string[] = [];
  for (const file of [paths.desktopFile, paths.autostartFile, paths.icon, ...paths.trayIcons]) {
    if (existsSync(file)) {
      rmSync(file, { force: true });
      touched.push(file);
    }
  }
  if (existsSync(paths.mimeapps)) {
    writeMimeapps(paths.mimeapps, (lines) => lines.filter((line) => !line.startsWith(`${MIME}=`)));
    touched.push(paths.mimeapps);
  }
  refreshDatabase(dirname(paths.desktopFile));
  return touched;
}

/** Settings → General "Start Sage when you log in": the XDG autostart entry. */
export function autostartEnabled(env: Env): boolean {
  return existsSync(desktopEntryPaths(env).autostartFile);
}

export function setAutostart(env: Env, executable: string, enabled: boolean): void {
  const file = desktopEntryPaths(env).autostartFile;
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, desktopEntryText(executable, { autostart: true }));
}

function writeMimeapps(path: string, change: (lines: string[]) => string[]): void {
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const lines = change(text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${lines.join("\n").replace(/\n+$/, "")}\n`);
}

/** `key=value` under [Default Applications] (the section is created when missing). */
function setDefault(lines: string[], key: string, value: string): string[] {
  const without = lines.filter((line) => !line.startsWith(`${key}=`));
  const section = without.indexOf("[Default Applications]");
  if (section < 0)
    return [...without, ...(without.length ? [""] : []), "[Default Applications]", `${key}=${value}`];
  return [...without.slice(0, section + 1), `${key}=${value}`, ...without.slice(section + 1)];
}

/** Let menus notice at once where the tool exists (it is optional: menus also rescan by themselves). */
function refreshDatabase(folder: string): void {
  const tool = Bun.which("update-desktop-database");
  if (!tool || !existsSync(folder)) return;
  try {
    Bun.spawnSync([tool, folder], { stdout: "ignore", stderr: "ignore", timeout: 5000 });
  } catch {
    // Optional.
  }
}

/**
 * The `--install` / `--uninstall` commands: say what was written or removed. Installing needs the
 * compiled executable (Exec must name a program that starts Sage by itself).
 */
export function runDesktopEntryCommand(
  kind: "install" | "uninstall",
  env: Env,
  executable: string,
  compiled: boolean,
  os: OperatingSystem = currentOs(),
): number {
  if (os !== "linux") {
    console.error(
      `--${kind} writes a Linux desktop entry (application menu, sage: links); this is ${os === "darwin" ? "macOS" : "Windows"}, where it does nothing.`,
    );
    return 2;
  }
  try {
    if (kind === "uninstall") {
      const removed = uninstallDesktopEntry(env);
      console.log(
        removed.length ? `Removed Sage's desktop entry:\n  ${removed.join("\n  ")}` : "Nothing to remove.",
      );
      return 0;
    }
    if (!compiled) {
      console.error("--install needs the built executable (bun run build, then dist/sage --install).");
      return 2;
    }
    const written = installDesktopEntry(env, executable);
    console.log(`Sage is in the application menu and opens sage:// links:\n  ${written.join("\n  ")}`);
    return 0;
  } catch (error) {
    console.error(`Could not ${kind} the desktop entry: ${(error as Error).message}`);
    return 1;
  }
}
