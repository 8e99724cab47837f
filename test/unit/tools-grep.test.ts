import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { grepTool, maximumGrepFileBytes } from "../../src/tools/grep.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
  harness.write(
    "src/app.ts",
    "import { run } from './run';\n\nrun();\n// TODO: tidy\nexport const app = 1;\n",
  );
  harness.write("src/run.ts", "export function run() {\n  return 'todo later';\n}\n");
  harness.write("README.md", "# App\nRun it with bun.\r\nTODO: docs\r\n");
  harness.write("node_modules/dep/index.ts", "export const TODO = 1;\n");
  harness.write(".git/notes", "TODO in git\n");
  harness.write("image.bin", Uint8Array.from([84, 79, 68, 79, 0, 1]));
});
afterEach(() => harness.cleanup());

describe("grep", () => {
  test("finds matches as path:line: text grouped by file, in path order", async () => {
    const result = await grepTool.execute({ pattern: "TODO" }, harness.ctx);
    expect(result.text).toBe(
      "README.md:3: TODO: docs\n\nsrc/app.ts:4: // TODO: tidy\n\n[2 matching lines in 2 files (searched 4 files, 1 skipped (binary, too large or unreadable))]",
    );
    expect(result.details).toMatchObject({ matches: 2, files: 2, truncated: false });
  });

  test("ignore_case, glob filters and a path narrow the search", async () => {
    const ignoringCase = await grepTool.execute(
      { pattern: "todo", ignore_case: true, glob: "*.ts" },
      harness.ctx,
    );
    expect(ignoringCase.text).toContain("src/app.ts:4: // TODO: tidy");
    expect(ignoringCase.text).toContain("src/run.ts:2:   return 'todo later';");
    expect(ignoringCase.text).not.toContain("README");
    const inPath = await grepTool.execute({ pattern: "run", path: "src/run.ts" }, harness.ctx);
    expect(inPath.text.startsWith("src/run.ts:1: export function run() {")).toBe(true);
    const withFolderGlob = await grepTool.execute({ pattern: "export", glob: "src/*.ts" }, harness.ctx);
    expect(withFolderGlob.details).toMatchObject({ files: 2 });
  });

  test("searches node_modules only when the glob names it", async () => {
    const result = await grepTool.execute({ pattern: "TODO", glob: "node_modules/**/*.ts" }, harness.ctx);
    expect(result.text).toContain("node_modules/dep/index.ts:1: export const TODO = 1;");
  });

  test("shows context lines with '-' and separates regions with --", async () => {
    harness.write("ctx.txt", "a\nb\nMATCH 1\nc\nd\ne\nf\nMATCH 2\ng\n");
    const result = await grepTool.execute({ pattern: "^MATCH", path: "ctx.txt", context: 1 }, harness.ctx);
    expect(result.text.split("\n\n")[0]).toBe(
      [
        "ctx.txt-2- b",
        "ctx.txt:3: MATCH 1",
        "ctx.txt-4- c",
        "--",
        "ctx.txt-7- f",
        "ctx.txt:8: MATCH 2",
        "ctx.txt-9- g",
      ].join("\n"),
    );
  });

  test("anchors work on files with Windows line endings; lookarounds are not missed", async () => {
    const anchored = await grepTool.execute({ pattern: "bun\\.$" }, harness.ctx);
    expect(anchored.text).toContain("README.md:2: Run it with bun.");
    harness.write("look.txt", "foo\nbar\n");
    const lookahead = await grepTool.execute({ pattern: "foo(?!\\s)", path: "look.txt" }, harness.ctx);
    expect(lookahead.text).toContain("look.txt:1: foo");
  });

  test("caps results at max_results with a note", async () => {
    harness.write("many.txt", Array.from({ length: 30 }, (_, index) => `hit ${index}`).join("\n"));
    const result = await grepTool.execute({ pattern: "hit", max_results: 5 }, harness.ctx);
    expect(result.text.split("\n").filter((line) => line.startsWith("many.txt:"))).toHaveLength(5);
    expect(result.text).toContain("Stopped at 5 matching lines");
    expect(result.details).toMatchObject({ matches: 5, truncated: true });
  });

  test("skips symlinks, files over the size limit and binary files", async () => {
    harness.write("huge.txt", `needle\n${"x".repeat(maximumGrepFileBytes)}`);
    symlinkSync(join(harness.root, "src/app.ts"), join(harness.root, "app-link.ts"));
    const result = await grepTool.execute({ pattern: "needle|TODO: tidy" }, harness.ctx);
    expect(result.text).not.toContain("huge.txt");
    expect(result.text).not.toContain("app-link.ts");
    expect(result.text).toContain("src/app.ts:4:");
  });

  test("reports no matches plainly", async () => {
    const result = await grepTool.execute({ pattern: "zebra" }, harness.ctx);
    expect(result.text).toMatch(/^No matches for "zebra" in the workspace/);
    expect(result.details).toMatchObject({ matches: 0 });
  });

  test("refuses invalid regexes, an empty pattern and missing paths with clear errors", async () => {
    await expect(grepTool.execute({ pattern: "foo(" }, harness.ctx)).rejects.toThrow(
      /Invalid regular expression "foo\(".*backslash/,
    );
    await expect(grepTool.execute({ pattern: "" }, harness.ctx)).rejects.toThrow(/pattern is empty/);
    await expect(grepTool.execute({ pattern: "x", path: "nope" }, harness.ctx)).rejects.toThrow(
      /Not found: nope/,
    );
  });

  test("stops when the signal is aborted", async () => {
    harness.controller.abort();
    await expect(grepTool.execute({ pattern: "TODO" }, harness.ctx)).rejects.toThrow();
  });
});

describe("grep on a generated tree", () => {
  let tree: TestToolContext;
  const fileCount = 3000;
  beforeAll(() => {
    tree = createTestToolContext();
    for (let index = 0; index < fileCount; index += 1) {
      const folder = `pkg${index % 30}/mod${index % 7}`;
      const marker = index % 500 === 0 ? `\nconst marker${index} = "FINDME";` : "";
      tree.write(`${folder}/file${index}.ts`, `export const value${index} = ${index};${marker}\n`);
    }
  });
  afterAll(() => tree.cleanup());

  test(`finds every marker among ${fileCount} files quickly and deterministically`, async () => {
    const started = performance.now();
    const result = await grepTool.execute({ pattern: 'marker\\d+ = "FINDME"' }, tree.ctx);
    const elapsed = performance.now() - started;
    expect(result.details).toMatchObject({ matches: fileCount / 500, files: fileCount / 500 });
    expect(result.text).toContain(`searched ${fileCount} files`);
    expect(elapsed).toBeLessThan(5000);
    const again = await grepTool.execute({ pattern: 'marker\\d+ = "FINDME"' }, tree.ctx);
    expect(again.text).toBe(result.text);
  });
});
