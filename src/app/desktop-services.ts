/**
 * The desktop integration the server owns (it runs where an event loop does: the server worker in
 * window mode, the main thread in serve mode): the session-bus connection, desktop notifications for
 * turns, the focus reports that decide whether to send them, and (window mode) the tray icon.
 * Everything here is optional: without a session bus, a notification service or a tray host Sage runs
 * as before and Settings says why.
 */

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import type { MessageBus } from "dbus-next";
import { ICON_NAME } from "../desktop/desktop-icon.ts";
import type { FileFilter, OpenChoice, PortalFileChooser, SaveChoice } from "../desktop/file-chooser.ts";
import { chooseOpen, chooseSave } from "../desktop/file-dialog.ts";
import type { ShellControl } from "../desktop/shell-control.ts";
import { TurnNotifier } from "../desktop/turn-notifier.ts";
import { WindowFocus } from "../desktop/window-focus.ts";
import { downloadsFolder } from "../settings/downloads.ts";
import type { CloseAction, NotificationsState, TrayStatus } from "../shared/desktop.ts";
import type { AppContext } from "./context.ts";

/**
 * Created at once (the server needs `focus` for its routes); the bus connection is made in the
 * background, so a slow or broken bus never delays the start. `ready` settles when it is known.
 */
export class DesktopServices {
  readonly focus = new WindowFocus();
  private state: NotificationsState = { status: "no-bus", detail: "Connecting to the session bus." };
  private trayStatus: TrayStatus = "unavailable";
  private fileChooser: PortalFileChooser | undefined;
  private stopped = false;
  private cleanup: () => void = () => {};
  readonly ready: Promise<void>;

  constructor(
    private readonly app: AppContext,
    private readonly shell: ShellControl,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.ready = this.connect();
  }

  /** A page's focus report (POST /api/app/focus); changes of the overall state are logged. */
  reportFocus(clientId: string, focused: boolean): boolean {
    const before = this.focus.focused;
    this.focus.report(clientId, focused);
    const after = this.focus.focused;
    if (after !== before)
      this.app.logger.info(after ? "a Sage page has the focus" : "no Sage page has the focus");
    return after;
  }

  get notifications(): NotificationsState {
    return this.state;
  }

  get tray(): TrayStatus {
    return this.trayStatus;
  }

  /**
   * What closing the window does (see CloseAction): without a tray showing the icon it quits; with one
   * it follows the `closeToTray` setting once the user chose (in the close prompt or in Settings: the
   * setting is stored then), and asks until they did.
   */
  closeAction(): CloseAction {
    if (this.trayStatus !== "shown") return "quit";
    if (this.app.settings.readEntry("closeToTray") === undefined) return "ask";
    return this.app.settings.get().closeToTray ? "hide" : "quit";
  }

  /**
   * Ask the user where to save `fileName`: the desktop portal's dialog, else the window's GTK dialog
   * (opening in Downloads, else the home folder); "unavailable" (neither) tells the caller to use the
   * Downloads folder.
   */
  async chooseSavePath(fileName: string, title: string): Promise<SaveChoice> {
    await this.ready;
    const home = this.env.HOME || homedir();
    const downloads = downloadsFolder(home);
    const { choice, source } = await chooseSave(this.fileChooser, this.shell.fileDialog, {
      kind: "save",
      title,
      currentName: fileName,
      folder: existsSync(downloads) ? downloads : home,
    });
    this.app.logger.info(`save dialog (${source}): ${choice.kind}`);
    return choice;
  }

  /**
   * Ask the user for files to open (attachments, imports): the desktop portal's dialog, else the
   * window's GTK dialog; "unavailable" (neither) tells the page to use its own file input instead.
   */
  async chooseOpenPaths(title: string, multiple: boolean, filters: FileFilter[]): Promise<OpenChoice> {
    await this.ready;
    const { choice, source } = await chooseOpen(this.fileChooser, this.shell.fileDialog, {
      kind: "open",
      title,
      multiple,
      filters,
    });
    this.app.logger.info(`open dialog (${source}): ${choice.kind}`);
    return choice;
  }

  stop(): void {
    this.stopped = true;
    this.cleanup();
  }

  private async connect(): Promise<void> {
    const { app, env } = this;
    const logger = app.logger.child("desktop");
    let bus: MessageBus;
    if (!env.DBUS_SESSION_BUS_ADDRESS) {
      // Same answer connectSessionBus gives, without loading the D-Bus client at all.
      this.state = { status: "no-bus", detail: "No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)." };
      logger.info(`desktop notifications off: ${this.state.detail}`);
      return;
    }
    const { connectSessionBus, DesktopNotifications, PortalFileChooser, startSageTray } = await import(
      "./bus-services.ts"
    );
    try {
      bus = await connectSessionBus(env);
    } catch (error) {
      this.state = { status: "no-bus", detail: (error as Error).message };
      logger.info(`desktop notifications off: ${this.state.detail}`);
      return;
    }
    if (this.stopped) return bus.disconnect();
    let notifier: TurnNotifier | undefined;
    let tray: { stop(): void } | undefined;
    const systemLanguage = (env.LC_ALL || env.LC_MESSAGES || env.LANG || "").startsWith("zh") ? "zh" : "en";
    try {
      const { notifications, serviceRunning } = await DesktopNotifications.open(bus);
      this.fileChooser = await PortalFileChooser.open(bus);
      notifier = new TurnNotifier({
        subscribe: (listener) => app.events.subscribe(listener),
        settings: () => app.settings.get(),
        sessionTitle: (sessionId) => app.sessionRepo.findSession(sessionId)?.title ?? "",
        isSubAgentChat: (sessionId) => app.sessionRepo.findSession(sessionId)?.parent !== undefined,
        sink: notifications,
        focus: this.focus,
        open: (sessionId) => {
          this.shell.activate();
          app.events.append({ type: "app.open-session", sessionId });
        },
        logger,
        systemLanguage,
        icon: ICON_NAME,
      });
      this.state = serviceRunning
        ? { status: "ready" }
        : { status: "no-service", detail: "No notification service is running on the session bus." };
      logger.info(`desktop notifications: ${this.state.status}`);
      if (this.shell.kind === "window") {
        const language = app.settings.get().language;
        tray = await startSageTray({
          app,
          shell: this.shell,
          bus,
          env,
          logger,
          language: language === "system" ? systemLanguage : language,
          onRegistered: (registered) => {
            this.trayStatus = registered ? "shown" : "no-host";
          },
        });
      }
      this.cleanup = () => {
        this.fileChooser = undefined;
        tray?.stop();
        notifier?.dispose();
        bus.disconnect();
      };
      if (this.stopped) this.cleanup();
    } catch (error) {
      tray?.stop();
      notifier?.dispose();
      bus.disconnect();
      this.state = {
        status: "no-bus",
        detail: `The session bus did not answer: ${(error as Error).message}`,
      };
      logger.warn(this.state.detail ?? "");
    }
  }
}
