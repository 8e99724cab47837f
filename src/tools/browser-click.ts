/**
 * browser_click: click an element named by a snapshot ref (or a selector), then report navigation and
 * new tabs (a tab the click opens becomes current) and return the new snapshot. Needs
 * `ctx.services.browser`. Details: `{ tabId, url, title, navigated, newTabs, snapshotTruncated }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool } from "../agent/tool-contract.ts";
import { describeTarget, targetLines } from "../browser/target-description.ts";
import { refParameter, resolveTarget, selectorParameter } from "../browser/targets.ts";
import { actionResult, markBefore, runBrowserAction, settleAfterAction } from "../browser/tool-support.ts";

const description = `Click an element in the current browser tab, then show the updated page.
- Name the element by its ref from browser_snapshot (preferred), or by a selector.
- If the click opens a new tab, that tab becomes current.`;

export const browserClickTool = defineTool({
  name: "browser_click",
  description,
  kind: "browser",
  parameters: T.Object({
    ref: refParameter,
    selector: selectorParameter,
    button: T.Optional(
      T.Union([T.Literal("left"), T.Literal("right"), T.Literal("middle")], {
        description: "Default: left.",
      }),
    ),
    double_click: T.Optional(T.Boolean({ description: "Double-click instead of a single click." })),
  }),
  async describe(params, ctx) {
    const target = await describeTarget(ctx.services ?? {}, params);
    return {
      title: `${clickVerb(params)} ${target.label}`,
      detail: targetLines(target).join("\n"),
      detailKind: "url",
    };
  },
  async execute(params, ctx) {
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const target = await resolveTarget(tab.page, params);
      const before = markBefore(session, tab);
      const button = params.button ?? "left";
      if (params.double_click) await target.locator.dblclick({ button });
      else await target.locator.click({ button });
      const outcome = await settleAfterAction(session, tab, before);
      const what = `${params.double_click ? "Double-clicked" : "Clicked"}${button === "left" ? "" : ` (${button} button)`}`;
      return actionResult(`${what} ${target.label}.`, outcome);
    });
  },
});

function clickVerb(params: { button?: "left" | "right" | "middle"; double_click?: boolean }): string {
  const button = params.button === "right" ? "Right-" : params.button === "middle" ? "Middle-" : "";
  if (params.double_click) return button ? `${button}double-click` : "Double-click";
  return button ? `${button}click` : "Click";
}
