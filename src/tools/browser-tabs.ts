/**
 * browser_tabs: list the browser's tabs, switch to one, close one, or open a new one (optionally at a
 * URL). Needs `ctx.services.browser`. Details: `{ action, tabs: BrowserTabInfo[], currentTabId }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { runBrowserAction } from "../browser/tool-support.ts";
import type { BrowserTabInfo } from "../browser/types.ts";
import { normalizeBrowserUrl } from "./browser-navigate.ts";

const description = `Manage the browser's tabs.
- action "list": every tab with its id, title and URL; the current one is marked.
- action "switch" with tab_id: make that tab current (the other browser tools act on the current tab).
- action "close" with tab_id: close that tab.
- action "new": open a new tab (at url, if given) and make it current.`;

export const browserTabsTool = defineTool({
  name: "browser_tabs",
  description,
  kind: "browser",
  parameters: T.Object({
    action: T.Union([T.Literal("list"), T.Literal("switch"), T.Literal("close"), T.Literal("new")]),
    tab_id: T.Optional(T.String({ minLength: 1, description: 'A tab id from the list, e.g. "t2".' })),
    url: T.Optional(T.String({ minLength: 1, description: 'For "new": the page to open.' })),
  }),
  async execute(params, ctx) {
    if ((params.action === "switch" || params.action === "close") && !params.tab_id) {
      throw new ToolError(`action "${params.action}" needs tab_id (see action "list").`);
    }
    const url = params.action === "new" && params.url !== undefined ? normalizeBrowserUrl(params.url) : null;
    return runBrowserAction(ctx, async (session) => {
      let summary: string;
      switch (params.action) {
        case "list":
          summary = "Open tabs:";
          break;
        case "switch":
          await session.switchTab(params.tab_id!);
          summary = `Switched to ${params.tab_id}. Open tabs:`;
          break;
        case "close":
          await session.closeTab(params.tab_id!);
          summary = `Closed ${params.tab_id}. Open tabs:`;
          break;
        case "new": {
          const tab = await session.newTab();
          if (url !== null) await tab.page.goto(url, { waitUntil: "domcontentloaded" });
          summary = `Opened ${tab.id}${url === null ? "" : ` at ${url}`}. Open tabs:`;
          break;
        }
      }
      const tabs = await session.tabs();
      const current = tabs.find((tab) => tab.current);
      return {
        text: `${summary}\n${tabs.map(formatTab).join("\n")}`,
        details: { action: params.action, tabs, currentTabId: current?.id ?? null },
      };
    });
  },
});

function formatTab(tab: BrowserTabInfo): string {
  return `${tab.current ? "*" : " "} ${tab.id}: ${tab.title || "(untitled)"} — ${tab.url}${tab.current ? " (current)" : ""}`;
}
