/**
 * browser_scroll: scroll the current tab by a distance (a mouse-wheel turn over the middle of the
 * page, so inner scrolling areas there move too), or bring an element named by a ref or selector into
 * view. Reports the page's scroll position; no snapshot (scrolling does not change the tree). Needs
 * `ctx.services.browser`. Details: `{ tabId, url, title, scrollX, scrollY, scrollWidth, scrollHeight,
 * viewportWidth, viewportHeight }`.
 */
import { Type as T } from "@sinclair/typebox";
import type { Page } from "playwright-core";
import { defineTool } from "../agent/tool-contract.ts";
import { describeTab } from "../browser/snapshot.ts";
import { hasTarget, refParameter, resolveTarget, selectorParameter } from "../browser/targets.ts";
import { runBrowserAction } from "../browser/tool-support.ts";

const description = `Scroll the current browser tab.
- direction (default down) and amount in pixels (default: most of the visible height or width).
- Or give ref (from browser_snapshot) or selector to scroll that element into view.
- Says where the page is now. Use browser_screenshot to see what is visible.`;

interface ScrollPosition {
  scrollX: number;
  scrollY: number;
  scrollWidth: number;
  scrollHeight: number;
  viewportWidth: number;
  viewportHeight: number;
}

export const browserScrollTool = defineTool({
  name: "browser_scroll",
  description,
  kind: "browser",
  parameters: T.Object({
    direction: T.Optional(
      T.Union([T.Literal("down"), T.Literal("up"), T.Literal("left"), T.Literal("right")], {
        description: "Default: down.",
      }),
    ),
    amount: T.Optional(T.Integer({ minimum: 1, maximum: 100_000, description: "Distance in CSS pixels." })),
    ref: refParameter,
    selector: selectorParameter,
  }),
  async execute(params, ctx) {
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const page = tab.page;
      let summary: string;
      if (hasTarget(params)) {
        const target = await resolveTarget(page, params);
        await target.locator.scrollIntoViewIfNeeded();
        summary = `Scrolled ${target.label} into view.`;
      } else {
        const direction = params.direction ?? "down";
        const start = await scrollPosition(page);
        const vertical = direction === "down" || direction === "up";
        const amount =
          params.amount ?? Math.round((vertical ? start.viewportHeight : start.viewportWidth) * 0.8);
        const sign = direction === "down" || direction === "right" ? 1 : -1;
        await page.mouse.move(start.viewportWidth / 2, start.viewportHeight / 2);
        await page.mouse.wheel(vertical ? 0 : sign * amount, vertical ? sign * amount : 0);
        const end = await settledPosition(page, start);
        const moved = vertical ? end.scrollY - start.scrollY : end.scrollX - start.scrollX;
        summary =
          moved === 0
            ? `Did not scroll ${direction}: the page is already at its ${edgeName(direction)} (or this area does not scroll).`
            : `Scrolled ${direction} ${Math.abs(moved)} px.`;
      }
      const position = await scrollPosition(page);
      const { heading, url, title } = await describeTab(tab);
      const where = `Position: ${position.scrollY} of ${position.scrollHeight} px down (view ${position.viewportHeight} px high), ${position.scrollX} of ${position.scrollWidth} px across.`;
      return {
        text: `${summary}\n${where}\n\n${heading}`,
        details: { tabId: tab.id, url, title, ...position },
      };
    });
  },
});

function edgeName(direction: "down" | "up" | "left" | "right"): string {
  return { down: "bottom", up: "top", left: "left edge", right: "right edge" }[direction];
}

async function scrollPosition(page: Page): Promise<ScrollPosition> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return {
      scrollX: Math.round(window.scrollX),
      scrollY: Math.round(window.scrollY),
      scrollWidth: root.scrollWidth,
      scrollHeight: root.scrollHeight,
      viewportWidth: window.innerWidth,
      viewportHeight: window.innerHeight,
    };
  });
}

/** Wheel scrolling is applied asynchronously: wait until the position stops changing (at most ~1 s). */
async function settledPosition(page: Page, start: ScrollPosition): Promise<ScrollPosition> {
  let previous = start;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const current = await scrollPosition(page);
    const unchanged = current.scrollX === previous.scrollX && current.scrollY === previous.scrollY;
    if (
      unchanged &&
      (attempt >= 2 || current.scrollY !== start.scrollY || current.scrollX !== start.scrollX)
    ) {
      return current;
    }
    previous = current;
  }
  return previous;
}
