/**
 * The tabs of one running browser context, with stable ids and a current tab. Tabs the page opens
 * itself (target=_blank, window.open) are registered as they appear; tabs the user closes in a headed
 * window disappear from the list.
 */
import type { BrowserContext, Page } from "playwright-core";
import type { AddressGate, AddressRefusal } from "./address-gate.ts";
import { type BrowserSession, type BrowserTab, BrowserTabError, type BrowserTabInfo } from "./types.ts";

interface TrackedTab {
  id: string;
  page: Page;
  /** Order of opening, for `tabsOpenedSince`. */
  opened: number;
  /** Order of last use as the current tab, to pick the next current tab when one closes. */
  used: number;
}

export class TabRegistry implements BrowserSession {
  readonly #context: BrowserContext;
  readonly #newId: () => string;
  readonly #tabs = new Map<string, TrackedTab>();
  #currentId: string | null = null;
  #openCounter = 0;
  #useCounter = 0;

  readonly #gate: Pick<AddressGate, "mark" | "since"> | undefined;

  /**
   * `newId` gives ids that are never reused, even across relaunches of the browser. `gate`: the
   * context's local-address gate, whose refusals the session reports.
   */
  constructor(context: BrowserContext, newId: () => string, gate?: Pick<AddressGate, "mark" | "since">) {
    this.#context = context;
    this.#newId = newId;
    this.#gate = gate;
    for (const page of context.pages()) this.#register(page);
    context.on("page", (page) => this.#register(page));
  }

  #register(page: Page): TrackedTab {
    for (const tab of this.#tabs.values()) if (tab.page === page) return tab;
    this.#openCounter += 1;
    const tab: TrackedTab = { id: this.#newId(), page, opened: this.#openCounter, used: 0 };
    this.#tabs.set(tab.id, tab);
    page.on("close", () => this.#forget(tab.id));
    if (this.#currentId === null) this.#makeCurrent(tab);
    return tab;
  }

  #forget(id: string): void {
    this.#tabs.delete(id);
    if (this.#currentId !== id) return;
    this.#currentId = null;
    const next = [...this.#tabs.values()].sort((left, right) => right.used - left.used)[0];
    if (next) this.#makeCurrent(next);
  }

  #makeCurrent(tab: TrackedTab): void {
    this.#useCounter += 1;
    tab.used = this.#useCounter;
    this.#currentId = tab.id;
  }

  /** Make sure a current tab exists (the user may have closed them all). */
  async ensureTab(): Promise<void> {
    if (this.#currentId !== null && this.#tabs.has(this.#currentId)) return;
    const page = await this.#context.newPage();
    this.#makeCurrent(this.#register(page));
  }

  currentTab(): BrowserTab {
    const tab = this.#currentId === null ? undefined : this.#tabs.get(this.#currentId);
    if (!tab) throw new BrowserTabError("No tab is open in the browser.");
    return { id: tab.id, page: tab.page };
  }

  async tabs(): Promise<BrowserTabInfo[]> {
    const list = [...this.#tabs.values()].sort((left, right) => left.opened - right.opened);
    return Promise.all(
      list.map(async (tab) => ({
        id: tab.id,
        url: tab.page.url(),
        title: await tab.page.title().catch(() => ""),
        current: tab.id === this.#currentId,
      })),
    );
  }

  #get(id: string): TrackedTab {
    const tab = this.#tabs.get(id);
    if (!tab) {
      const known = [...this.#tabs.keys()].join(", ") || "none";
      throw new BrowserTabError(`There is no tab ${id}. Open tabs: ${known}.`);
    }
    return tab;
  }

  async switchTab(id: string): Promise<BrowserTab> {
    const tab = this.#get(id);
    this.#makeCurrent(tab);
    await tab.page.bringToFront().catch(() => undefined);
    return { id: tab.id, page: tab.page };
  }

  async closeTab(id: string): Promise<void> {
    const tab = this.#get(id);
    // Closing the last page could end a headed browser: open the replacement first.
    if (this.#tabs.size === 1) this.#makeCurrent(this.#register(await this.#context.newPage()));
    await tab.page.close();
    this.#forget(id);
  }

  async newTab(): Promise<BrowserTab> {
    const tab = this.#register(await this.#context.newPage());
    this.#makeCurrent(tab);
    await tab.page.bringToFront().catch(() => undefined);
    return { id: tab.id, page: tab.page };
  }

  tabMark(): number {
    return this.#openCounter;
  }

  refusalMark(): number {
    return this.#gate?.mark() ?? 0;
  }

  refusedSince(mark: number): AddressRefusal[] {
    return this.#gate?.since(mark) ?? [];
  }

  tabsOpenedSince(mark: number): BrowserTab[] {
    return [...this.#tabs.values()]
      .filter((tab) => tab.opened > mark)
      .sort((left, right) => left.opened - right.opened)
      .map((tab) => ({ id: tab.id, page: tab.page }));
  }
}
