/**
 * The desktop services that speak D-Bus (dbus-next and its dependencies: ~30 ms and a few MB to load).
 * DesktopServices imports this module only when a session bus address exists, after start-up.
 */

export { PortalFileChooser } from "../desktop/file-chooser.ts";
export { DesktopNotifications } from "../desktop/notifications.ts";
export { connectSessionBus } from "../desktop/session-bus.ts";
export { startSageTray } from "./sage-tray.ts";
