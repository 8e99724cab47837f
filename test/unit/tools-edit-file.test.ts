import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { editFileTool } from "../../src/tools/edit-file.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
});
afterEach(() => harness.cleanup());

const source = `function greet(name) {
  const message = "hello " + name;
  console.log(message);
  return message;
}
`;

function read(path: string): string {
  return readFileSync(join(harness.root, path), "utf8");
}

describe("edit_file", () => {
  test("replaces a unique exact match and reports the diff", async () => {
    harness.write("greet.js", source);
    const result = await editFileTool.execute(
      { path: "greet.js", old_string: '"hello "', new_string: '"hi "' },
      harness.ctx,
    );
    expect(read("greet.js")).toBe(source.replace('"hello "', '"hi "'));
    expect(result.text).toBe("Edited greet.js: replaced 1 occurrence (+1 -1 lines).");
    expect(result.details).toMatchObject({ path: "greet.js", added: 1, removed: 1, replacements: 1 });
    expect(String(result.details!.diff)).toContain('+  const message = "hi " + name;');
  });

  test("does not interpret $ patterns in the replacement", async () => {
    harness.write("price.txt", "cost: X\n");
    await editFileTool.execute({ path: "price.txt", old_string: "X", new_string: "$& $1 $$" }, harness.ctx);
    expect(read("price.txt")).toBe("cost: $& $1 $$\n");
  });

  test("refuses ambiguous matches with the count and line numbers, unless replace_all", async () => {
    harness.write("greet.js", source);
    await expect(
      editFileTool.execute({ path: "greet.js", old_string: "message", new_string: "text" }, harness.ctx),
    ).rejects.toThrow(/occurs 3 times in greet.js \(lines 2, 3, 4\).*replace_all/);
    expect(read("greet.js")).toBe(source);
    const result = await editFileTool.execute(
      { path: "greet.js", old_string: "message", new_string: "text", replace_all: true },
      harness.ctx,
    );
    expect(read("greet.js")).toBe(source.replaceAll("message", "text"));
    expect(result.text).toContain("replaced 3 occurrences");
  });

  test("a missing match points at an indentation difference", async () => {
    harness.write("greet.js", source);
    await expect(
      editFileTool.execute(
        {
          path: "greet.js",
          old_string: 'const message = "hello " + name;\n console.log(message);',
          new_string: "x",
        },
        harness.ctx,
      ),
    ).rejects.toThrow(/differs only in whitespace or indentation starts at line 2/);
  });

  test("a missing match shows the closest line", async () => {
    harness.write("greet.js", source);
    await expect(
      editFileTool.execute(
        { path: "greet.js", old_string: "console.log(mesage);", new_string: "x" },
        harness.ctx,
      ),
    ).rejects.toThrow(/closest line is 3: " {2}console.log\(message\);"/);
  });

  test("a missing match that contains read_file line numbers says so", async () => {
    harness.write("greet.js", source);
    await expect(
      editFileTool.execute(
        { path: "greet.js", old_string: "     3\t  console.log(message);", new_string: "x" },
        harness.ctx,
      ),
    ).rejects.toThrow(/line-number prefixes/);
  });

  test("matches files with Windows line endings and keeps them", async () => {
    harness.write("crlf.txt", "one\r\ntwo\r\nthree\r\n");
    await editFileTool.execute({ path: "crlf.txt", old_string: "one\ntwo", new_string: "1\n2" }, harness.ctx);
    expect(read("crlf.txt")).toBe("1\r\n2\r\nthree\r\n");
  });

  test("refuses identical strings", async () => {
    harness.write("a.txt", "a\n");
    await expect(
      editFileTool.execute({ path: "a.txt", old_string: "a", new_string: "a" }, harness.ctx),
    ).rejects.toThrow(/identical/);
  });

  test("an empty old_string creates a missing file but is refused on a file with content", async () => {
    const created = await editFileTool.execute(
      { path: "new/dir/file.md", old_string: "", new_string: "hello\n" },
      harness.ctx,
    );
    expect(read("new/dir/file.md")).toBe("hello\n");
    expect(created.text).toBe("Created new/dir/file.md (1 line).");
    expect(created.details).toMatchObject({ created: true });
    await expect(
      editFileTool.execute({ path: "new/dir/file.md", old_string: "", new_string: "more" }, harness.ctx),
    ).rejects.toThrow(/old_string is empty but new\/dir\/file.md already has content/);
  });

  test("an empty old_string fills an existing empty file", async () => {
    harness.write("blank.txt", "");
    const result = await editFileTool.execute(
      { path: "blank.txt", old_string: "", new_string: "a\nb\n" },
      harness.ctx,
    );
    expect(read("blank.txt")).toBe("a\nb\n");
    expect(result.text).toBe("Filled the empty file blank.txt (2 lines).");
    expect(result.details).toMatchObject({ created: false, added: 2 });
  });

  test("a missing file with a non-empty old_string is an error", async () => {
    await expect(
      editFileTool.execute({ path: "ghost.txt", old_string: "a", new_string: "b" }, harness.ctx),
    ).rejects.toThrow(/File not found: ghost.txt/);
    expect(existsSync(join(harness.root, "ghost.txt"))).toBe(false);
  });

  test("refuses binary files", async () => {
    harness.write("blob.bin", Uint8Array.from([65, 0, 66]));
    await expect(
      editFileTool.execute({ path: "blob.bin", old_string: "A", new_string: "C" }, harness.ctx),
    ).rejects.toThrow(/binary file/);
  });

  test("describe shows the diff without writing; a failing edit is described as failing", async () => {
    harness.write("greet.js", source);
    const description = await editFileTool.describe!(
      { path: "greet.js", old_string: "return message;", new_string: "return message.trim();" },
      harness.ctx,
    );
    expect(description).toMatchObject({ title: "Edit greet.js", detailKind: "diff" });
    expect(description.detail).toContain("-  return message;\n+  return message.trim();");
    expect(read("greet.js")).toBe(source);
    const failing = await editFileTool.describe!(
      { path: "greet.js", old_string: "absent", new_string: "x" },
      harness.ctx,
    );
    expect(failing.detail).toMatch(/^This call will fail: old_string was not found/);
    expect(
      editFileTool.touches!({ path: "greet.js", old_string: "a", new_string: "b" }, harness.ctx),
    ).toEqual([join(harness.root, "greet.js")]);
  });
});
