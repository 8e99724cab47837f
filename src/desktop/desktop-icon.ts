/**
 * Install the app icon into the user's icon theme ($XDG_DATA_HOME/icons/hicolor) so GTK can show it for
 * the window (GTK 4 windows take an icon *name*), and the desktop entry can use it. Cheap and idempotent:
 * written only when missing or different.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import iconPath from "./assets/sage-icon.png" with { type: "file" };

export const ICON_NAME = "sage";

/** The user's icon folder (`$XDG_DATA_HOME/icons`), where `installIcon` puts the hicolor theme's icon. */
export function userIconDir(env: Record<string, string | undefined>): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(dataHome, "icons");
}

export function installIcon(env: Record<string, string | undefined>): string | undefined {
  const target = join(userIconDir(env), "hicolor", "256x256", "apps", `${ICON_NAME}.png`);
  try {
    const icon = readFileSync(iconPath);
    if (existsSync(target) && statSync(target).size === icon.length) return target;
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, icon);
    return target;
  } catch {
    return undefined;
  }
}
