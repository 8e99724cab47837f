/**
 * The tray icon: a StatusNotifierItem (`org.kde.StatusNotifierItem`, the protocol of GNOME's
 * AppIndicator extension, KDE and most panels) with a `com.canonical.dbusmenu` menu, registered with
 * the desktop's StatusNotifierWatcher. Contract:
 * - registers when a watcher is on the bus, and again whenever one appears later (a panel restart);
 * - status "Active" (hosts hide "Passive" items, and the icon is the way back to a window closed into
 *   the tray), "NeedsAttention" while a turn waits for an approval or an answer; the icon itself shows
 *   the state (TrayIcons: the app icon; with a "working" badge while a turn runs; with a "waiting for
 *   you" badge, also as the attention icon, while one waits), announced with NewIcon/NewAttentionIcon;
 *   the tooltip and the menu say which chats run or wait;
 * - menu: Open Sage, New chat, one item per running or waiting chat (opens it), Quit;
 * - clicking the icon itself (Activate) shows the window.
 */
import { interface as dbusInterface, type Message, type MessageBus } from "dbus-next";
import type { TrayIcons } from "./desktop-icon.ts";
import { addMatch, callMethod, nameHasOwner } from "./session-bus.ts";
import { TrayMenu, type TrayMenuItem } from "./tray-menu.ts";

export const WATCHER_NAME = "org.kde.StatusNotifierWatcher";
export const WATCHER_PATH = "/StatusNotifierWatcher";
export const ITEM_PATH = "/StatusNotifierItem";
export const MENU_PATH = "/MenuBar";

export type TrayStatus = "Passive" | "Active" | "NeedsAttention";

/** What the icon shows: nothing running, a turn running, a turn waiting for the user. */
export type TrayState = keyof TrayIcons;

/** A chat the tray lists: running, or waiting for the user. */
export interface TrayChat {
  sessionId: string;
  title: string;
  waiting: boolean;
}

export interface TrayActions {
  open(): void;
  newChat(): void;
  openChat(sessionId: string): void;
  quit(): void;
  /**
   * Whether scheduled work is paused now, read each time the menu is shown; the menu has no
   * pause/resume item when absent.
   */
  schedulePaused?(): boolean;
  /** Pause (true) or resume (false) scheduled work. */
  setSchedulePaused?(paused: boolean): void;
}

export interface TrayTexts {
  open: string;
  newChat: string;
  quit: string;
  pauseSchedule: string;
  resumeSchedule: string;
  untitled: string;
  /** "2 running, 1 waiting for you" */
  summary(running: number, waiting: number): string;
  idle: string;
}

class StatusNotifierItem extends dbusInterface.Interface {
  status: TrayStatus = "Active";
  state: TrayState = "idle";
  tooltip = "";

  constructor(
    private readonly icons: TrayIcons,
    private readonly iconThemePath: string,
    private readonly onActivate: () => void,
  ) {
    super("org.kde.StatusNotifierItem");
  }

  get Category(): string {
    return "ApplicationStatus";
  }
  get Id(): string {
    return "sage";
  }
  get Title(): string {
    return "Sage";
  }
  get Status(): string {
    return this.status;
  }
  get WindowId(): number {
    return 0;
  }
  get IconName(): string {
    return this.icons[this.state];
  }
  get IconThemePath(): string {
    return this.iconThemePath;
  }
  get IconPixmap(): [number, number, Buffer][] {
    return [];
  }
  get AttentionIconName(): string {
    return this.icons.waiting;
  }
  get OverlayIconName(): string {
    return "";
  }
  get ToolTip(): [string, [number, number, Buffer][], string, string] {
    return [this.icons[this.state], [], "Sage", this.tooltip];
  }
  get ItemIsMenu(): boolean {
    return false;
  }
  get Menu(): string {
    return MENU_PATH;
  }

  Activate(_x: number, _y: number): void {
    this.onActivate();
  }
  SecondaryActivate(_x: number, _y: number): void {
    this.onActivate();
  }
  ContextMenu(_x: number, _y: number): void {}
  Scroll(_delta: number, _orientation: string): void {}

  NewStatus(status: string): string {
    return status;
  }
  NewToolTip(): void {}
  NewIcon(): void {}
  NewAttentionIcon(): void {}
}

const READ = dbusInterface.ACCESS_READ;
StatusNotifierItem.configureMembers({
  properties: {
    Category: { signature: "s", access: READ },
    Id: { signature: "s", access: READ },
    Title: { signature: "s", access: READ },
    Status: { signature: "s", access: READ },
    WindowId: { signature: "i", access: READ },
    IconName: { signature: "s", access: READ },
    IconThemePath: { signature: "s", access: READ },
    IconPixmap: { signature: "a(iiay)", access: READ },
    AttentionIconName: { signature: "s", access: READ },
    OverlayIconName: { signature: "s", access: READ },
    ToolTip: { signature: "(sa(iiay)ss)", access: READ },
    ItemIsMenu: { signature: "b", access: READ },
    Menu: { signature: "o", access: READ },
  },
  methods: {
    Activate: { inSignature: "ii", outSignature: "" },
    SecondaryActivate: { inSignature: "ii", outSignature: "" },
    ContextMenu: { inSignature: "ii", outSignature: "" },
    Scroll: { inSignature: "is", outSignature: "" },
  },
  signals: {
    NewStatus: { signature: "s" },
    NewToolTip: { signature: "" },
    NewIcon: { signature: "" },
    NewAttentionIcon: { signature: "" },
  },
});

export class Tray {
  private readonly chats = new Map<string, TrayChat>();
  private readonly item: StatusNotifierItem;
  private readonly menu: TrayMenu;
  private registered = false;

  private constructor(
    private readonly bus: MessageBus,
    private readonly serviceName: string,
    private readonly actions: TrayActions,
    private readonly texts: TrayTexts,
    icon: { icons: TrayIcons; themePath: string },
    private readonly onRegistered: (registered: boolean) => void,
  ) {
    this.item = new StatusNotifierItem(icon.icons, icon.themePath, () => actions.open());
    this.menu = new TrayMenu(() => this.menuItems());
    this.item.tooltip = texts.idle;
  }

  /**
   * Export the item and its menu under a name of our own and register with the watcher, now if one
   * runs and whenever one appears later. `onRegistered` reports whether a tray host shows the icon.
   */
  static async start(options: {
    bus: MessageBus;
    actions: TrayActions;
    texts: TrayTexts;
    icon: { icons: TrayIcons; themePath: string };
    onRegistered(registered: boolean): void;
  }): Promise<Tray> {
    const serviceName = `org.kde.StatusNotifierItem-${process.pid}-1`;
    const tray = new Tray(
      options.bus,
      serviceName,
      options.actions,
      options.texts,
      options.icon,
      options.onRegistered,
    );
    const { bus } = options;
    bus.export(ITEM_PATH, tray.item);
    bus.export(MENU_PATH, tray.menu);
    await bus.requestName(serviceName, 0);
    bus.on("message", (message: Message) => tray.onBusMessage(message));
    await addMatch(
      bus,
      `type='signal',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${WATCHER_NAME}'`,
    );
    if (await nameHasOwner(bus, WATCHER_NAME)) await tray.register();
    else options.onRegistered(false);
    return tray;
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  /** A session's state changed (from `session.summary`): list it while it runs or waits. */
  update(sessionId: string, title: string, status: string): void {
    if (status === "running" || status === "waiting")
      this.chats.set(sessionId, { sessionId, title, waiting: status === "waiting" });
    else if (!this.chats.delete(sessionId)) return;
    this.changed();
  }

  /** Something the menu shows changed elsewhere (scheduled work paused in the Tasks page). */
  refreshMenu(): void {
    this.menu.refresh();
  }

  remove(sessionId: string): void {
    if (this.chats.delete(sessionId)) this.changed();
  }

  stop(): void {
    try {
      this.bus.unexport(ITEM_PATH, this.item);
      this.bus.unexport(MENU_PATH, this.menu);
    } catch {
      // The bus is already gone.
    }
  }

  private changed(): void {
    const waiting = [...this.chats.values()].filter((chat) => chat.waiting).length;
    const running = this.chats.size - waiting;
    const status: TrayStatus = waiting > 0 ? "NeedsAttention" : "Active";
    const state: TrayState = waiting > 0 ? "waiting" : running > 0 ? "running" : "idle";
    this.item.tooltip = this.chats.size === 0 ? this.texts.idle : this.texts.summary(running, waiting);
    if (state !== this.item.state) {
      this.item.state = state;
      this.item.NewIcon();
      if (state === "waiting") this.item.NewAttentionIcon();
    }
    this.item.NewToolTip();
    if (status !== this.item.status) {
      this.item.status = status;
      this.item.NewStatus(status);
    }
    this.menu.refresh();
  }

  private menuItems(): TrayMenuItem[] {
    const { actions, texts } = this;
    const items: TrayMenuItem[] = [
      { label: texts.open, act: () => actions.open() },
      { label: texts.newChat, act: () => actions.newChat() },
    ];
    [...this.chats.values()].forEach((chat, index) => {
      items.push({
        label: `${chat.waiting ? "⏸" : "▶"} ${chat.title || texts.untitled}`,
        act: () => actions.openChat(chat.sessionId),
        separatorBefore: index === 0,
      });
    });
    const paused = actions.schedulePaused?.();
    if (paused !== undefined && actions.setSchedulePaused) {
      const set = actions.setSchedulePaused;
      items.push({
        label: paused ? texts.resumeSchedule : texts.pauseSchedule,
        act: () => set(!paused),
        separatorBefore: true,
      });
    }
    items.push({ label: texts.quit, act: () => actions.quit(), separatorBefore: paused === undefined });
    return items;
  }

  private async register(): Promise<void> {
    try {
      await callMethod(this.bus, {
        destination: WATCHER_NAME,
        path: WATCHER_PATH,
        interface: WATCHER_NAME,
        member: "RegisterStatusNotifierItem",
        signature: "s",
        body: [this.serviceName],
      });
      this.registered = true;
    } catch {
      this.registered = false;
    }
    this.onRegistered(this.registered);
  }

  private onBusMessage(message: Message): void {
    if (message.interface !== "org.freedesktop.DBus" || message.member !== "NameOwnerChanged") return;
    const [name, , owner] = message.body as [string, string, string];
    if (name !== WATCHER_NAME) return;
    if (owner) void this.register();
    else if (this.registered) {
      this.registered = false;
      this.onRegistered(false);
    }
  }
}
