/**
 * Highlighted code stays readable: every token colour of the highlighter's themes (the names the worker
 * asks shiki for, ui/src/components/markdown/highlight-worker.ts) reaches WCAG AA, 4.5:1, on the code
 * background of the matching Sage theme (--code-bg in ui/src/styles/theme.css). The accessibility spec
 * finds a failing colour only when such a token happens to be on screen; this checks all of them.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const worker = readFileSync(join(root, "ui/src/components/markdown/highlight-worker.ts"), "utf8");
const css = readFileSync(join(root, "ui/src/styles/theme.css"), "utf8");

function luminance([r, g, b]: number[]): number {
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r ?? 0) + 0.7152 * linear(g ?? 0) + 0.0722 * linear(b ?? 0);
}

function contrast(a: number[], b: number[]): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

const hex = (color: string) => [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));

/** --code-bg of the light (`:root {`) or dark (`:root.dark {`) block. */
function codeBackground(dark: boolean): number[] {
  const block = css.split(dark ? ":root.dark {" : ":root {")[1]?.split("}")[0] ?? "";
  const match = block.match(/--code-bg:\s*(\d+)\s+(\d+)\s+(\d+)/);
  if (!match) throw new Error("no --code-bg in theme.css");
  return match.slice(1, 4).map(Number);
}

test("every token colour of both code themes reaches 4.5:1 on its code background", async () => {
  const names = worker.match(/themes:\s*\{\s*light:\s*"([^"]+)",\s*dark:\s*"([^"]+)"\s*\}/);
  expect(names, "the worker names its light and dark themes").not.toBeNull();
  const failing: string[] = [];
  for (const [name, dark] of [
    [names?.[1] as string, false],
    [names?.[2] as string, true],
  ] as const) {
    const theme = (await import(`shiki/themes/${name}.mjs`)).default as {
      tokenColors?: { settings?: { foreground?: string; background?: string } }[];
      colors?: Record<string, string>;
    };
    const background = codeBackground(dark);
    const colors = new Set<string>();
    for (const rule of theme.tokenColors ?? []) {
      const foreground = rule.settings?.foreground;
      // A rule that paints its own background (invalid code) is read against that, not ours.
      if (foreground && !rule.settings?.background && /^#[0-9a-f]{6}$/i.test(foreground))
        colors.add(foreground);
    }
    const plain = theme.colors?.["editor.foreground"];
    if (plain) colors.add(plain.slice(0, 7));
    expect(colors.size).toBeGreaterThan(5);
    for (const color of colors) {
      const ratio = contrast(hex(color), background);
      if (ratio < 4.5) failing.push(`${name} ${color} ${ratio.toFixed(2)}:1`);
    }
  }
  expect(failing).toEqual([]);
});
