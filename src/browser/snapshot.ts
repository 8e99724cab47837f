/**
 * Page snapshots for the model: the accessibility tree as indented text, with a reference such as
 * `[ref=e12]` on every element an action can target. Built on playwright-core's own AI snapshot
 * (`page.ariaSnapshot({ mode: "ai" })`), whose refs `page.getByRef` resolves against the latest snapshot
 * of the same frame, so refs stay valid until the page changes and the next snapshot is taken.
 * Password fields' values are masked; every snapshot taken is remembered for approvals
 * (snapshot-refs.ts).
 */
import type { Page } from "playwright-core";
import { rememberSnapshot } from "./snapshot-refs.ts";
import type { BrowserTab } from "./types.ts";

export const defaultSnapshotCharacters = 40_000;

export interface PageSnapshot {
  /** Header lines (tab, title, URL), a blank line, then the tree. */
  text: string;
  url: string;
  title: string;
  /** True when the tree was cut at the character limit. */
  truncated: boolean;
}

/** "Tab t1: <title>" and "URL: <url>" lines for a tab. */
export async function describeTab(tab: BrowserTab): Promise<{ heading: string; url: string; title: string }> {
  const url = tab.page.url();
  const title = await tab.page.title().catch(() => "");
  return { heading: `Tab ${tab.id}: ${title || "(untitled)"}\nURL: ${url}`, url, title };
}

export async function snapshotTab(
  tab: BrowserTab,
  maximumCharacters: number = defaultSnapshotCharacters,
): Promise<PageSnapshot> {
  const { heading, url, title } = await describeTab(tab);
  const tree = await hidePasswordValues(tab.page, await ariaTree(tab.page));
  rememberSnapshot(tab.page, tree);
  const { text: body, truncated } = cutAtLine(tree, maximumCharacters);
  const note = truncated
    ? `\n[Snapshot cut at ${maximumCharacters} of ${tree.length} characters. Target later elements with a CSS selector, or scroll and use browser_evaluate to read them.]`
    : "";
  return { text: `${heading}\n\n${body || "(the page is empty)"}${note}`, url, title, truncated };
}

async function ariaTree(page: Page): Promise<string> {
  try {
    return await page.ariaSnapshot({ mode: "ai" });
  } catch (error) {
    // A navigation between the call and the capture destroys the context: wait for it and retry once.
    await page.waitForLoadState("domcontentloaded").catch(() => undefined);
    try {
      return await page.ariaSnapshot({ mode: "ai" });
    } catch {
      throw error;
    }
  }
}

/** A text box line that shows the field's value inline: `- textbox "Secret" [ref=e5]: hunter2`. */
const VALUE_LINE = /^(\s*- textbox\b.*\[ref=((?:f\d+)?e\d+)\][^:"]*): .+$/;

/**
 * Playwright's snapshot shows a text box's value inline, passwords included: the value of every
 * `<input type="password">` is replaced by dots before the model (or the transcript) sees it. A field
 * that cannot be checked is masked too.
 */
async function hidePasswordValues(page: Page, tree: string): Promise<string> {
  const lines = tree.split("\n");
  for (const [index, line] of lines.entries()) {
    const match = VALUE_LINE.exec(line);
    if (!match) continue;
    const password = await page
      .getByRef(match[2] as string)
      .evaluate(
        (element) => element instanceof HTMLInputElement && element.type.toLowerCase() === "password",
        undefined,
        { timeout: 1000 },
      )
      .catch(() => true);
    if (password) lines[index] = `${match[1]}: ••••••••`;
  }
  return lines.join("\n");
}

function cutAtLine(text: string, maximumCharacters: number): { text: string; truncated: boolean } {
  if (text.length <= maximumCharacters) return { text, truncated: false };
  const cut = text.lastIndexOf("\n", maximumCharacters);
  return { text: text.slice(0, cut > 0 ? cut : maximumCharacters), truncated: true };
}
