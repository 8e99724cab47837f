/** English strings. Every user-visible string lives in a locale file; zh.ts must have the same keys. */
export const en = {
  "app.name": "Sage",
  "connection.connecting": "Connecting…",
  "connection.connected": "Connected",
  "connection.reconnecting": "Reconnecting…",
  "connection.offline": "Offline — retrying",
  "theme.light": "Light",
  "theme.dark": "Dark",
  "theme.system": "System",
  "theme.toggle": "Switch theme (now: {theme})",
  "about.title": "About Sage",
  "about.version": "Version {version}",
  "about.tagline":
    "A local-first AI agent workbench. Your sessions, settings, skills and keys stay on this machine.",
  "about.dataDir": "Data folder",
  "about.logFile": "Log file",
  "about.close": "Close",
  "sidebar.newChat": "New chat",
  "sidebar.sessions": "Sessions",
  "sidebar.empty": "No sessions yet. Start one with “New chat”.",
  "sidebar.about": "About",
  "main.welcome": "What should we work on?",
  "main.welcomeHint": "Sage is ready. Pick or start a session to talk to an agent.",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
