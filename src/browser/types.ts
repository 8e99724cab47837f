/**
 * The browser contract: what the browser tools get as `ctx.services.browser`, and the policy constant
 * the approval code needs.
 *
 * One `BrowserService` (a `BrowserManager`, see browser-manager.ts) exists per agent. It launches a
 * Chromium or Chrome found on the machine with the agent's persistent profile on first use, keeps
 * track of its tabs with stable ids ("t1", "t2", ...), and closes the browser after an idle timeout; the
 * next call launches it again (tabs opened before are gone then, the profile's cookies are not).
 * Every request it makes passes the local-address gate (address-gate.ts).
 */
import type { Page } from "playwright-core";
import type { AddressRefusal, AddressVerdict } from "./address-gate.ts";

/**
 * Tools that must ask the user before every call, whatever the remembered approvals for their kind say.
 * `browser_evaluate` runs arbitrary JavaScript inside pages where the user may be signed in.
 */
export const ALWAYS_ASK_TOOLS: ReadonlySet<string> = new Set(["browser_evaluate"]);

export interface BrowserTabInfo {
  /** Stable for as long as the tab is open ("t1", "t2", ...); never reused within one manager. */
  id: string;
  url: string;
  title: string;
  current: boolean;
}

export interface BrowserTab {
  id: string;
  page: Page;
}

/** The open browser, as an action sees it. Valid only inside `BrowserService.use`. */
export interface BrowserSession {
  /** The tab actions apply to. There is always one: closing the last tab opens a blank one. */
  currentTab(): BrowserTab;
  tabs(): Promise<BrowserTabInfo[]>;
  /** Make a tab current and bring it to the front. Throws `BrowserTabError` for an unknown id. */
  switchTab(id: string): Promise<BrowserTab>;
  /** Close a tab; when it was current, the most recently used remaining tab becomes current. */
  closeTab(id: string): Promise<void>;
  /** Open a blank tab and make it current. */
  newTab(): Promise<BrowserTab>;
  /** A marker for `tabsOpenedSince`. */
  tabMark(): number;
  /** Tabs opened (by the page or by us) after `mark` that are still open, oldest first. */
  tabsOpenedSince(mark: number): BrowserTab[];
  /** A marker for `refusedSince`. */
  refusalMark(): number;
  /** Requests the local-address policy refused after `mark` (see address-gate.ts), oldest first. */
  refusedSince(mark: number): AddressRefusal[];
}

export interface BrowserService {
  /**
   * Run `action` with the browser open, launching it first when needed. The idle timer is paused while
   * any action runs. Throws `BrowserNotFoundError` (no browser on the machine) or `BrowserLaunchError`.
   */
  use<T>(action: (session: BrowserSession) => Promise<T>): Promise<T>;
  /**
   * Run `action` on the browser only if one is open now (never launches one); resolves undefined when
   * none is. For looks that must not start a browser, such as describing a call for its approval.
   */
  peek<T>(action: (session: BrowserSession) => Promise<T>): Promise<T | undefined>;
  /**
   * Whether the browser may open `url` under the local-address policy now, and where a local address
   * is (also when allowed). Does not start the browser.
   */
  checkAddress(url: string): Promise<AddressVerdict>;
  /** Whether a browser process is open right now. */
  readonly running: boolean;
  /** Close the browser now; the next `use` launches it again. */
  close(): Promise<void>;
  /** Close the browser for good; later calls to `use` throw. */
  dispose(): Promise<void>;
}

/** An unknown tab id, or an operation on a tab that is gone. */
export class BrowserTabError extends Error {
  override readonly name = "BrowserTabError";
}

/** The browser could not be started (profile in use, crash at start, bad executable ...). */
export class BrowserLaunchError extends Error {
  override readonly name = "BrowserLaunchError";
}

/** `use` after `dispose`. */
export class BrowserDisposedError extends Error {
  override readonly name = "BrowserDisposedError";
  constructor() {
    super("The browser for this agent has been shut down.");
  }
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** The agent's browser, for the browser_* tools (src/app/agent-services.ts). */
    browser?: BrowserService;
  }
}
