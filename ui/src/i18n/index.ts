/**
 * Translation: `t(key, params)` reads the current locale reactively, so switching language re-renders
 * every string without a restart. The choice is stored in localStorage.
 * Strings live per feature in locales/*.ts (see define.ts); add a feature's table to `tables` below.
 */
import { createSignal } from "solid-js";
import { app } from "./locales/app.ts";
import { chat } from "./locales/chat.ts";
import { chatTools } from "./locales/chat-tools.ts";
import { jobs } from "./locales/jobs.ts";
import { mcp } from "./locales/mcp.ts";
import { settings } from "./locales/settings.ts";
import { settingsAgents } from "./locales/settings-agents.ts";
import { settingsGeneral } from "./locales/settings-general.ts";
import { settingsProviders } from "./locales/settings-providers.ts";
import { setup } from "./locales/setup.ts";
import { skills } from "./locales/skills.ts";
import { storage } from "./locales/storage.ts";
import { tasks } from "./locales/tasks.ts";
import { tools } from "./locales/tools.ts";
import { workspace } from "./locales/workspace.ts";

const tables = [
  app,
  chat,
  chatTools,
  jobs,
  mcp,
  settings,
  settingsGeneral,
  settingsProviders,
  settingsAgents,
  skills,
  storage,
  tasks,
  tools,
  setup,
  workspace,
] as const;

type Table = (typeof tables)[number];
/** Every key of every feature table (distributes over the union of tables). */
type KeysOf<T> = T extends { en: infer E } ? keyof E & string : never;
export type MessageKey = KeysOf<Table>;

export type Locale = "en" | "zh";
const dictionaries: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...tables.map((table) => table.en)),
  zh: Object.assign({}, ...tables.map((table) => table.zh)),
};

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
  const template = dictionaries[locale()][key] ?? dictionaries.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
