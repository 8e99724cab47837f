/**
 * Keeps the UI's language and theme (kept in localStorage for the first paint) in step with the
 * server's settings, so they survive a new browser profile or the window's fresh storage; and sends a
 * first-time user to the setup wizard.
 *
 * `startSettingsSync()` runs once at app start: it applies the server's choice, then mirrors every later
 * change (the General page, the theme toggle in the sidebar) back to the server.
 */
import { createEffect, createRoot, on } from "solid-js";
import type { LanguageChoice, ThemeChoice } from "../../../../src/shared/settings.ts";
import { type Locale, locale, setLocale } from "../../i18n/index.ts";
import { navigate, parseRoute, path } from "../../lib/router.ts";
import { setTheme, theme } from "../../lib/theme.ts";
import { settingsApi, setupApi } from "./settings-api.ts";

let serverLanguage: LanguageChoice = "system";
let serverTheme: ThemeChoice = "system";

/** The language the browser prefers among those Sage has. */
export function systemLocale(): Locale {
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The language choice as the General page shows it ("system" when following the browser). */
export function languageChoice(): LanguageChoice {
  return serverLanguage;
}

export function applyLanguage(choice: LanguageChoice): void {
  serverLanguage = choice;
  if (choice === "system") {
    setLocale(systemLocale());
    localStorage.removeItem("sage.locale");
  } else setLocale(choice);
}

/** Apply and store a language chosen on the General page. */
export async function chooseLanguage(choice: LanguageChoice): Promise<void> {
  applyLanguage(choice);
  await settingsApi.update({ language: choice });
  localStorage.setItem(SYNCED_LANGUAGE, choice);
}

export async function chooseTheme(choice: ThemeChoice): Promise<void> {
  serverTheme = choice;
  setTheme(choice);
  await settingsApi.update({ theme: choice });
  localStorage.setItem(SYNCED_THEME, choice);
}

/**
 * Who wins at start: a value chosen here that may not have reached the server yet (it differs from the
 * last value known to be on the server, remembered under `sage.synced.*`) is sent to the server;
 * otherwise the server's value is applied (it may have been changed from another browser). A browser
 * that never chose anything takes the server's value.
 */
export async function startSettingsSync(): Promise<void> {
  try {
    const settings = await settingsApi.get();
    reconcileTheme(settings.theme);
    reconcileLanguage(settings.language);
  } catch {
    // Offline or an older server: keep the local choices.
  }
  createRoot(() => {
    createEffect(on(theme, (value) => pushTheme(value), { defer: true }));
    createEffect(
      on(
        locale,
        (value) => {
          if (serverLanguage === "system" && value === systemLocale()) return;
          pushLanguage(value);
        },
        { defer: true },
      ),
    );
  });
  await redirectToSetupIfNeeded();
}

/**
 * Apply the server's theme and language as they are now, whatever was chosen here: after a settings
 * import changed them on the server (they would otherwise show only after a restart).
 */
export function applyServerAppearance(settings: { theme: ThemeChoice; language: LanguageChoice }): void {
  serverTheme = settings.theme;
  localStorage.setItem(SYNCED_THEME, settings.theme);
  if (theme() !== settings.theme) setTheme(settings.theme);
  localStorage.setItem(SYNCED_LANGUAGE, settings.language);
  applyLanguage(settings.language);
}

const SYNCED_THEME = "sage.synced.theme";
const SYNCED_LANGUAGE = "sage.synced.language";

function reconcileTheme(server: ThemeChoice): void {
  const chosenHere = localStorage.getItem("sage.theme") !== null;
  if (chosenHere && theme() !== localStorage.getItem(SYNCED_THEME) && theme() !== server) {
    pushTheme(theme());
    return;
  }
  serverTheme = server;
  localStorage.setItem(SYNCED_THEME, server);
  if (theme() !== server) setTheme(server);
}

function reconcileLanguage(server: LanguageChoice): void {
  const local = localStorage.getItem("sage.locale");
  if (local !== null && local !== localStorage.getItem(SYNCED_LANGUAGE) && local !== server) {
    pushLanguage(locale());
    return;
  }
  localStorage.setItem(SYNCED_LANGUAGE, server);
  applyLanguage(server);
}

function pushTheme(value: ThemeChoice): void {
  if (value === serverTheme) return;
  serverTheme = value;
  void settingsApi
    .update({ theme: value })
    .then(() => localStorage.setItem(SYNCED_THEME, value))
    .catch(() => {});
}

function pushLanguage(value: LanguageChoice): void {
  if (value === serverLanguage) return;
  serverLanguage = value;
  void settingsApi
    .update({ language: value })
    .then(() => localStorage.setItem(SYNCED_LANGUAGE, value))
    .catch(() => {});
}

/**
 * First start: no provider yet and the user did not skip the setup → /setup. Only from the start page:
 * a link straight to a chat, Settings, Skills or Tools opens what it names.
 */
export async function redirectToSetupIfNeeded(): Promise<void> {
  try {
    const status = await setupApi.status();
    if (status.needsSetup && !status.skipped && parseRoute(path()).page === "home") {
      navigate("/setup", { replace: true });
    }
  } catch {
    // The chat shows "no model configured" if the status cannot be read.
  }
}
