/**
 * The window's remembered size (config dir, window.json). GTK 4 leaves window placement to the window
 * manager, so only the size is restored; the manager places the window.
 */
import { readFileSync, writeFileSync } from "node:fs";

export interface WindowState {
  width: number;
  height: number;
}

export const MIN_SIZE: WindowState = { width: 720, height: 480 };
export const DEFAULT_SIZE: WindowState = { width: 1280, height: 820 };

export function loadWindowState(path: string): WindowState {
  try {
    const saved = JSON.parse(readFileSync(path, "utf8")) as Partial<WindowState>;
    const width = Number(saved.width);
    const height = Number(saved.height);
    if (Number.isFinite(width) && Number.isFinite(height)) {
      return {
        width: Math.min(Math.max(Math.round(width), MIN_SIZE.width), 7680),
        height: Math.min(Math.max(Math.round(height), MIN_SIZE.height), 4320),
      };
    }
  } catch {
    // First run or an unreadable file: use the default.
  }
  return DEFAULT_SIZE;
}

export function saveWindowState(path: string, state: WindowState): void {
  try {
    writeFileSync(path, JSON.stringify(state), { mode: 0o600 });
  } catch {
    // Not worth failing a clean exit over.
  }
}
