/**
 * browser_screenshot: a PNG of the current tab (the visible part, the full page, or one element),
 * saved in the workspace under `.sage/screenshots/` and returned as an image, so vision models see it
 * and the UI shows it. Needs `ctx.services.browser`. Details: `{ tabId, url, title, path, bytes,
 * fullPage }`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Type as T } from "@sinclair/typebox";
import { defineTool } from "../agent/tool-contract.ts";
import { describeTab } from "../browser/snapshot.ts";
import { hasTarget, refParameter, resolveTarget, selectorParameter } from "../browser/targets.ts";
import { runBrowserAction } from "../browser/tool-support.ts";
import { formatBytes } from "../shared/byte-size.ts";

/** Workspace-relative folder of saved screenshots. */
export const screenshotFolder = ".sage/screenshots";

const description = `Take a screenshot (PNG) of the current browser tab and look at it.
- By default the visible part of the page; full_page: true captures the whole page; ref or selector captures one element.
- The image is also saved in the workspace under ${screenshotFolder}/.
- To read text or find elements, browser_snapshot is cheaper and more precise.`;

export const browserScreenshotTool = defineTool({
  name: "browser_screenshot",
  description,
  kind: "browser",
  parameters: T.Object({
    full_page: T.Optional(T.Boolean({ description: "Capture the whole scrollable page." })),
    ref: refParameter,
    selector: selectorParameter,
  }),
  async execute(params, ctx) {
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      let png: Buffer;
      let what: string;
      if (hasTarget(params)) {
        const target = await resolveTarget(tab.page, params);
        png = await target.locator.screenshot({ type: "png" });
        what = target.label;
      } else {
        png = await tab.page.screenshot({ type: "png", fullPage: params.full_page === true });
        what = params.full_page ? "the full page" : "the visible part of the page";
      }
      const absolutePath = ctx.workspace.resolve(`${screenshotFolder}/${screenshotName()}`);
      await mkdir(dirname(absolutePath), { recursive: true });
      await writeFile(absolutePath, png);
      const path = ctx.workspace.relative(absolutePath);
      const { heading, url, title } = await describeTab(tab);
      return {
        text: `Screenshot of ${what} (${formatBytes(png.byteLength)}), saved as ${path}.\n\n${heading}`,
        images: [{ mime: "image/png", data: png.toString("base64"), path }],
        details: {
          tabId: tab.id,
          url,
          title,
          path,
          bytes: png.byteLength,
          fullPage: params.full_page === true,
        },
      };
    });
  },
});

/** A sortable, unique file name: the UTC time plus a random suffix against same-millisecond calls. */
function screenshotName(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const suffix = crypto
    .getRandomValues(new Uint8Array(3))
    .reduce((text, byte) => text + byte.toString(16).padStart(2, "0"), "");
  return `${stamp}-${suffix}.png`;
}
