/**
 * Light / dark / system theme. "system" follows the OS live. The choice is kept in localStorage so the
 * inline script in index.html can apply it before the first paint.
 */
import { createSignal } from "solid-js";

export type ThemeChoice = "light" | "dark" | "system";

const media = window.matchMedia("(prefers-color-scheme: dark)");
const saved = localStorage.getItem("sage.theme");
const [theme, setThemeSignal] = createSignal<ThemeChoice>(
  saved === "light" || saved === "dark" ? saved : "system",
);

export { theme };

export function isDark(): boolean {
  return theme() === "dark" || (theme() === "system" && media.matches);
}

function apply(): void {
  document.documentElement.classList.toggle("dark", isDark());
}

export function setTheme(choice: ThemeChoice): void {
  localStorage.setItem("sage.theme", choice);
  setThemeSignal(choice);
  apply();
}

/** light -> dark -> system -> light */
export function cycleTheme(): void {
  setTheme(theme() === "light" ? "dark" : theme() === "dark" ? "system" : "light");
}

media.addEventListener("change", apply);
apply();
