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

export function installIcon(env: Record<string, string | undefined>): string | undefined {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  const target = join(dataHome, "icons", "hicolor", "256x256", "apps", `${ICON_NAME}.png`);
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
