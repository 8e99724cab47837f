/**
 * Test helper: screenshots of an X display without ImageMagick. `xwd -root` dumps the screen in the
 * X Window Dump format; `parseXwd` reads its ZPixmap (24/32 bits per pixel, either byte order) into
 * RGB, `encodePng` writes a PNG for people to look at, and `countPixels` answers "is this colour on
 * screen, and where".
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deflateSync } from "node:zlib";

export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major, R G B. */
  pixels: Uint8Array;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export class ScreenshotError extends Error {
  override readonly name = "ScreenshotError";
}

/** Grab the screen of `display` (":91") with xwd; only `region` is decoded when given. */
export async function captureScreen(display: string, region?: Region): Promise<RgbImage> {
  return parseXwd(await xwd(display, ["-root"]), region);
}

/**
 * Grab one window of `display` by its X id. Needed for GTK 4's dialogs: they use a 32-bit (ARGB)
 * visual, which a root dump on a display without a compositor does not show.
 */
export async function captureWindow(display: string, windowId: string): Promise<RgbImage> {
  return parseXwd(await xwd(display, ["-id", windowId]));
}

/** xwd's dump of what `which` names (`-root`, or `-id ID`) on `display`. */
async function xwd(display: string, which: string[]): Promise<Uint8Array> {
  const child = Bun.spawn(["xwd", ...which, "-silent", "-display", display], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [bytes, errors, code] = await Promise.all([
    new Response(child.stdout).arrayBuffer(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new ScreenshotError(`xwd failed (${code}): ${errors.trim()}`);
  return new Uint8Array(bytes);
}

/** `image` with `part` drawn over it, its top-left corner at (x, y) (clipped to the image). */
export function drawOver(image: RgbImage, part: RgbImage, x: number, y: number): RgbImage {
  const pixels = image.pixels.slice();
  for (let row = 0; row < part.height; row++) {
    const targetY = y + row;
    if (targetY < 0 || targetY >= image.height) continue;
    for (let column = 0; column < part.width; column++) {
      const targetX = x + column;
      if (targetX < 0 || targetX >= image.width) continue;
      const from = (row * part.width + column) * 3;
      pixels.set(part.pixels.subarray(from, from + 3), (targetY * image.width + targetX) * 3);
    }
  }
  return { width: image.width, height: image.height, pixels };
}

/** Decode an XWD dump (all of it, or the part inside `region`, which becomes the image). */
export function parseXwd(data: Uint8Array, region?: Region): RgbImage {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < 100) throw new ScreenshotError("XWD data is shorter than its header");
  const field = (index: number) => view.getUint32(index * 4, false);
  const headerSize = field(0);
  const version = field(1);
  const format = field(2);
  const width = field(4);
  const height = field(5);
  const byteOrder = field(7); // 0 = LSBFirst
  const bitsPerPixel = field(11);
  const bytesPerLine = field(12);
  const masks = { red: field(14), green: field(15), blue: field(16) };
  const colors = field(19);
  if (version !== 7) throw new ScreenshotError(`unsupported XWD version ${version}`);
  if (format !== 2) throw new ScreenshotError(`unsupported XWD pixmap format ${format} (want ZPixmap)`);
  if (bitsPerPixel !== 32 && bitsPerPixel !== 24) {
    throw new ScreenshotError(`unsupported XWD depth: ${bitsPerPixel} bits per pixel`);
  }
  const start = headerSize + colors * 12;
  if (start + bytesPerLine * height > data.byteLength) throw new ScreenshotError("XWD data is truncated");
  const bytes = bitsPerPixel / 8;
  const shift = (mask: number) => (mask === 0 ? 0 : 31 - Math.clz32(mask & -mask));
  const shifts = { red: shift(masks.red), green: shift(masks.green), blue: shift(masks.blue) };
  const x0 = Math.max(0, Math.min(width, region?.x ?? 0));
  const y0 = Math.max(0, Math.min(height, region?.y ?? 0));
  const x1 = Math.min(width, region ? region.x + region.width : width);
  const y1 = Math.min(height, region ? region.y + region.height : height);
  const outWidth = Math.max(0, x1 - x0);
  const outHeight = Math.max(0, y1 - y0);
  const pixels = new Uint8Array(outWidth * outHeight * 3);
  for (let y = y0; y < y1; y++) {
    let offset = start + y * bytesPerLine + x0 * bytes;
    for (let x = x0; x < x1; x++, offset += bytes) {
      let value = 0;
      for (let i = 0; i < bytes; i++) {
        const byte = data[offset + i] as number;
        value = byteOrder === 0 ? value | (byte << (8 * i)) : (value << 8) | byte;
      }
      value >>>= 0;
      const out = ((y - y0) * outWidth + (x - x0)) * 3;
      pixels[out] = ((value & masks.red) >>> shifts.red) & 0xff;
      pixels[out + 1] = ((value & masks.green) >>> shifts.green) & 0xff;
      pixels[out + 2] = ((value & masks.blue) >>> shifts.blue) & 0xff;
    }
  }
  return { width: outWidth, height: outHeight, pixels };
}

/** A PNG (8-bit RGB, no filtering) of the image. */
export function encodePng(image: RgbImage): Uint8Array {
  const { width, height, pixels } = image;
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter, no interlace
  const signature = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
  return concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw, { level: 6 }))),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

export function savePng(image: RgbImage, path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(image));
  return path;
}

export function hexColor(hex: string): Rgb {
  const value = Number.parseInt(hex.replace(/^#/, ""), 16);
  return { r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff };
}

/**
 * A colour of the app's theme, read from ui/src/styles/theme.css (`--ok: 28 95 62;` in `:root` for
 * light, `:root.dark` for dark), so pixel checks follow the theme instead of copying its values.
 */
export function themeColor(variable: string, theme: "light" | "dark" = "light"): Rgb {
  const css = readFileSync(join(import.meta.dir, "..", "..", "ui", "src", "styles", "theme.css"), "utf8");
  const block =
    new RegExp(`${theme === "dark" ? ":root\\.dark" : ":root"}\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? "";
  const match = new RegExp(`--${variable}:\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)`).exec(block);
  if (!match) throw new Error(`theme.css has no --${variable} for the ${theme} theme`);
  return { r: Number(match[1]), g: Number(match[2]), b: Number(match[3]) };
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How many pixels within `region` (default: all) are within `tolerance` of `color` on every channel. */
export function countPixels(image: RgbImage, color: Rgb, tolerance = 10, region?: Region): number {
  const x0 = Math.max(0, region?.x ?? 0);
  const y0 = Math.max(0, region?.y ?? 0);
  const x1 = Math.min(image.width, region ? region.x + region.width : image.width);
  const y1 = Math.min(image.height, region ? region.y + region.height : image.height);
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 3;
      if (
        Math.abs((image.pixels[i] as number) - color.r) <= tolerance &&
        Math.abs((image.pixels[i + 1] as number) - color.g) <= tolerance &&
        Math.abs((image.pixels[i + 2] as number) - color.b) <= tolerance
      ) {
        count++;
      }
    }
  }
  return count;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, Bun.hash.crc32(out.subarray(4, 8 + data.length)) >>> 0);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
