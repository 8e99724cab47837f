/**
 * Shared plumbing of the browser tools: finding the service, running an action under the turn's abort
 * signal, turning Playwright's long error messages into short ones, and reporting what an action
 * changed (navigation, new tabs) together with a fresh snapshot.
 */
import { type ToolContext, ToolError } from "../agent/tool-contract.ts";
import { type AddressRefusal, refusalMessage } from "./address-gate.ts";
import { describeTab, snapshotTab } from "./snapshot.ts";
import type { BrowserService, BrowserSession, BrowserTab } from "./types.ts";

/** Time allowed for the page to settle (DOMContentLoaded) after an action that may navigate. */
const settleTimeoutMs = 5_000;
/** A popup opened by an action may be announced a moment after the action itself returns. */
const popupGraceMs = 150;

export function requireBrowser(ctx: ToolContext): BrowserService {
  const candidate = ctx.services.browser;
  if (!candidate) {
    throw new ToolError("The browser is not available here: this session has no browser service.");
  }
  return candidate;
}

/** Errors whose message is already meant for the model. */
const readableErrors = new Set([
  "ToolError",
  "BrowserNotFoundError",
  "BrowserLaunchError",
  "BrowserTabError",
  "BrowserDisposedError",
]);

/**
 * Run `action` in the browser. Stopping the turn rejects at once with the turn's reason (the browser
 * keeps running). Other failures become a `ToolError` with the first line of the message.
 */
export async function runBrowserAction<T>(
  ctx: ToolContext,
  action: (session: BrowserSession) => Promise<T>,
): Promise<T> {
  const browser = requireBrowser(ctx);
  ctx.signal.throwIfAborted();
  let onAbort = () => {};
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(ctx.signal.reason);
    ctx.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([browser.use(action), stopped]);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw readableError(error);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

/** An ANSI colour sequence (ESC [ ... m). */
const ansiColour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function readableError(error: unknown): ToolError {
  if (error instanceof Error && readableErrors.has(error.name)) {
    return error instanceof ToolError ? error : new ToolError(error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  // Playwright appends a call log and ANSI colours; the first part says what went wrong.
  const plain = message.replace(ansiColour, "").split("Call log:")[0]!.trim();
  const firstLine = plain.split("\n")[0]!.trim();
  return new ToolError(firstLine || "The browser action failed.");
}

export interface ActionMark {
  url: string;
  tabMark: number;
  refusalMark: number;
}

export function markBefore(session: BrowserSession, tab: BrowserTab): ActionMark {
  return { url: tab.page.url(), tabMark: session.tabMark(), refusalMark: session.refusalMark() };
}

/** What the model reads about requests the local-address gate refused during an action. */
export function refusalNotes(refusals: readonly AddressRefusal[]): string[] {
  const notes = refusals
    .filter((refusal) => refusal.navigation)
    .map((refusal) => `Refused to open ${refusalMessage(refusal.url, refusal)}`);
  const others = refusals.filter((refusal) => !refusal.navigation);
  if (others.length > 0) {
    const example = others[0] as AddressRefusal;
    notes.push(
      `Blocked ${others.length} request${others.length > 1 ? "s" : ""} of the page to addresses on this computer or the local network (for example ${example.url}, ${example.reason}).`,
    );
  }
  return notes;
}

/**
 * The error for an action that failed because the gate refused its navigation (Playwright says only
 * net::ERR_BLOCKED_BY_CLIENT), or undefined when the failure had another cause.
 */
export function refusedNavigationError(session: BrowserSession, mark: ActionMark): ToolError | undefined {
  const refused = session.refusedSince(mark.refusalMark).find((refusal) => refusal.navigation);
  return refused ? new ToolError(`Refused to open ${refusalMessage(refused.url, refused)}`) : undefined;
}

export interface ActionOutcome {
  /** The tab that is current after the action (a new tab the action opened becomes current). */
  tab: BrowserTab;
  notes: string[];
  navigated: boolean;
  newTabs: string[];
}

/** Wait for the page to settle, switch to tabs the action opened, and say what changed. */
export async function settleAfterAction(
  session: BrowserSession,
  tab: BrowserTab,
  before: ActionMark,
): Promise<ActionOutcome> {
  await tab.page.waitForLoadState("domcontentloaded", { timeout: settleTimeoutMs }).catch(() => undefined);
  let opened = session.tabsOpenedSince(before.tabMark);
  if (opened.length === 0) {
    await Bun.sleep(popupGraceMs);
    opened = session.tabsOpenedSince(before.tabMark);
  }
  const notes: string[] = refusalNotes(session.refusedSince(before.refusalMark));
  const navigated = !tab.page.isClosed() && tab.page.url() !== before.url;
  if (navigated) notes.push(`The page navigated to ${tab.page.url()}.`);
  let current = tab;
  if (opened.length > 0) {
    const newest = opened[opened.length - 1]!;
    current = await session.switchTab(newest.id);
    await current.page
      .waitForLoadState("domcontentloaded", { timeout: settleTimeoutMs })
      .catch(() => undefined);
    const list = opened.map((openedTab) => `${openedTab.id} (${openedTab.page.url()})`).join(", ");
    notes.push(`New tab${opened.length > 1 ? "s" : ""} opened: ${list}. Switched to ${newest.id}.`);
  } else if (tab.page.isClosed()) {
    current = session.currentTab();
    notes.push(`The tab ${tab.id} closed; now on ${current.id}.`);
  }
  return { tab: current, notes, navigated, newTabs: opened.map((openedTab) => openedTab.id) };
}

/** The result of an action: what was done, what changed, then the current tab's snapshot (or heading). */
export async function actionResult(summary: string, outcome: ActionOutcome, withSnapshot = true) {
  const lines = [summary, ...outcome.notes].join("\n");
  const common = { tabId: outcome.tab.id, navigated: outcome.navigated, newTabs: outcome.newTabs };
  if (withSnapshot) {
    const snapshot = await snapshotTab(outcome.tab);
    return {
      text: `${lines}\n\n${snapshot.text}`,
      details: { ...common, url: snapshot.url, title: snapshot.title, snapshotTruncated: snapshot.truncated },
    };
  }
  const info = await describeTab(outcome.tab);
  return { text: `${lines}\n\n${info.heading}`, details: { ...common, url: info.url, title: info.title } };
}
