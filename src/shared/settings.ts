/**
 * User settings (Settings → General), environment variables for tools (Settings → Environment) and
 * the API shapes around them. Secret variable values never travel back to the UI: it sees `hasValue`.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import {
  CREDENTIAL_FOLDER_PATTERN,
  CREDENTIAL_FOLDERS_MAX,
  DEFAULT_CREDENTIAL_FOLDERS,
} from "./credential-folders.ts";
import { KeyStorage } from "./provider-input.ts";
import { type FieldIssue, isEnvironmentName, schemaIssues } from "./validation.ts";

export const LanguageChoice = T.Union([T.Literal("system"), T.Literal("en"), T.Literal("zh")]);
export type LanguageChoice = Static<typeof LanguageChoice>;

export const ThemeChoice = T.Union([T.Literal("system"), T.Literal("light"), T.Literal("dark")]);
export type ThemeChoice = Static<typeof ThemeChoice>;

/** "auto": shown in the window app, headless in serve mode (see src/app/agent-services.ts). */
export const BrowserMode = T.Union([T.Literal("auto"), T.Literal("headed"), T.Literal("headless")]);
export type BrowserMode = Static<typeof BrowserMode>;

/** Where `web_search` asks (src/search/providers.ts); "none" leaves the tool out. */
export const WebSearchProviderId = T.Union([
  T.Literal("none"),
  T.Literal("searxng"),
  T.Literal("brave"),
  T.Literal("tavily"),
  T.Literal("serper"),
]);
export type WebSearchProviderId = Static<typeof WebSearchProviderId>;

export const WEB_SEARCH_URL_MAX = 2000;

/** The web search key's state as the UI sees it (the key itself never travels back). */
export const WebSearchKeyState = T.Object({ provider: WebSearchProviderId, hasKey: T.Boolean() });
export type WebSearchKeyState = Static<typeof WebSearchKeyState>;

export const UserSettings = T.Object({
  language: LanguageChoice,
  theme: ThemeChoice,
  /** Whether the agent's browser shows a window (when a display exists) or runs headless. */
  browserMode: BrowserMode,
  /**
   * web_fetch and the agent's browser may open addresses on this computer and the local network
   * (localhost, 192.168.x.x ...). Off by default: a page the agent reads cannot steer it into the user's
   * own services (src/net/address-guard.ts, src/browser/address-gate.ts).
   */
  webFetchLocal: T.Boolean(),
  webSearchProvider: WebSearchProviderId,
  /**
   * SearXNG: the instance's address (required). Brave, Tavily, Serper: another address for their API
   * (a proxy), empty for the service's own. Its host is exempt from the local-address check (the user
   * named it); redirects from it are still checked.
   */
  webSearchUrl: T.String({ maxLength: WEB_SEARCH_URL_MAX }),
  /** The user skipped the first-run setup; the app stops redirecting to it. */
  setupSkipped: T.Boolean(),
  /**
   * Folders and files hidden from every tool besides Sage's own folders (src/shared/credential-folders.ts):
   * `~/…` or absolute paths. Read when each turn starts.
   */
  credentialFolders: T.Array(
    T.String({ minLength: 1, maxLength: 4096, pattern: CREDENTIAL_FOLDER_PATTERN }),
    {
      maxItems: CREDENTIAL_FOLDERS_MAX,
    },
  ),
  /** Desktop notifications while no Sage window is focused (src/desktop/turn-notifier.ts). */
  notifyTurnEnded: T.Boolean(),
  notifyTurnFailed: T.Boolean(),
  /** A turn waiting for an approval or an answer. */
  notifyNeedsInput: T.Boolean(),
  /** Closing the window keeps Sage running in the tray (only while a tray shows its icon). */
  closeToTray: T.Boolean(),
  /** The window offered `sage --install` (adding Sage to the application menu) once already. */
  desktopEntryOffered: T.Boolean(),
});
export type UserSettings = Static<typeof UserSettings>;

export const DEFAULT_SETTINGS: UserSettings = {
  language: "system",
  theme: "system",
  browserMode: "auto",
  webFetchLocal: false,
  webSearchProvider: "none",
  webSearchUrl: "",
  setupSkipped: false,
  credentialFolders: [...DEFAULT_CREDENTIAL_FOLDERS],
  notifyTurnEnded: true,
  notifyTurnFailed: true,
  notifyNeedsInput: true,
  closeToTray: false,
  desktopEntryOffered: false,
};

/** The `browserHeaded` getter AgentServices takes: undefined lets it choose by run mode. */
export function browserHeadedOf(mode: BrowserMode): boolean | undefined {
  return mode === "auto" ? undefined : mode === "headed";
}

export const SettingsPatch = T.Partial(UserSettings);
export type SettingsPatch = Static<typeof SettingsPatch>;

export const ENVIRONMENT_VALUE_MAX = 32_768;

/** A variable as the user saves it. A secret without `value` keeps its stored value. */
export const EnvironmentVariableInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 128 }),
  secret: T.Boolean(),
  value: T.Optional(T.String({ maxLength: ENVIRONMENT_VALUE_MAX })),
});
export type EnvironmentVariableInput = Static<typeof EnvironmentVariableInput>;

export const EnvironmentUpdate = T.Object({
  variables: T.Array(EnvironmentVariableInput, { maxItems: 500 }),
});
export type EnvironmentUpdate = Static<typeof EnvironmentUpdate>;

/** A variable as the UI sees it: secret values are absent, `hasValue` says one is stored. */
export const EnvironmentVariableView = T.Object({
  name: T.String(),
  secret: T.Boolean(),
  value: T.Optional(T.String()),
  hasValue: T.Boolean(),
});
export type EnvironmentVariableView = Static<typeof EnvironmentVariableView>;

/** Issues of an environment edit: schema, names tools can use, no name twice. */
export function environmentIssues(update: EnvironmentUpdate): FieldIssue[] {
  const issues = schemaIssues(EnvironmentUpdate, update);
  if (issues.length > 0 || !Array.isArray(update.variables)) return issues;
  const seen = new Set<string>();
  update.variables.forEach((variable, index) => {
    const field = `variables.${index}.name`;
    if (!isEnvironmentName(variable.name)) issues.push({ field, code: "invalidName" });
    else if (seen.has(variable.name)) issues.push({ field, code: "duplicate" });
    seen.add(variable.name);
  });
  return issues;
}

/** GET /api/settings/paths: the version and Sage's folders, for Settings → About. */
export const AppPaths = T.Object({
  version: T.String(),
  mode: T.String(),
  home: T.String(),
  data: T.String(),
  logs: T.String(),
  config: T.String(),
  workspaces: T.String(),
  skills: T.String(),
  downloads: T.String(),
  database: T.String(),
  logFile: T.Union([T.String(), T.Null()]),
  keyStorage: KeyStorage,
});
export type AppPaths = Static<typeof AppPaths>;

/** GET /api/setup/status */
export const SetupStatus = T.Object({
  /** No provider is configured yet. */
  needsSetup: T.Boolean(),
  skipped: T.Boolean(),
  keyStorage: KeyStorage,
});
export type SetupStatus = Static<typeof SetupStatus>;
