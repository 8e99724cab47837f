/**
 * The window tests judge the screen through test/support/screenshot.ts, so its XWD decoder and PNG
 * encoder are checked here against hand-built images.
 */
import { describe, expect, test } from "bun:test";
import { inflateSync } from "node:zlib";
import {
  countPixels,
  encodePng,
  hexColor,
  parseXwd,
  type RgbImage,
  ScreenshotError,
} from "../support/screenshot.ts";

/** A ZPixmap XWD of `width` x `height`, 32 bits per pixel, pixel (x, y) coloured by `color`. */
function xwd(
  width: number,
  height: number,
  color: (x: number, y: number) => [number, number, number],
  byteOrder: 0 | 1 = 0,
): Uint8Array {
  const name = "test\0";
  const headerSize = 100 + name.length;
  const bytesPerLine = width * 4 + 8; // padded rows, as real dumps may have
  const data = new Uint8Array(headerSize + bytesPerLine * height);
  const view = new DataView(data.buffer);
  const fields = [headerSize, 7, 2, 24, width, height, 0, byteOrder, 32, byteOrder, 32, 32, bytesPerLine, 4];
  for (const [index, value] of fields.entries()) view.setUint32(index * 4, value);
  view.setUint32(14 * 4, 0xff0000);
  view.setUint32(15 * 4, 0x00ff00);
  view.setUint32(16 * 4, 0x0000ff);
  view.setUint32(19 * 4, 0); // no colormap entries
  data.set(new TextEncoder().encode(name), 100);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(x, y);
      view.setUint32(headerSize + y * bytesPerLine + x * 4, (r << 16) | (g << 8) | b, byteOrder === 0);
    }
  }
  return data;
}

const gradient = (x: number, y: number): [number, number, number] => [x * 10, y * 20, 200];

describe("parseXwd", () => {
  test.each([[0], [1]] as const)("decodes a 32-bit ZPixmap with byte order %p", (order) => {
    const image = parseXwd(xwd(5, 3, gradient, order));
    expect(image.width).toBe(5);
    expect(image.height).toBe(3);
    expect(Array.from(image.pixels.subarray(0, 3))).toEqual([0, 0, 200]);
    const last = (2 * 5 + 4) * 3;
    expect(Array.from(image.pixels.subarray(last, last + 3))).toEqual([40, 40, 200]);
  });

  test("decodes only a region when asked", () => {
    const image = parseXwd(xwd(6, 4, gradient), { x: 2, y: 1, width: 3, height: 2 });
    expect(image.width).toBe(3);
    expect(image.height).toBe(2);
    expect(Array.from(image.pixels.subarray(0, 3))).toEqual([20, 20, 200]);
  });

  test("rejects what it cannot read, by name", () => {
    const short = new Uint8Array(10);
    expect(() => parseXwd(short)).toThrow(ScreenshotError);
    const wrongVersion = xwd(2, 2, gradient);
    new DataView(wrongVersion.buffer).setUint32(4, 6);
    expect(() => parseXwd(wrongVersion)).toThrow("unsupported XWD version 6");
    const truncated = xwd(4, 4, gradient).subarray(0, 150);
    expect(() => parseXwd(truncated)).toThrow("truncated");
  });
});

describe("encodePng", () => {
  test("writes a PNG whose pixels inflate back to the image", () => {
    const image: RgbImage = parseXwd(xwd(4, 2, gradient));
    const png = encodePng(image);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe("IHDR");
    expect(view.getUint32(16)).toBe(4);
    expect(view.getUint32(20)).toBe(2);
    const idatLength = view.getUint32(33);
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe("IDAT");
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe((4 * 3 + 1) * 2);
    expect(Array.from(raw.subarray(1, 13))).toEqual(Array.from(image.pixels.subarray(0, 12)));
    // CRC of IHDR, checked independently of the encoder.
    expect(view.getUint32(29)).toBe(Bun.hash.crc32(png.subarray(12, 29)) >>> 0);
  });
});

describe("countPixels", () => {
  test("counts colours within a tolerance, inside a region", () => {
    const image = parseXwd(xwd(10, 10, (x) => (x < 5 ? [0x2f, 0x85, 0x5a] : [255, 255, 255])));
    const green = hexColor("#2f855a");
    expect(countPixels(image, green)).toBe(50);
    expect(countPixels(image, { r: 0x2f + 8, g: 0x85, b: 0x5a }, 10)).toBe(50);
    expect(countPixels(image, { r: 0x2f + 20, g: 0x85, b: 0x5a }, 10)).toBe(0);
    expect(countPixels(image, green, 0, { x: 3, y: 0, width: 4, height: 2 })).toBe(4);
  });
});
