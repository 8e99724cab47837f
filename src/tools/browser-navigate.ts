/**
 * browser_navigate: open a URL in the current tab (or go back, forward, reload) and return the page's
 * snapshot. Only http, https and about:blank: file:// would read files outside the workspace, and other
 * schemes (javascript:, chrome:) are not pages. A bare host ("example.com") gets https://.
 *
 * Needs `ctx.services.browser` (a `BrowserService`, src/browser/types.ts). Details: `{ tabId, url,
 * title, status, navigated, newTabs, snapshotTruncated }`.
 */
import { Type as T } from "@sinclair/typebox";
import { actionResult, markBefore, runBrowserAction, settleAfterAction } from "../browser/tool-support.ts";
import { defineTool, ToolError } from "./types.ts";

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
  describe(params) {
    const target = params.url ?? `(${params.history ?? "no address"})`;
    return {
      title: params.url ? `Open ${params.url}` : `Browser: ${params.history}`,
      detail: target,
      detailKind: "url",
    };
  },
  async execute(params, ctx) {
    if ((params.url === undefined) === (params.history === undefined)) {
      throw new ToolError('Give either url or history ("back", "forward" or "reload"), not both or neither.');
    }
    const url = params.url === undefined ? null : normalizeBrowserUrl(params.url);
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const before = markBefore(session, tab);
      let response: Awaited<ReturnType<typeof tab.page.goto>>;
      let summary: string;
      if (url !== null) {
        response = await tab.page.goto(url, { waitUntil: "domcontentloaded" });
        summary = `Opened ${url}`;
      } else if (params.history === "back") {
        response = await tab.page.goBack({ waitUntil: "domcontentloaded" });
        summary =
          response === null && tab.page.url() === before.url
            ? "There is no page to go back to."
            : "Went back";
      } else if (params.history === "forward") {
        response = await tab.page.goForward({ waitUntil: "domcontentloaded" });
        summary =
          response === null && tab.page.url() === before.url
            ? "There is no page to go forward to."
            : "Went forward";
      } else {
        response = await tab.page.reload({ waitUntil: "domcontentloaded" });
        summary = "Reloaded";
      }
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
