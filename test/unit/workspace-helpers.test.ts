/** Pure helpers of the workspace panel backend: safe names, ranges, content types, the watcher's batching. */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseMime, localDate, safeFileName } from "../../src/workspace/attachments.ts";
import { contentTypeByName, contentTypeOfBytes, looksLikeText } from "../../src/workspace/content-type.ts";
import { contentDisposition, parseRange } from "../../src/workspace/files.ts";
import { WorkspaceWatchers } from "../../src/workspace/watcher.ts";

const noon = new Date(2025, 2, 4, 12, 5, 9);

describe("safeFileName", () => {
  test("keeps ordinary names, drops folders and hostile characters", () => {
    expect(safeFileName("report.pdf", "application/pdf", noon)).toBe("report.pdf");
    expect(safeFileName("Quarterly Report (final).PDF", "", noon)).toBe("Quarterly-Report-(final).PDF");
    expect(safeFileName("../../etc/passwd", "", noon)).toBe("passwd");
    expect(safeFileName("C:\\Users\\me\\photo.jpg", "", noon)).toBe("photo.jpg");
    expect(safeFileName(".bashrc", "", noon)).toBe("bashrc");
    expect(safeFileName("-rf.txt", "", noon)).toBe("rf.txt");
    expect(safeFileName("a;b|c$d`e.txt", "", noon)).toBe("a-b-c-d-e.txt");
    expect(safeFileName("报告 2024.md", "", noon)).toBe("报告-2024.md");
    expect(safeFileName("tab\tand\nnewline.txt", "", noon)).toBe("tab-and-newline.txt");
    expect(safeFileName("...", "", noon)).toBe("file");
    expect(safeFileName("noext", "", noon)).toBe("noext");
  });

  test("limits the length but keeps the extension", () => {
    const name = safeFileName(`${"x".repeat(300)}.markdown`, "", noon);
    expect(name).toBe(`${"x".repeat(100)}.markdown`);
  });

  test("missing, empty and 'blob' names become pasted-<time>.<ext> from the content type", () => {
    expect(safeFileName(undefined, "image/png", noon)).toBe("pasted-20250304-120509.png");
    expect(safeFileName("", "image/jpeg", noon)).toBe("pasted-20250304-120509.jpg");
    expect(safeFileName("blob", "text/plain", noon)).toBe("pasted-20250304-120509.txt");
    expect(safeFileName("blob", "application/x-unknown", noon)).toBe("pasted-20250304-120509.bin");
  });

  test("the date folder is the local date", () => {
    expect(localDate(noon)).toBe("2025-03-04");
  });
});

describe("chooseMime", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  test("a specific declared type wins (parameters dropped)", () => {
    expect(chooseMime("text/plain;charset=utf-8", "a.bin", png)).toBe("text/plain");
    expect(chooseMime("IMAGE/PNG", undefined, new Uint8Array())).toBe("image/png");
  });
  test("otherwise the name, otherwise the bytes", () => {
    expect(chooseMime("application/octet-stream", "notes.md", png)).toBe("text/markdown");
    expect(chooseMime("", "blob", png)).toBe("image/png");
    expect(chooseMime(undefined, undefined, new TextEncoder().encode("hello"))).toBe("text/plain");
    expect(chooseMime("not a type", "x", new Uint8Array([0, 1, 2]))).toBe("application/octet-stream");
  });
});

describe("content types", () => {
  test("by name", () => {
    expect(contentTypeByName("a/b/main.ts")).toEqual({
      mime: "text/plain; charset=utf-8",
      preview: "text",
      language: "typescript",
    });
    expect(contentTypeByName("README.md")?.preview).toBe("markdown");
    expect(contentTypeByName("logo.SVG")).toMatchObject({ mime: "image/svg+xml", preview: "image" });
    expect(contentTypeByName("paper.pdf")).toEqual({ mime: "application/pdf", preview: "pdf" });
    expect(contentTypeByName("Dockerfile")?.language).toBe("dockerfile");
    expect(contentTypeByName(".gitignore")?.preview).toBe("text");
    expect(contentTypeByName("archive.zip")).toEqual({ mime: "application/zip", preview: "none" });
    expect(contentTypeByName("mystery")).toBeUndefined();
    expect(contentTypeByName("data.xyz")).toBeUndefined();
  });

  test("by bytes: signatures, UTF-8 text (even cut mid-character), binary", () => {
    expect(contentTypeOfBytes(new TextEncoder().encode("%PDF-1.7")).preview).toBe("pdf");
    expect(contentTypeOfBytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])).mime).toBe("image/jpeg");
    expect(contentTypeOfBytes(new TextEncoder().encode("GIF89a...")).mime).toBe("image/gif");
    const euro = new TextEncoder().encode("price: €");
    expect(looksLikeText(euro.subarray(0, euro.length - 1))).toBe(true);
    expect(looksLikeText(new Uint8Array([0x68, 0x00, 0x69]))).toBe(false);
    expect(looksLikeText(new Uint8Array([0xc3, 0x28, 0x41, 0x42]))).toBe(false);
    expect(contentTypeOfBytes(new Uint8Array([1, 0, 2])).mime).toBe("application/octet-stream");
  });
});

describe("parseRange", () => {
  test("one range, clamped; several or malformed mean the whole file", () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=0-3", 10)).toEqual({ start: 0, end: 3 });
    expect(parseRange("bytes=4-", 10)).toEqual({ start: 4, end: 9 });
    expect(parseRange("bytes=5-100", 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange("bytes=-4", 10)).toEqual({ start: 6, end: 9 });
    expect(parseRange("bytes=-40", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=0-1,3-4", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
    expect(parseRange("bytes=5-2", 10)).toBeNull();
    expect(parseRange("bytes=-", 10)).toBeNull();
  });
  test("a range past the end is refused", () => {
    expect(() => parseRange("bytes=10-", 10)).toThrow(
      expect.objectContaining({ name: "RangeNotSatisfiableError" }),
    );
    expect(() => parseRange("bytes=-0", 10)).toThrow(
      expect.objectContaining({ name: "RangeNotSatisfiableError" }),
    );
    expect(() => parseRange("bytes=0-", 0)).toThrow(
      expect.objectContaining({ name: "RangeNotSatisfiableError" }),
    );
  });
  test("content disposition escapes quotes and keeps the UTF-8 name", () => {
    expect(contentDisposition("attachment", 'say "hi".txt')).toBe(
      `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`,
    );
    expect(contentDisposition("inline", "é's.md")).toBe(
      `inline; filename="_'s.md"; filename*=UTF-8''%C3%A9%27s.md`,
    );
  });
});

describe("WorkspaceWatchers", () => {
  const folders: string[] = [];
  const watchers = new WorkspaceWatchers({ debounceMs: 40, maxWaitMs: 150, maxPaths: 5 });
  afterEach(() => {
    watchers.closeAll();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  function folder(): string {
    const made = mkdtempSync(join(tmpdir(), "sage-watch-"));
    folders.push(made);
    return made;
  }
  function collect(root: string) {
    const batches: string[][] = [];
    const failures: string[] = [];
    const stop = watchers.watch(root, {
      changed: (paths) => batches.push(paths),
      failed: (m) => failures.push(m),
    });
    return { batches, failures, stop };
  }

  test("batches a burst of changes into one notice of deduplicated paths", async () => {
    const root = folder();
    const { batches, stop } = collect(root);
    for (let i = 0; i < 3; i++) writeFileSync(join(root, "same.txt"), String(i));
    writeFileSync(join(root, "other.txt"), "x");
    await Bun.sleep(250);
    expect(batches).toEqual([["other.txt", "same.txt"]]);
    stop();
    expect(watchers.watchedRoots).toEqual([]);
  });

  test("more paths than the cap give an empty list (reload everything)", async () => {
    const root = folder();
    const { batches, stop } = collect(root);
    for (let i = 0; i < 12; i++) writeFileSync(join(root, `f${i}.txt`), "x");
    await Bun.sleep(250);
    expect(batches.at(-1)).toEqual([]);
    stop();
  });

  test("a steady stream of changes is still delivered within maxWait", async () => {
    const root = folder();
    const { batches, stop } = collect(root);
    const started = Date.now();
    while (Date.now() - started < 400) {
      writeFileSync(join(root, "busy.log"), String(Date.now()));
      await Bun.sleep(15);
    }
    // Without maxWait the 40 ms debounce would never fire while writes come every 15 ms.
    expect(batches.length).toBeGreaterThanOrEqual(2);
    stop();
  });

  test("changes in sub-folders report workspace-relative paths", async () => {
    const root = folder();
    const { batches, stop } = collect(root);
    mkdirSync(join(root, "a/b"), { recursive: true });
    await Bun.sleep(100);
    writeFileSync(join(root, "a/b/c.txt"), "x");
    await Bun.sleep(200);
    expect(batches.flat()).toContain("a/b/c.txt");
    stop();
  });

  test("a root that cannot be watched reports failed() instead of throwing", async () => {
    const { batches, failures, stop } = collect(join(tmpdir(), `sage-missing-${Date.now()}`));
    await Bun.sleep(10);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("Live updates are unavailable");
    expect(batches).toEqual([]);
    expect(watchers.watchedRoots).toEqual([]);
    stop();
  });
});
