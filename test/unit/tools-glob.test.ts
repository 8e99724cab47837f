import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { globTool, maximumGlobResults } from "../../src/tools/glob.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
  for (const path of [
    "README.md",
    "src/main.ts",
    "src/tools/read.ts",
    "src/tools/read.test.ts",
    "src/.hidden.ts",
    "docs/guide.md",
    "node_modules/pkg/index.ts",
    ".git/config",
  ]) {
    harness.write(path, "x\n");
  }
});
afterEach(() => harness.cleanup());

async function globLines(params: { pattern: string; path?: string }): Promise<string[]> {
  return (await globTool.execute(params, harness.ctx)).text.split("\n");
}

describe("glob", () => {
  test("matches across folders with ** and returns sorted workspace-relative paths", async () => {
    expect(await globLines({ pattern: "**/*.ts" })).toEqual([
      "src/.hidden.ts",
      "src/main.ts",
      "src/tools/read.test.ts",
      "src/tools/read.ts",
    ]);
  });

  test("a single * stays in one folder, with a hint when nothing matches", async () => {
    expect(await globLines({ pattern: "*.md" })).toEqual(["README.md"]);
    const none = await globTool.execute({ pattern: "*.ts" }, harness.ctx);
    expect(none.text).toBe(
      'No files match "*.ts" in the workspace. To match in subfolders too, use "**/*.ts".',
    );
    expect(none.details).toMatchObject({ count: 0 });
  });

  test("searches below path but reports workspace-relative results", async () => {
    expect(await globLines({ pattern: "*.ts", path: "src/tools" })).toEqual([
      "src/tools/read.test.ts",
      "src/tools/read.ts",
    ]);
    expect(await globLines({ pattern: "**/*.{md,ts}", path: "docs" })).toEqual(["docs/guide.md"]);
  });

  test("skips node_modules and .git unless the pattern names them", async () => {
    const all = await globLines({ pattern: "**/*" });
    expect(all.some((path) => path.startsWith("node_modules/") || path.startsWith(".git/"))).toBe(false);
    expect(await globLines({ pattern: "node_modules/**/*.ts" })).toEqual(["node_modules/pkg/index.ts"]);
    expect(await globLines({ pattern: ".git/*" })).toEqual([".git/config"]);
  });

  test("lists symlinks by name without following linked folders", async () => {
    symlinkSync(join(harness.root, "src"), join(harness.root, "src-link"));
    const all = await globLines({ pattern: "**/*" });
    expect(all).toContain("src-link");
    expect(all.some((path) => path.startsWith("src-link/"))).toBe(false);
  });

  test("caps results with a note", async () => {
    for (let index = 0; index < maximumGlobResults + 5; index += 1) harness.write(`many/${index}.log`, "");
    const result = await globTool.execute({ pattern: "many/*.log" }, harness.ctx);
    expect(result.text.split("\n").filter((line) => line.endsWith(".log"))).toHaveLength(maximumGlobResults);
    expect(result.text).toContain(`Showing ${maximumGlobResults} of ${maximumGlobResults + 5} matches`);
    expect(result.details).toMatchObject({ truncated: true, count: maximumGlobResults + 5 });
  });

  test("refuses empty, absolute and '..' patterns, files and missing folders as path", async () => {
    await expect(globTool.execute({ pattern: " " }, harness.ctx)).rejects.toThrow(/pattern is empty/);
    await expect(globTool.execute({ pattern: "/etc/*" }, harness.ctx)).rejects.toThrow(/must be relative/);
    await expect(globTool.execute({ pattern: "../**/*" }, harness.ctx)).rejects.toThrow(
      /cannot contain '\.\.'/,
    );
    await expect(globTool.execute({ pattern: "*", path: "README.md" }, harness.ctx)).rejects.toThrow(
      /is a file, not a folder/,
    );
    await expect(globTool.execute({ pattern: "*", path: "nowhere" }, harness.ctx)).rejects.toThrow(
      /Folder not found: nowhere/,
    );
  });

  test("stops when the signal is aborted", async () => {
    harness.controller.abort();
    await expect(globTool.execute({ pattern: "**/*" }, harness.ctx)).rejects.toThrow();
  });
});
