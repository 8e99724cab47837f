/**
 * browser_navigate: open a URL in the current tab (or go back, forward, reload) and return the page's
 * snapshot. Only http, https and about:blank: file:// would read files outside the workspace, and other
 * schemes (javascript:, chrome:) are not pages. A bare host ("example.com") gets https://.
 *
 * Addresses on this computer or the local network are refused before the user is asked unless the
 * local-address setting allows them; when it does, the approval says where the page is. The browser's
 * address gate (src/browser/address-gate.ts) also refuses them on redirects and page-made requests.
 *
 * Needs `ctx.services.browser` (a `BrowserService`, src/browser/types.ts). Details: `{ tabId, url,
 * title, status, navigated, newTabs, snapshotTruncated }`.
 */
import { Type as T } from "@sinclair/typebox";
import type { Page, Response } from "playwright-core";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { refusalMessage } from "../browser/address-gate.ts";
import {
  actionResult,
  markBefore,
  refusedNavigationError,
  runBrowserAction,
  settleAfterAction,
} from "../browser/tool-support.ts";

const description = `Open a web page in the browser (the current tab), then show the page's snapshot: its structure with a ref for each element you can click or type into.
- Give url (http or https; "example.com" means https://example.com), or history: "back", "forward" or "reload".
- The browser keeps its cookies and logins between calls. Use browser_tabs for other tabs.`;

export const browserNavigateTool = defineTool({
  name: "browser_navigate",
  description,
  kind: "browser",
  parameters: T.Object({
    url: T.Optional(T.String({ minLength: 1, description: "The address to open." })),
    history: T.Optional(
      T.Union([T.Literal("back"), T.Literal("forward"), T.Literal("reload")], {
        description: "Instead of url: go back, forward, or reload the page.",
      }),
    ),
  }),
  async describe(params, ctx) {
    const target = params.url ?? `(${params.history ?? "no address"})`;
    const plain = {
      title: params.url ? `Open ${params.url}` : `Browser: ${params.history}`,
      detail: target,
      detailKind: "url" as const,
    };
    const browser = ctx.services?.browser;
    if (params.url === undefined || !browser) return plain;
    let url: string;
    try {
      url = normalizeBrowserUrl(params.url);
    } catch {
      return plain;
    }
    const verdict = await browser.checkAddress(url);
    // Refused before the user is asked: approving could not make it work.
    if (!verdict.allowed && "locality" in verdict) {
      throw new ToolError(`Refused to open ${refusalMessage(url, verdict)}`);
    }
    if (!verdict.allowed || verdict.locality === undefined) return plain;
    const where = verdict.locality === "this-computer" ? "on this computer" : "on the local network";
    return { ...plain, title: `Open ${url} (a page ${where})`, locality: verdict.locality };
  },
  async execute(params, ctx) {
    if ((params.url === undefined) === (params.history === undefined)) {
      throw new ToolError('Give either url or history ("back", "forward" or "reload"), not both or neither.');
    }
    const url = params.url === undefined ? null : normalizeBrowserUrl(params.url);
    const browser = ctx.services.browser;
    if (url !== null && browser) {
      const verdict = await browser.checkAddress(url);
      if (!verdict.allowed && "locality" in verdict) {
        throw new ToolError(`Refused to open ${refusalMessage(url, verdict)}`);
      }
    }
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const before = markBefore(session, tab);
      let response: Response | null;
      let summary: string;
      try {
        ({ response, summary } = await go(tab.page, url, params.history, before.url));
      } catch (error) {
        throw refusedNavigationError(session, before) ?? error;
      }
      // A redirect hop the gate refused: the tab shows the refusal page; the model gets the reason.
      const refused = refusedNavigationError(session, before);
      if (refused) throw refused;
      if (response)
        summary += ` (HTTP ${response.status()}${response.statusText() ? ` ${response.statusText()}` : ""})`;
      const outcome = await settleAfterAction(session, tab, before);
      // Navigating is the point of this tool: only other changes (new tabs) are worth a note.
      outcome.notes = outcome.notes.filter((note) => !note.startsWith("The page navigated"));
      const result = await actionResult(`${summary}.`.replace(/\.\.$/, "."), outcome);
      return { ...result, details: { ...result.details, status: response?.status() ?? null } };
    });
  },
});

/** Open `url`, or move in the history; says what happened (before the HTTP status). */
async function go(
  page: Page,
  url: string | null,
  history: "back" | "forward" | "reload" | undefined,
  urlBefore: string,
): Promise<{ response: Response | null; summary: string }> {
  const options = { waitUntil: "domcontentloaded" } as const;
  if (url !== null) return { response: await page.goto(url, options), summary: `Opened ${url}` };
  if (history === "back") {
    const response = await page.goBack(options);
    const none = response === null && page.url() === urlBefore;
    return { response, summary: none ? "There is no page to go back to." : "Went back" };
  }
  if (history === "forward") {
    const response = await page.goForward(options);
    const none = response === null && page.url() === urlBefore;
    return { response, summary: none ? "There is no page to go forward to." : "Went forward" };
  }
  return { response: await page.reload(options), summary: "Reloaded" };
}

/** The URL to open, or a `ToolError` saying why it cannot be opened. */
export function normalizeBrowserUrl(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "about:blank") return trimmed;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^/:]+:\d+(\/|$)/.test(trimmed);
  const local = /^(localhost|127\.|\[::1\])/i.test(trimmed);
  const withScheme = hasScheme ? trimmed : `${local ? "http" : "https"}://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ToolError(`Not a valid URL: ${text}`);
  }
  if (url.protocol === "file:") {
    throw new ToolError("The browser does not open local files; use read_file for files in the workspace.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolError(
      `The browser only opens http and https pages, not ${url.protocol.replace(/:$/, "")}: URLs.`,
    );
  }
  return url.href;
}
