/** What the desktop integration can do on this machine (GET /api/app/desktop), shown in Settings. */

export type NotificationsStatus =
  /** Sent through the desktop's notification service. */
  | "ready"
  /** A session bus, but no notification service on it (yet). */
  | "no-service"
  /** No session bus Sage can use (headless, container, abstract socket). */
  | "no-bus";

export interface NotificationsState {
  status: NotificationsStatus;
  /** Why the status is not "ready", for Settings and the log. */
  detail?: string;
}

export type TrayStatus =
  /** A tray host shows Sage's icon and menu. */
  | "shown"
  /** No tray host (StatusNotifierWatcher) on this desktop: closing the window quits Sage. */
  | "no-host"
  /** Not a window app (serve mode) or no session bus. */
  | "unavailable";

/**
 * What closing the window does: "quit"; "hide" into the tray (a tray shows Sage's icon and the user
 * chose to keep Sage running); "ask" the user which (a tray shows the icon and they never chose: the
 * window's page asks once, and the answer becomes the `closeToTray` setting).
 */
export type CloseAction = "quit" | "hide" | "ask";

export interface DesktopStatus {
  shell: "window" | "serve" | "dev";
  notifications: NotificationsState;
  tray: TrayStatus;
}
