/**
 * browser_press_key: press a key or combination ("Enter", "Escape", "Control+A") on the focused element,
 * or on an element named by a ref or selector. Needs `ctx.services.browser`. Details: `{ tabId, url,
 * title, navigated, newTabs, snapshotTruncated }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { hasTarget, refParameter, resolveTarget, selectorParameter } from "../browser/targets.ts";
import { actionResult, markBefore, runBrowserAction, settleAfterAction } from "../browser/tool-support.ts";

const description = `Press a key in the current browser tab, then show the updated page.
- key: a key name such as Enter, Tab, Escape, Backspace, ArrowDown, PageDown, a character such as "a", or a combination such as Control+A or Shift+Tab.
- Goes to the focused element, or to the element given by ref (from browser_snapshot) or selector.`;

export const browserPressKeyTool = defineTool({
  name: "browser_press_key",
  description,
  kind: "browser",
  parameters: T.Object({
    key: T.String({ minLength: 1, description: 'Key or combination, e.g. "Enter" or "Control+A".' }),
    ref: refParameter,
    selector: selectorParameter,
  }),
  async execute(params, ctx) {
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const target = hasTarget(params) ? await resolveTarget(tab.page, params) : null;
      const before = markBefore(session, tab);
      try {
        if (target) await target.locator.press(params.key);
        else await tab.page.keyboard.press(params.key);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/Unknown key/i.test(message)) {
          throw new ToolError(
            `Unknown key "${params.key}". Use names like Enter, Tab, Escape, ArrowDown, or Control+A.`,
          );
        }
        throw error;
      }
      const outcome = await settleAfterAction(session, tab, before);
      return actionResult(`Pressed ${params.key}${target ? ` on ${target.label}` : ""}.`, outcome);
    });
  },
});
