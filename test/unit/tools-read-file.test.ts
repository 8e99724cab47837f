import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { readFileTool } from "../../src/tools/read-file.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
beforeEach(() => {
  harness = createTestToolContext();
});
afterEach(() => harness.cleanup());

const onePixelPng = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  ),
);

describe("read_file", () => {
  test("returns numbered lines in cat -n style", async () => {
    harness.write("notes.txt", "alpha\nbeta\ngamma\n");
    const result = await readFileTool.execute({ path: "notes.txt" }, harness.ctx);
    expect(result.text).toBe("     1\talpha\n     2\tbeta\n     3\tgamma");
    expect(result.details).toMatchObject({ path: "notes.txt", totalLines: 3, firstLine: 1, lastLine: 3 });
  });

  test("reads a window with offset and limit and says how to continue", async () => {
    const lines = Array.from({ length: 50 }, (_, index) => `line ${index + 1}`);
    harness.write("long.txt", `${lines.join("\n")}\n`);
    const result = await readFileTool.execute({ path: "long.txt", offset: 10, limit: 5 }, harness.ctx);
    const body = result.text.split("\n\n")[0]!.split("\n");
    expect(body).toEqual([
      "    10\tline 10",
      "    11\tline 11",
      "    12\tline 12",
      "    13\tline 13",
      "    14\tline 14",
    ]);
    expect(result.text).toContain("Showing lines 10-14 of 50");
    expect(result.text).toContain("offset 15");
  });

  test("defaults to 2000 lines and notes the rest", async () => {
    const lines = Array.from({ length: 2100 }, (_, index) => `${index + 1}`);
    harness.write("big.txt", lines.join("\n"));
    const result = await readFileTool.execute({ path: "big.txt" }, harness.ctx);
    expect(result.text).toContain("  2000\t2000");
    expect(result.text).not.toContain("\t2001");
    expect(result.text).toContain("offset 2001");
  });

  test("clips very long lines, strips CR and a BOM", async () => {
    harness.write("wide.txt", `\uFEFFfirst\r\n${"x".repeat(2500)}\r\n`);
    const result = await readFileTool.execute({ path: "wide.txt" }, harness.ctx);
    expect(result.text.startsWith("     1\tfirst\n")).toBe(true);
    expect(result.text).toContain("[500 more characters]");
    expect(result.text).not.toContain("\r");
  });

  test("reports an empty file", async () => {
    harness.write("empty.txt", "");
    const result = await readFileTool.execute({ path: "empty.txt" }, harness.ctx);
    expect(result.text).toBe("empty.txt is empty.");
  });

  test("returns PNG images as image content", async () => {
    harness.write("pics/dot.png", onePixelPng);
    const result = await readFileTool.execute({ path: "pics/dot.png" }, harness.ctx);
    expect(result.images).toHaveLength(1);
    expect(result.images![0]).toEqual({
      mime: "image/png",
      data: Buffer.from(onePixelPng).toString("base64"),
      path: "pics/dot.png",
    });
    expect(result.text).toContain("image/png");
  });

  test("describes binary files instead of dumping them", async () => {
    harness.write("blob.bin", Uint8Array.from([1, 2, 0, 3, 255, 0, 7]));
    const nul = await readFileTool.execute({ path: "blob.bin" }, harness.ctx);
    expect(nul.text).toContain("blob.bin is a binary file");
    expect(nul.text).toContain("7 B");
    expect(nul.images).toBeUndefined();

    harness.write("doc.pdf", `%PDF-1.7\n${String.fromCharCode(0)}rest`);
    const pdf = await readFileTool.execute({ path: "doc.pdf" }, harness.ctx);
    expect(pdf.text).toContain("PDF document");

    harness.write("latin1.txt", Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1
    const invalidUtf8 = await readFileTool.execute({ path: "latin1.txt" }, harness.ctx);
    expect(invalidUtf8.text).toContain("binary file");
  });

  test("accepts multi-byte UTF-8 text", async () => {
    harness.write("utf8.txt", "héllo wörld ✓ 日本語\n");
    const result = await readFileTool.execute({ path: "utf8.txt" }, harness.ctx);
    expect(result.text).toBe("     1\théllo wörld ✓ 日本語");
  });

  test("refuses folders with a hint to use list_dir", async () => {
    mkdirSync(join(harness.root, "src"));
    await expect(readFileTool.execute({ path: "src" }, harness.ctx)).rejects.toThrow(/directory.*list_dir/);
  });

  test("refuses missing files and offsets past the end with clear errors", async () => {
    await expect(readFileTool.execute({ path: "nope.txt" }, harness.ctx)).rejects.toThrow(
      /File not found: nope.txt/,
    );
    harness.write("short.txt", "one\ntwo\n");
    await expect(readFileTool.execute({ path: "short.txt", offset: 9 }, harness.ctx)).rejects.toThrow(
      /offset 9 is past the end of short.txt, which has 2 lines/,
    );
  });

  test("refuses text files over the size limit", async () => {
    harness.write("huge.log", "a".repeat(10 * 1024 * 1024 + 1));
    await expect(readFileTool.execute({ path: "huge.log" }, harness.ctx)).rejects.toThrow(
      /over the 10 MiB limit.*grep/,
    );
  });

  test("stops when the signal is aborted", async () => {
    harness.write("a.txt", "a\n");
    harness.controller.abort();
    await expect(readFileTool.execute({ path: "a.txt" }, harness.ctx)).rejects.toThrow();
  });
});
