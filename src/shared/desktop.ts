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

export interface DesktopStatus {
  shell: "window" | "serve" | "dev";
  notifications: NotificationsState;
  tray: TrayStatus;
}
