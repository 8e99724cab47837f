/**
 * Install the app icon into the user's icon theme ($XDG_DATA_HOME/icons/hicolor) so GTK can show it for
 * the window (GTK 4 windows take an icon *name*), and the desktop entry can use it; and the tray's state
 * icons beside it (the app icon with a badge: "sage-running" while a turn runs, "sage-waiting" while
 * one waits for the user; rendered from their SVGs by scripts/render-icons.ts). Cheap and idempotent:
 * written only when missing or different.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import iconPath from "./assets/sage-icon.png" with { type: "file" };
import runningIconPath from "./assets/sage-running.png" with { type: "file" };
import waitingIconPath from "./assets/sage-waiting.png" with { type: "file" };

export const ICON_NAME = "sage";

/** The tray icon per state: the app icon, with a "working" badge, with a "waiting for you" badge. */
export interface TrayIcons {
  idle: string;
  running: string;
  waiting: string;
}

const TRAY_ICON_FILES: Record<Exclude<keyof TrayIcons, "idle">, { name: string; source: string }> = {
  running: { name: `${ICON_NAME}-running`, source: runningIconPath },
  waiting: { name: `${ICON_NAME}-waiting`, source: waitingIconPath },
};

/** The user's icon folder (`$XDG_DATA_HOME/icons`), where `installIcon` puts the hicolor theme's icon. */
export function userIconDir(env: Record<string, string | undefined>): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(dataHome, "icons");
}

/** Where the hicolor theme keeps icon `name` (the app icon and the tray's state icons). */
export function themeIconPath(env: Record<string, string | undefined>, name: string): string {
  return join(userIconDir(env), "hicolor", "256x256", "apps", `${name}.png`);
}

/** The tray state icons' files in the user's theme (removed by `sage --uninstall`). */
export function trayIconPaths(env: Record<string, string | undefined>): string[] {
  return Object.values(TRAY_ICON_FILES).map(({ name }) => themeIconPath(env, name));
}

export function installIcon(env: Record<string, string | undefined>): string | undefined {
  return installThemeIcon(themeIconPath(env, ICON_NAME), iconPath);
}

/**
 * The tray's icons as hosts should load them: the installed files' absolute paths (KDE, Xfce and the
 * GNOME AppIndicator extension load a path directly, while a bare name depends on their theme lookup),
 * or the theme names for the files that could not be written.
 */
export function installTrayIcons(env: Record<string, string | undefined>): TrayIcons {
  const install = (state: keyof typeof TRAY_ICON_FILES) => {
    const { name, source } = TRAY_ICON_FILES[state];
    return installThemeIcon(themeIconPath(env, name), source) ?? name;
  };
  return { idle: installIcon(env) ?? ICON_NAME, running: install("running"), waiting: install("waiting") };
}

function installThemeIcon(target: string, source: string): string | undefined {
  try {
    const icon = readFileSync(source);
    if (existsSync(target) && statSync(target).size === icon.length) return target;
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, icon);
    return target;
  } catch {
    return undefined;
  }
}
