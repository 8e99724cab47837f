/**
 * What the desktop integration can do on this machine (GET /api/app/desktop), shown in Settings, and
 * where a file the native window saved went (the save-download routes).
 */
import { type Static, Type as T } from "@sinclair/typebox";

export const NotificationsStatus = T.Union([
  /** Sent through the desktop's notification service. */
  T.Literal("ready"),
  /** A session bus, but no notification service on it (yet). */
  T.Literal("no-service"),
  /** No session bus Sage can use (headless, container, abstract socket). */
  T.Literal("no-bus"),
]);
export type NotificationsStatus = Static<typeof NotificationsStatus>;

export const NotificationsState = T.Object({
  status: NotificationsStatus,
  /** Why the status is not "ready", for Settings and the log. */
  detail: T.Optional(T.String()),
});
export type NotificationsState = Static<typeof NotificationsState>;

export const TrayStatus = T.Union([
  /** A tray host shows Sage's icon and menu. */
  T.Literal("shown"),
  /** No tray host (StatusNotifierWatcher) on this desktop: closing the window quits Sage. */
  T.Literal("no-host"),
  /** Not a window app (serve mode) or no session bus. */
  T.Literal("unavailable"),
]);
export type TrayStatus = Static<typeof TrayStatus>;

/**
 * What closing the window does: "quit"; "hide" into the tray (a tray shows Sage's icon and the user
 * chose to keep Sage running); "ask" the user which (a tray shows the icon and they never chose: the
 * window's page asks once, and the answer becomes the `closeToTray` setting).
 */
export type CloseAction = "quit" | "hide" | "ask";

export const DesktopStatus = T.Object({
  shell: T.Union([T.Literal("window"), T.Literal("serve"), T.Literal("dev")]),
  notifications: NotificationsState,
  tray: TrayStatus,
});
export type DesktopStatus = Static<typeof DesktopStatus>;

/**
 * A file saved for the native window (which cannot download): the user cancelled the desktop's "Save as"
 * dialog, or the file is at `path` — where the dialog said (`chosen`) or in Downloads.
 */
export const SavedFile = T.Union([
  T.Object({ cancelled: T.Literal(true) }),
  T.Object({ path: T.String(), chosen: T.Optional(T.Literal(true)) }),
]);
export type SavedFile = Static<typeof SavedFile>;

/** A file picked in the desktop's "Open" dialog, with its bytes (POST /api/app/open-files). */
export const ChosenFile = T.Object({ name: T.String(), size: T.Number(), base64: T.String() });
export type ChosenFile = Static<typeof ChosenFile>;

/** What the desktop's "Open" dialog gave: the files, a cancel, or no dialog here (the page uses its input). */
export const OpenedFiles = T.Union([
  T.Object({ kind: T.Literal("chosen"), files: T.Array(ChosenFile) }),
  T.Object({ kind: T.Literal("cancelled") }),
  T.Object({ kind: T.Literal("unavailable") }),
]);
export type OpenedFiles = Static<typeof OpenedFiles>;
