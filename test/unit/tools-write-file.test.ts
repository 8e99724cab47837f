import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileTool } from "../../src/tools/write-file.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
});
afterEach(() => harness.cleanup());

describe("write_file", () => {
  test("creates a file and its parent folders, reporting the line count", async () => {
    const result = await writeFileTool.execute(
      { path: "docs/new/readme.md", content: "# Title\n\nBody\n" },
      harness.ctx,
    );
    expect(readFileSync(join(harness.root, "docs/new/readme.md"), "utf8")).toBe("# Title\n\nBody\n");
    expect(result.text).toBe("Created docs/new/readme.md (3 lines).");
    expect(result.details).toMatchObject({ path: "docs/new/readme.md", added: 3, removed: 0, created: true });
    expect(String(result.details!.diff)).toContain("--- /dev/null\n+++ b/docs/new/readme.md");
  });

  test("overwrites a file, keeps its mode, and reports old and new line counts", async () => {
    const path = harness.write("script.sh", "echo one\necho two\n");
    chmodSync(path, 0o755);
    const result = await writeFileTool.execute(
      { path: "script.sh", content: "echo one\necho 2\necho 3\n" },
      harness.ctx,
    );
    expect(readFileSync(path, "utf8")).toBe("echo one\necho 2\necho 3\n");
    expect(statSync(path).mode & 0o777).toBe(0o755);
    expect(result.text).toBe("Overwrote script.sh: was 2 lines, now 3 lines (+2 -1).");
    expect(result.details).toMatchObject({ added: 2, removed: 1, created: false });
  });

  test("says so when the content is unchanged", async () => {
    harness.write("same.txt", "same\n");
    const result = await writeFileTool.execute({ path: "same.txt", content: "same\n" }, harness.ctx);
    expect(result.text).toContain("nothing changed");
  });

  test("touches and describe give the absolute path and the diff for approval", async () => {
    harness.write("a.txt", "old\n");
    const params = { path: "a.txt", content: "new\n" };
    expect(writeFileTool.touches!(params, harness.ctx)).toEqual([join(harness.root, "a.txt")]);
    const description = await writeFileTool.describe!(params, harness.ctx);
    expect(description.title).toBe("Overwrite a.txt");
    expect(description.detailKind).toBe("diff");
    expect(description.detail).toContain("-old\n+new");
    // describe never writes
    expect(readFileSync(join(harness.root, "a.txt"), "utf8")).toBe("old\n");
    const creation = await writeFileTool.describe!({ path: "b.txt", content: "x\n" }, harness.ctx);
    expect(creation.title).toBe("Create b.txt");
    expect(existsSync(join(harness.root, "b.txt"))).toBe(false);
  });

  test("refuses folders and binary files", async () => {
    mkdirSync(join(harness.root, "folder"));
    await expect(writeFileTool.execute({ path: "folder", content: "x" }, harness.ctx)).rejects.toThrow(
      /folder is a directory/,
    );
    harness.write("image.bin", Uint8Array.from([0, 1, 2]));
    await expect(writeFileTool.execute({ path: "image.bin", content: "x" }, harness.ctx)).rejects.toThrow(
      /binary file/,
    );
    harness.write("file.txt", "x");
    await expect(
      writeFileTool.execute({ path: "file.txt/child.txt", content: "x" }, harness.ctx),
    ).rejects.toThrow(/parent folders is a file/);
  });

  test("does nothing once the signal is aborted", async () => {
    harness.controller.abort();
    await expect(writeFileTool.execute({ path: "late.txt", content: "x" }, harness.ctx)).rejects.toThrow();
    expect(existsSync(join(harness.root, "late.txt"))).toBe(false);
  });
});
