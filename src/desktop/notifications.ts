/**
 * Desktop notifications over D-Bus (`org.freedesktop.Notifications`, the service every desktop and
 * notification daemon provides). Sage sends each with a "default" action, so a click on the
 * notification comes back as `ActionInvoked(id, "default")`; `onActivated` reports which one.
 */
import type { Message, MessageBus } from "dbus-next";
import { addMatch, callMethod, nameHasOwner } from "./session-bus.ts";

export const NOTIFICATIONS_NAME = "org.freedesktop.Notifications";
export const NOTIFICATIONS_PATH = "/org/freedesktop/Notifications";

export interface DesktopNotification {
  title: string;
  body: string;
  /** Freedesktop icon name (the installed "sage" icon) or a file path. */
  icon: string;
}

export class DesktopNotifications {
  private readonly activatedListeners = new Set<(id: number) => void>();
  private readonly closedListeners = new Set<(id: number) => void>();

  private constructor(private readonly bus: MessageBus) {
    bus.on("message", (message: Message) => this.onMessage(message));
  }

  /**
   * Start listening for clicks. Resolves whether a notification service is running now; the returned
   * object is usable either way (a daemon started later is found by D-Bus activation on the first call).
   */
  static async open(
    bus: MessageBus,
  ): Promise<{ notifications: DesktopNotifications; serviceRunning: boolean }> {
    const notifications = new DesktopNotifications(bus);
    const match = `type='signal',interface='${NOTIFICATIONS_NAME}',path='${NOTIFICATIONS_PATH}'`;
    await addMatch(bus, `${match},member='ActionInvoked'`);
    await addMatch(bus, `${match},member='NotificationClosed'`);
    return { notifications, serviceRunning: await nameHasOwner(bus, NOTIFICATIONS_NAME) };
  }

  /** Show one notification; resolves the id the service gave it. */
  async notify(notification: DesktopNotification): Promise<number> {
    const [id] = await callMethod(this.bus, {
      destination: NOTIFICATIONS_NAME,
      path: NOTIFICATIONS_PATH,
      interface: NOTIFICATIONS_NAME,
      member: "Notify",
      signature: "susssasa{sv}i",
      // app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout (-1: server default)
      body: [
        "Sage",
        0,
        notification.icon,
        notification.title,
        notification.body,
        ["default", "Open"],
        {},
        -1,
      ],
    });
    return Number(id);
  }

  /** The user clicked notification `id` (its default action). */
  onActivated(listener: (id: number) => void): () => void {
    this.activatedListeners.add(listener);
    return () => this.activatedListeners.delete(listener);
  }

  /** Notification `id` went away (expired, dismissed or clicked). */
  onClosed(listener: (id: number) => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  private onMessage(message: Message): void {
    if (message.interface !== NOTIFICATIONS_NAME || message.path !== NOTIFICATIONS_PATH) return;
    const [id, action] = message.body as [number, string];
    if (message.member === "ActionInvoked" && action === "default") {
      for (const listener of this.activatedListeners) listener(Number(id));
    } else if (message.member === "NotificationClosed") {
      for (const listener of this.closedListeners) listener(Number(id));
    }
  }
}
