/**
 * apply_patch with the "*** Begin Patch" (V4A) format: add / update (context chunks, anchors, end of file)
 * / delete / move across several files, all or nothing; malformed patches and chunks that do not match
 * name the place; a property test that a random edit written as a V4A chunk gives the edited file.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { applyPatchTool } from "../../src/tools/apply-patch.ts";
import { applyV4AChunks, parseV4APatch } from "../../src/tools/v4a-patch.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
});
afterEach(() => harness.cleanup());

const read = (path: string) => readFileSync(join(harness.root, path), "utf8");
const exists = (path: string) => existsSync(join(harness.root, path));
const run = (patch: string) => applyPatchTool.execute({ patch }, harness.ctx);

const numbers = `${Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join("\n")}\n`;

describe("apply_patch, V4A format", () => {
  test("add, update (two chunks), delete and move in one patch", async () => {
    harness.write("src/numbers.txt", numbers);
    harness.write("old.txt", "bye\n");
    harness.write("src/util.py", "def helper():\n    return 1\n");
    const result = await run(`*** Begin Patch
*** Add File: docs/new.md
+# New
+
+fresh file
*** Update File: src/numbers.txt
@@
 line 2
-line 3
+LINE THREE
 line 4
@@
 line 18
+line 18.5
 line 19
*** Delete File: old.txt
*** Update File: src/util.py
*** Move to: lib/util.py
@@ def helper():
-    return 1
+    return 2
*** End Patch
`);
    expect(read("docs/new.md")).toBe("# New\n\nfresh file\n");
    expect(read("src/numbers.txt")).toBe(
      numbers.replace("line 3\n", "LINE THREE\n").replace("line 18\n", "line 18\nline 18.5\n"),
    );
    expect(exists("old.txt")).toBe(false);
    expect(exists("src/util.py")).toBe(false);
    expect(read("lib/util.py")).toBe("def helper():\n    return 2\n");
    expect(result.text).toContain("created docs/new.md");
    expect(result.text).toContain("deleted old.txt");
    expect(result.text).toContain("moved src/util.py to lib/util.py (+1 -1)");
    expect(result.details?.paths).toEqual([
      "docs/new.md",
      "src/numbers.txt",
      "old.txt",
      "src/util.py",
      "lib/util.py",
    ]);
    expect(String(result.details?.diff)).toContain("+LINE THREE");
  });

  test("all or nothing: a chunk that does not match changes no file and names the chunk", async () => {
    harness.write("a.txt", "alpha\nbeta\n");
    harness.write("b.txt", "one\ntwo\n");
    const error = await run(`*** Begin Patch
*** Update File: a.txt
@@
-alpha
+ALPHA
*** Update File: b.txt
@@
 one
-two
+TWO
@@
-three
+THREE
*** End Patch`).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("Chunk 2 of 2 for b.txt (patch line 11) does not match");
    expect((error as Error).message).toContain('"three"');
    expect((error as Error).message).toContain("No file was changed.");
    expect(read("a.txt")).toBe("alpha\nbeta\n");
    expect(read("b.txt")).toBe("one\ntwo\n");
  });

  test.each([
    ["no Begin Patch", "*** Update File: a.txt\n-x\n+y\n*** End Patch", 'must start with "*** Begin Patch"'],
    ["no End Patch", "*** Begin Patch\n*** Update File: a.txt\n-x\n+y\n", 'must end with "*** End Patch"'],
    ["an unknown operation", "*** Begin Patch\n*** Rename File: a.txt\n*** End Patch", "Line 2: expected"],
    [
      "an added line without +",
      "*** Begin Patch\n*** Add File: n.txt\nhello\n*** End Patch",
      'must start with "+"',
    ],
    ["a stray line in an update", "*** Begin Patch\n*** Update File: a.txt\n@@\n?x\n*** End Patch", "Line 4"],
    ["an empty update", "*** Begin Patch\n*** Update File: a.txt\n*** End Patch", "has no changes"],
    ["no operations", "*** Begin Patch\n*** End Patch", "changes no file"],
  ])("a malformed patch (%s) is refused clearly", async (_name, patch, message) => {
    harness.write("a.txt", "x\n");
    const error = await run(patch).catch((caught: Error) => caught);
    expect((error as Error).message).toContain("Could not parse the patch");
    expect((error as Error).message).toContain(message);
    expect(read("a.txt")).toBe("x\n");
  });

  test("refuses to add over an existing file, or to update, delete or move onto what is wrong", async () => {
    harness.write("a.txt", "x\n");
    harness.write("b.txt", "y\n");
    const cases: [string, string][] = [
      ["*** Add File: a.txt\n+z", "already exists"],
      ["*** Update File: missing.txt\n@@\n-x\n+y", "missing.txt, which does not exist"],
      ["*** Delete File: missing.txt", "deletes missing.txt, which does not exist"],
      [
        "*** Update File: a.txt\n*** Move to: b.txt\n@@\n-x\n+z",
        "moves a.txt to b.txt, which already exists",
      ],
      ["*** Update File: a.txt\n@@ no such anchor\n-x\n+z", '"@@ no such anchor" line is not in the file'],
    ];
    for (const [body, message] of cases) {
      const error = await run(`*** Begin Patch\n${body}\n*** End Patch`).catch((caught: Error) => caught);
      expect((error as Error).message).toContain(message);
    }
    expect(read("a.txt")).toBe("x\n");
    expect(read("b.txt")).toBe("y\n");
  });

  test("the approval shows the V4A patch as the unified diff it will write (a move as one), or why it will fail", async () => {
    harness.write("a.txt", "one\ntwo\n");
    harness.write("gone.txt", "bye\n");
    const patch =
      "*** Begin Patch\n*** Update File: a.txt\n*** Move to: b.txt\n@@\n one\n-two\n+TWO\n" +
      "*** Delete File: gone.txt\n*** Add File: c.txt\n+new\n*** End Patch";
    const description = await applyPatchTool.describe!({ patch }, harness.ctx);
    expect(description.detailKind).toBe("diff");
    expect(description.title).toBe(
      "Apply patch: moved a.txt to b.txt (+1 -1), deleted gone.txt (+0 -1), created c.txt (+1 -0)",
    );
    // The move is one diff from the old path to the new one, not the whole file deleted and created.
    expect(description.detail).toContain("--- a/a.txt\n+++ b/b.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO");
    expect(description.detail).toContain("+TWO");
    expect(description.detail).toContain("--- a/gone.txt\n+++ /dev/null");
    expect(read("a.txt")).toBe("one\ntwo\n");
    const failing = await applyPatchTool.describe!({ patch: patch.replace("-two", "-three") }, harness.ctx);
    expect(failing.detail).toMatch(
      /^This call will fail: Chunk 1 of 1 for a.txt \(patch line 4\) does not match/,
    );
  });

  test("touches lists every file a V4A patch names (for undo), including the move target", () => {
    const paths = applyPatchTool.touches?.(
      { patch: "*** Begin Patch\n*** Update File: a.txt\n*** Move to: b/c.txt\n@@\n-x\n+y\n*** End Patch" },
      harness.ctx,
    );
    expect(paths).toEqual([join(harness.root, "a.txt"), join(harness.root, "b/c.txt")]);
  });
});

describe("applying chunks", () => {
  const chunks = (body: string) => {
    const [operation] = parseV4APatch(`*** Begin Patch\n*** Update File: f\n${body}\n*** End Patch`);
    if (operation?.kind !== "update") throw new Error("not an update");
    return operation.chunks;
  };

  test.each([
    [
      "whitespace-insensitive match as a fallback",
      "    a = 1\n",
      "@@\n-  a = 1  \n+    a = 2",
      "    a = 2\n",
    ],
    [
      "anchors narrow down which occurrence",
      "x\nf():\n  x\ng():\n  x\n",
      "@@ g():\n-  x\n+  y",
      "x\nf():\n  x\ng():\n  y\n",
    ],
    ["End of File matches the last lines", "a\nb\na\nb\n", "@@\n a\n-b\n+B\n*** End of File", "a\nb\na\nB\n"],
    ["a pure addition without anchor appends", "a\n", "@@\n+b", "a\nb\n"],
    ["Windows line endings are kept", "a\r\nb\r\n", "@@\n-a\n+A", "A\r\nb\r\n"],
    ["a file without a final newline keeps none", "a\nb", "@@\n a\n-b\n+c", "a\nc"],
  ])("%s", (_name, content, body, expected) => {
    expect(applyV4AChunks(content, chunks(body), "f")).toBe(expected);
  });

  test("property: a random replacement written as a V4A chunk gives the edited file", () => {
    const line = fc.stringMatching(/^[a-z ]{0,12}$/).map((text) => `L${text}`);
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.array(line, { maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        (original, inserted, startSeed, lengthSeed) => {
          // Unique lines, so the chunk's position is unambiguous.
          const lines = original.map((text, index) => `${index}:${text}`);
          const start = startSeed % lines.length;
          const length = 1 + (lengthSeed % Math.min(3, lines.length - start));
          const before = lines.slice(Math.max(0, start - 2), start);
          const after = lines.slice(start + length, start + length + 2);
          const body = [
            "@@",
            ...before.map((text) => ` ${text}`),
            ...lines.slice(start, start + length).map((text) => `-${text}`),
            ...inserted.map((text) => `+${text}`),
            ...after.map((text) => ` ${text}`),
          ].join("\n");
          const expected = [...lines.slice(0, start), ...inserted, ...lines.slice(start + length)];
          const result = applyV4AChunks(`${lines.join("\n")}\n`, chunks(body), "f");
          expect(result).toBe(expected.length ? `${expected.join("\n")}\n` : "");
        },
      ),
      { numRuns: 200 },
    );
  });
});
