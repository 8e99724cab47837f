/**
 * Translation: `t(key, params)` reads the current locale reactively, so switching language re-renders
 * every string without a restart. The choice is stored in localStorage (and mirrored to settings later).
 */
import { createSignal } from "solid-js";
import { en, type MessageKey, type Messages } from "./en.ts";
import { zh } from "./zh.ts";

export type Locale = "en" | "zh";
const dictionaries: Record<Locale, Messages> = { en, zh };

function initialLocale(): Locale {
  const saved = localStorage.getItem("sage.locale");
  if (saved === "en" || saved === "zh") return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
document.documentElement.lang = locale() === "zh" ? "zh-CN" : "en";

export { locale };

export function setLocale(next: Locale): void {
  localStorage.setItem("sage.locale", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  setLocaleSignal(next);
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[locale()][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export type { MessageKey };
