import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { applyPatchTool } from "../../src/tools/apply-patch.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
});
afterEach(() => harness.cleanup());

function read(path: string): string {
  return readFileSync(join(harness.root, path), "utf8");
}

const numbers = `${Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join("\n")}\n`;

describe("apply_patch", () => {
  test("modifies, creates and deletes several files in one patch", async () => {
    harness.write("src/numbers.txt", numbers);
    harness.write("old.txt", "bye\nnow\n");
    const patch = `--- a/src/numbers.txt
+++ b/src/numbers.txt
@@ -2,3 +2,3 @@
 line 2
-line 3
+LINE THREE
 line 4
@@ -17,3 +17,4 @@
 line 17
 line 18
+line 18.5
 line 19
--- /dev/null
+++ b/src/new.txt
@@ -0,0 +1,2 @@
+fresh
+file
--- a/old.txt
+++ /dev/null
@@ -1,2 +0,0 @@
-bye
-now
`;
    const result = await applyPatchTool.execute({ patch }, harness.ctx);
    expect(read("src/numbers.txt")).toBe(
      numbers.replace("line 3\n", "LINE THREE\n").replace("line 18\n", "line 18\nline 18.5\n"),
    );
    expect(read("src/new.txt")).toBe("fresh\nfile\n");
    expect(existsSync(join(harness.root, "old.txt"))).toBe(false);
    expect(result.text).toBe(
      "Applied the patch: modified src/numbers.txt (+2 -1), created src/new.txt (+2 -0), deleted old.txt (+0 -2).",
    );
    expect(result.details).toMatchObject({
      paths: ["src/numbers.txt", "src/new.txt", "old.txt"],
      added: 4,
      removed: 3,
    });
    expect(String(result.details!.diff)).toContain("+LINE THREE");
  });

  test("accepts headers without a/ b/ prefixes and hunks at shifted line numbers", async () => {
    harness.write("notes.md", `intro\n${numbers}`);
    const patch = "--- notes.md\n+++ notes.md\n@@ -5,3 +5,3 @@\n line 5\n-line 6\n+line six\n line 7\n";
    await applyPatchTool.execute({ patch }, harness.ctx);
    expect(read("notes.md")).toContain("line 5\nline six\nline 7");
  });

  test("recomputes wrong or missing @@ line counts", async () => {
    harness.write("x.txt", "one\ntwo\nthree\n");
    harness.write("y.txt", "alpha\n\nbeta\n");
    const patch = `--- a/x.txt
+++ b/x.txt
@@ -1,9 +1,1 @@
 one
-two
+2
+2.5
--- a/y.txt
+++ b/y.txt
@@ @@
 alpha

-beta
+gamma
`;
    await applyPatchTool.execute({ patch }, harness.ctx);
    expect(read("x.txt")).toBe("one\n2\n2.5\nthree\n");
    expect(read("y.txt")).toBe("alpha\n\ngamma\n");
  });

  test("applies git-style patches with diff --git and index lines", async () => {
    harness.write("src/a.ts", "export const a = 1;\n");
    const patch = `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
@@ -1 +1 @@
-export const a = 1;
+export const a = 2;
diff --git a/src/b.ts b/src/b.ts
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/src/b.ts
@@ -0,0 +1 @@
+export const b = 1;
`;
    await applyPatchTool.execute({ patch }, harness.ctx);
    expect(read("src/a.ts")).toBe("export const a = 2;\n");
    expect(read("src/b.ts")).toBe("export const b = 1;\n");
  });

  test("renames a file when old and new paths differ", async () => {
    harness.write("before.txt", "keep\nchange\n");
    const patch = "--- a/before.txt\n+++ b/after.txt\n@@ -1,2 +1,2 @@\n keep\n-change\n+changed\n";
    await applyPatchTool.execute({ patch }, harness.ctx);
    expect(existsSync(join(harness.root, "before.txt"))).toBe(false);
    expect(read("after.txt")).toBe("keep\nchanged\n");
  });

  test("all or nothing: a failing second hunk leaves every file unchanged", async () => {
    harness.write("first.txt", numbers);
    harness.write("second.txt", numbers);
    const patch = `--- a/first.txt
+++ b/first.txt
@@ -1,3 +1,3 @@
 line 1
-line 2
+LINE 2
 line 3
--- a/second.txt
+++ b/second.txt
@@ -1,3 +1,3 @@
 line 1
-line 2
+LINE 2
 line 3
@@ -10,3 +10,3 @@
 line 10
-line eleven
+LINE 11
 line 12
--- /dev/null
+++ b/created.txt
@@ -0,0 +1 @@
+should not exist
`;
    await expect(applyPatchTool.execute({ patch }, harness.ctx)).rejects.toThrow(
      /Hunk 2 of 2 for second.txt \(@@ -10,3 \+10,3 @@\) does not match the file\. This line of the hunk is not in the file: "line eleven"\..*No file was changed/,
    );
    expect(read("first.txt")).toBe(numbers);
    expect(read("second.txt")).toBe(numbers);
    expect(existsSync(join(harness.root, "created.txt"))).toBe(false);
  });

  test("a write that fails half-way restores the files already written", async () => {
    harness.write("kept.txt", "original\n");
    // Valid against the disk, but "thing" becomes a file before "thing/child.txt" is written.
    const patch = `--- a/kept.txt
+++ b/kept.txt
@@ -1 +1 @@
-original
+patched
--- /dev/null
+++ b/thing
@@ -0,0 +1 @@
+a file
--- /dev/null
+++ b/thing/child.txt
@@ -0,0 +1 @@
+cannot be written
`;
    await expect(applyPatchTool.execute({ patch }, harness.ctx)).rejects.toThrow(
      /Writing the patched files failed .* restored/,
    );
    expect(read("kept.txt")).toBe("original\n");
    expect(existsSync(join(harness.root, "thing"))).toBe(false);
  });

  test("refuses to patch a missing file or create an existing one", async () => {
    await expect(
      applyPatchTool.execute(
        { patch: "--- a/ghost.txt\n+++ b/ghost.txt\n@@ -1 +1 @@\n-a\n+b\n" },
        harness.ctx,
      ),
    ).rejects.toThrow(/ghost.txt, which does not exist/);
    harness.write("exists.txt", "content\n");
    await expect(
      applyPatchTool.execute(
        { patch: "--- /dev/null\n+++ b/exists.txt\n@@ -0,0 +1 @@\n+new\n" },
        harness.ctx,
      ),
    ).rejects.toThrow(/creates exists.txt .* already exists/);
    expect(read("exists.txt")).toBe("content\n");
  });

  test("refuses a deletion that leaves lines behind", async () => {
    harness.write("partial.txt", "a\nb\n");
    await expect(
      applyPatchTool.execute({ patch: "--- a/partial.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n" }, harness.ctx),
    ).rejects.toThrow(/does not remove all of its lines/);
    expect(read("partial.txt")).toBe("a\nb\n");
  });

  test("refuses empty, unparseable and hunk-less patches with clear errors", async () => {
    await expect(applyPatchTool.execute({ patch: "  \n" }, harness.ctx)).rejects.toThrow(/empty/);
    await expect(applyPatchTool.execute({ patch: "just some text\n" }, harness.ctx)).rejects.toThrow(
      /contains no hunks/,
    );
    harness.write("x.txt", "one\ntwo\n");
    await expect(
      applyPatchTool.execute(
        { patch: "--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\nno prefix\n+extra\n" },
        harness.ctx,
      ),
    ).rejects.toThrow(/Could not parse the patch.*must start with/);
    expect(read("x.txt")).toBe("one\ntwo\n");
  });

  test("touches lists every file; describe shows the real diff or why it will fail", async () => {
    harness.write("a.txt", "a\n");
    const patch =
      "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1 @@\n+b\n";
    expect(applyPatchTool.touches!({ patch }, harness.ctx)).toEqual([
      join(harness.root, "a.txt"),
      join(harness.root, "b.txt"),
    ]);
    const description = await applyPatchTool.describe!({ patch }, harness.ctx);
    expect(description.title).toBe("Apply patch: modified a.txt (+1 -1), created b.txt (+1 -0)");
    expect(description.detail).toContain("--- a/a.txt\n+++ b/a.txt");
    expect(description.detail).toContain("--- /dev/null\n+++ b/b.txt");
    expect(read("a.txt")).toBe("a\n");
    const failing = await applyPatchTool.describe!({ patch: patch.replace("-a\n", "-zzz\n") }, harness.ctx);
    expect(failing.detail).toMatch(/^This call will fail: Hunk 1 of 1 for a.txt/);
    expect(applyPatchTool.touches!({ patch: "not a patch" }, harness.ctx)).toEqual([]);
  });

  test("a rename is summarised and diffed as one move; a rename whose old path is written again is not", async () => {
    harness.write("old.txt", "one\ntwo\n");
    const rename = "--- a/old.txt\n+++ b/new.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n";
    const description = await applyPatchTool.describe!({ patch: rename }, harness.ctx);
    expect(description.title).toBe("Apply patch: moved old.txt to new.txt (+1 -1)");
    expect(description.detail).toBe("--- a/old.txt\n+++ b/new.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n");
    const recreated = `${rename}--- /dev/null\n+++ b/old.txt\n@@ -0,0 +1 @@\n+fresh\n`;
    const both = await applyPatchTool.describe!({ patch: recreated }, harness.ctx);
    expect(both.title).toBe("Apply patch: modified old.txt (+1 -2), created new.txt (+2 -0)");
    const result = await applyPatchTool.execute({ patch: rename }, harness.ctx);
    expect(result.text).toBe("Applied the patch: moved old.txt to new.txt (+1 -1).");
    expect(result.details?.paths).toEqual(["old.txt", "new.txt"]);
    expect(read("new.txt")).toBe("one\nTWO\n");
  });

  test("does nothing once the signal is aborted", async () => {
    harness.write("a.txt", "a\n");
    harness.controller.abort();
    await expect(
      applyPatchTool.execute({ patch: "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n" }, harness.ctx),
    ).rejects.toThrow();
    expect(read("a.txt")).toBe("a\n");
  });
});
