import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { listDirTool, maximumListEntries } from "../../src/tools/list-dir.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
  harness.write("b.txt", "12345");
  harness.write("a.md", "x".repeat(2048));
  harness.write("src/main.ts", "export {};\n");
  harness.write("src/lib/util.ts", "export const one = 1;\n");
  harness.write("node_modules/pkg/index.js", "module.exports = 1;\n");
  harness.write(".git/HEAD", "ref: refs/heads/main\n");
  symlinkSync("src/main.ts", join(harness.root, "entry"));
});
afterEach(() => harness.cleanup());

describe("list_dir", () => {
  test("lists the root with folders first, sorted, with sizes and symlink targets", async () => {
    const result = await listDirTool.execute({}, harness.ctx);
    expect(result.text).toBe(
      [
        "Workspace root: 6 entries",
        ".git/",
        "node_modules/",
        "src/",
        "a.md  2 KiB",
        "b.txt  5 B",
        "entry -> src/main.ts",
      ].join("\n"),
    );
    expect(result.details).toMatchObject({ path: ".", truncated: false });
    expect(result.details!.entries).toContainEqual({ path: "b.txt", type: "file", size: 5 });
    expect(result.details!.entries).toContainEqual({ path: "entry", type: "symlink", target: "src/main.ts" });
  });

  test("descends to the requested depth but not into .git or node_modules", async () => {
    const result = await listDirTool.execute({ depth: 3 }, harness.ctx);
    expect(result.text).toContain(".git/  (not expanded)");
    expect(result.text).toContain("node_modules/  (not expanded)");
    expect(result.text).not.toContain("HEAD");
    expect(result.text).not.toContain("index.js");
    expect(result.text).toContain("src/\n  lib/\n    util.ts  22 B\n  main.ts  11 B");
  });

  test("lists a subfolder and says when it is empty", async () => {
    const sub = await listDirTool.execute({ path: "src/lib" }, harness.ctx);
    expect(sub.text).toBe("src/lib/: 1 entry\nutil.ts  22 B");
    mkdirSync(join(harness.root, "empty"));
    const empty = await listDirTool.execute({ path: "empty" }, harness.ctx);
    expect(empty.text).toContain("(empty folder)");
  });

  test("refuses files and missing folders", async () => {
    await expect(listDirTool.execute({ path: "b.txt" }, harness.ctx)).rejects.toThrow(/is a file.*read_file/);
    await expect(listDirTool.execute({ path: "missing" }, harness.ctx)).rejects.toThrow(
      /Folder not found: missing/,
    );
  });

  test("caps the number of entries with a note", async () => {
    for (let index = 0; index < maximumListEntries + 20; index += 1) harness.write(`many/f${index}.txt`, "");
    const result = await listDirTool.execute({ path: "many" }, harness.ctx);
    expect(result.details).toMatchObject({ truncated: true });
    expect(result.text).toContain(`Stopped after ${maximumListEntries} entries`);
  });

  test("stops when the signal is aborted", async () => {
    harness.controller.abort();
    await expect(listDirTool.execute({}, harness.ctx)).rejects.toThrow();
  });
});
