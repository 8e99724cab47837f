/**
 * `bun scripts/render-icons.ts`: render the tray's state icons (src/desktop/assets/sage-running.svg,
 * sage-waiting.svg: the app icon with a badge) to the 256×256 PNGs Sage installs for tray hosts, which
 * load a PNG path more reliably than an SVG. Uses Debian's Chromium (test/support/chromium.ts), never a
 * downloaded browser; the PNGs are committed, so builds never run this. Re-run after editing an SVG.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/support/chromium.ts";

const assets = resolve(import.meta.dir, "..", "src", "desktop", "assets");
const SIZE = 256;
const names = ["sage-running", "sage-waiting"];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  for (const name of names) {
    const svg = readFileSync(join(assets, `${name}.svg`), "utf8");
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><div id="icon" style="width:${SIZE}px;height:${SIZE}px">${svg.replace("<svg ", `<svg width="${SIZE}" height="${SIZE}" `)}</div></body></html>`,
    );
    const target = join(assets, `${name}.png`);
    await page.locator("#icon").screenshot({ path: target, omitBackground: true });
    console.log(`wrote ${target}`);
  }
} finally {
  await browser.close();
}
