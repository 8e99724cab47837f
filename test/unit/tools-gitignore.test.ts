/**
 * grep, glob and list_dir honour .gitignore and .ignore (nested files, negation, folder patterns), with
 * `include_ignored` to see everything, and say how much they left out.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { globTool } from "../../src/tools/glob.ts";
import { grepTool } from "../../src/tools/grep.ts";
import { createIgnoreMatcher } from "../../src/tools/ignore-rules.ts";
import { listDirTool } from "../../src/tools/list-dir.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
  harness.write(".gitignore", "dist/\n*.log\n!keep.log\n/secret.txt\n");
  harness.write("src/app.ts", "const needle = 1;\n");
  harness.write("src/debug.log", "needle in a log\n");
  harness.write("keep.log", "needle kept\n");
  harness.write("dist/bundle.js", "needle bundled\n");
  harness.write("secret.txt", "needle secret\n");
  harness.write("nested/secret.txt", "needle nested (only /secret.txt at the root is ignored)\n");
  harness.write("nested/.gitignore", "generated.ts\n");
  harness.write("nested/generated.ts", "needle generated\n");
  harness.write("nested/.ignore", "!generated.ts\nscratch/\n");
  harness.write("nested/scratch/a.ts", "needle scratch\n");
});
afterEach(() => harness.cleanup());

const lines = (text: string) => text.split("\n");

describe(".gitignore and .ignore", () => {
  test.each([
    ["src/app.ts", false],
    ["src/debug.log", true],
    ["keep.log", false],
    ["dist/bundle.js", true],
    ["secret.txt", true],
    ["nested/secret.txt", false],
    ["nested/generated.ts", false], // .ignore re-includes what .gitignore excluded
    ["nested/scratch/a.ts", true],
  ])("%s ignored: %p", (path, expected) => {
    const matcher = createIgnoreMatcher(harness.root);
    expect(matcher.ignores(`${harness.root}/${path}`, false)).toBe(expected);
  });

  test("grep leaves ignored files out unless include_ignored, and says how many", async () => {
    const result = await grepTool.execute({ pattern: "needle" }, harness.ctx);
    const files = lines(result.text)
      .filter((line) => line.includes(":1:"))
      .map((line) => line.split(":")[0]);
    expect(files.sort()).toEqual(["keep.log", "nested/generated.ts", "nested/secret.txt", "src/app.ts"]);
    expect(result.text).toContain("excluded by .gitignore/.ignore");
    const all = await grepTool.execute({ pattern: "needle", include_ignored: true }, harness.ctx);
    expect(all.text).toContain("dist/bundle.js:1:");
    expect(all.text).toContain("secret.txt:1:");
    expect(all.text).toContain("nested/scratch/a.ts:1:");
    expect(all.details?.ignored).toBe(0);
  });

  test("grep on an ignored file named explicitly still searches it", async () => {
    const result = await grepTool.execute({ pattern: "needle", path: "dist/bundle.js" }, harness.ctx);
    expect(result.text).toContain("needle bundled");
  });

  test("glob leaves ignored files out unless include_ignored", async () => {
    const result = await globTool.execute({ pattern: "**/*.{ts,js,log}" }, harness.ctx);
    expect(lines(result.text).filter((line) => !line.startsWith("["))).toEqual([
      "keep.log",
      "nested/generated.ts",
      "src/app.ts",
    ]);
    const all = await globTool.execute({ pattern: "**/*.{ts,js,log}", include_ignored: true }, harness.ctx);
    expect(lines(all.text)).toEqual([
      "dist/bundle.js",
      "keep.log",
      "nested/generated.ts",
      "nested/scratch/a.ts",
      "src/app.ts",
      "src/debug.log",
    ]);
  });

  test("list_dir hides ignored entries with a note, include_ignored lists them", async () => {
    const result = await listDirTool.execute({ depth: 2 }, harness.ctx);
    expect(result.text).not.toContain("dist/");
    expect(result.text).not.toContain("debug.log");
    expect(result.text).not.toContain("scratch/");
    expect(result.text).toContain("keep.log");
    expect(result.text).toContain("entries excluded by .gitignore/.ignore are not listed");
    const all = await listDirTool.execute({ depth: 2, include_ignored: true }, harness.ctx);
    expect(all.text).toContain("dist/");
    expect(all.text).toContain("debug.log");
  });
});
