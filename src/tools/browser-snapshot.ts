/**
 * browser_snapshot: the current tab's accessibility tree as text, with `[ref=eN]` on each element the
 * other browser tools can target. Needs `ctx.services.browser`. Details: `{ tabId, url, title,
 * truncated }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool } from "../agent/tool-contract.ts";
import { defaultSnapshotCharacters, snapshotTab } from "../browser/snapshot.ts";
import { runBrowserAction } from "../browser/tool-support.ts";

const description = `Show the current browser tab as text: its headings, text, links, buttons and form fields, each element you can act on marked with a ref like [ref=e12].
- Pass the ref to browser_click, browser_type, browser_press_key or browser_scroll.
- Refs belong to the latest snapshot: after the page changes, take a new one.
- Long pages are cut at ${defaultSnapshotCharacters} characters.`;

export const browserSnapshotTool = defineTool({
  name: "browser_snapshot",
  description,
  kind: "browser",
  parameters: T.Object({}),
  async execute(_params, ctx) {
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const snapshot = await snapshotTab(tab);
      return {
        text: snapshot.text,
        details: { tabId: tab.id, url: snapshot.url, title: snapshot.title, truncated: snapshot.truncated },
      };
    });
  },
});
