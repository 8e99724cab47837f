/**
 * The tray icon's menu, exported over D-Bus as `com.canonical.dbusmenu` (the menu protocol every
 * StatusNotifierItem host reads). The menu is a flat list rebuilt from `items()` on each GetLayout;
 * `refresh()` bumps the revision and emits LayoutUpdated so an open host re-reads it. A host's click
 * arrives as Event(id, "clicked") and runs that item's `act`.
 */
import { interface as dbusInterface, Variant } from "dbus-next";

export interface TrayMenuItem {
  label: string;
  act(): void;
  /** A line drawn before this item. */
  separatorBefore?: boolean;
}

type Layout = [number, Record<string, Variant>, Variant[]];

export class TrayMenu extends dbusInterface.Interface {
  private revision = 1;
  /** Item ids of the last layout sent -> the item. Ids are positions, so a stale click is ignored. */
  private shown = new Map<number, TrayMenuItem>();

  constructor(private readonly items: () => TrayMenuItem[]) {
    super("com.canonical.dbusmenu");
  }

  get Version(): number {
    return 3;
  }
  get TextDirection(): string {
    return "ltr";
  }
  get Status(): string {
    return "normal";
  }
  get IconThemePath(): string[] {
    return [];
  }

  /** The menu changed (turns started or ended): hosts re-read it. */
  refresh(): void {
    this.revision++;
    this.LayoutUpdated(this.revision, 0);
  }

  GetLayout(parentId: number, _depth: number, _properties: string[]): [number, Layout] {
    const children: Variant[] = [];
    const shown = new Map<number, TrayMenuItem>();
    let id = 1;
    for (const item of parentId === 0 ? this.items() : []) {
      if (item.separatorBefore) children.push(node(id++, { type: new Variant("s", "separator") }));
      shown.set(id, item);
      children.push(node(id++, { label: new Variant("s", item.label), enabled: new Variant("b", true) }));
    }
    this.shown = shown;
    return [this.revision, [parentId, { "children-display": new Variant("s", "submenu") }, children]];
  }

  GetGroupProperties(ids: number[], _properties: string[]): [number, Record<string, Variant>][] {
    return ids.flatMap((id) => {
      const item = this.shown.get(id);
      return item ? [[id, { label: new Variant("s", item.label) }] as [number, Record<string, Variant>]] : [];
    });
  }

  GetProperty(id: number, name: string): Variant {
    const item = this.shown.get(id);
    return new Variant("s", name === "label" && item ? item.label : "");
  }

  Event(id: number, eventId: string, _data: Variant, _timestamp: number): void {
    if (eventId === "clicked") this.shown.get(id)?.act();
  }

  EventGroup(events: [number, string, Variant, number][]): number[] {
    for (const [id, eventId, data, timestamp] of events) this.Event(id, eventId, data, timestamp);
    return [];
  }

  AboutToShow(_id: number): boolean {
    return false;
  }

  AboutToShowGroup(_ids: number[]): [number[], number[]] {
    return [[], []];
  }

  LayoutUpdated(revision: number, parent: number): [number, number] {
    return [revision, parent];
  }
}

function node(id: number, properties: Record<string, Variant>): Variant {
  return new Variant("(ia{sv}av)", [id, properties, []]);
}

TrayMenu.configureMembers({
  properties: {
    Version: { signature: "u", access: dbusInterface.ACCESS_READ },
    TextDirection: { signature: "s", access: dbusInterface.ACCESS_READ },
    Status: { signature: "s", access: dbusInterface.ACCESS_READ },
    IconThemePath: { signature: "as", access: dbusInterface.ACCESS_READ },
  },
  methods: {
    GetLayout: { inSignature: "iias", outSignature: "u(ia{sv}av)" },
    GetGroupProperties: { inSignature: "aias", outSignature: "a(ia{sv})" },
    GetProperty: { inSignature: "is", outSignature: "v" },
    Event: { inSignature: "isvu", outSignature: "" },
    EventGroup: { inSignature: "a(isvu)", outSignature: "ai" },
    AboutToShow: { inSignature: "i", outSignature: "b" },
    AboutToShowGroup: { inSignature: "ai", outSignature: "aiai" },
  },
  signals: {
    LayoutUpdated: { signature: "ui" },
  },
});
