import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { OutputLog, StreamDecoder, stderrPrefix } from "../../src/sandbox/shell-output.ts";

describe("OutputLog formatting", () => {
  test("stdout is kept verbatim and stderr lines are marked", () => {
    const log = new OutputLog();
    log.write("stdout", "one\ntwo\n");
    log.write("stderr", "bad thing\nworse\n");
    log.write("stdout", "three\n");
    expect(log.text()).toBe(`one\ntwo\n${stderrPrefix}bad thing\n${stderrPrefix}worse\nthree\n`);
  });

  test("a stream change in the middle of a line starts a new line", () => {
    const log = new OutputLog();
    log.write("stdout", "progress: 50%");
    log.write("stderr", "warning");
    log.write("stderr", " continues\n");
    log.write("stdout", "done\n");
    expect(log.text()).toBe(`progress: 50%\n${stderrPrefix}warning continues\ndone\n`);
  });

  test("empty writes change nothing", () => {
    const log = new OutputLog();
    log.write("stderr", "");
    expect(log.text()).toBe("");
    expect(log.totalChars).toBe(0);
  });
});

describe("OutputLog memory bound", () => {
  test("keeps head and tail and reports the omitted middle", () => {
    const log = new OutputLog({ headChars: 10, tailChars: 10 });
    log.write("stdout", "H".repeat(10));
    log.write("stdout", "M".repeat(100));
    log.write("stdout", "T".repeat(10));
    expect(log.totalChars).toBe(120);
    const text = log.text();
    expect(text.startsWith("H".repeat(10))).toBe(true);
    expect(text.endsWith("T".repeat(10))).toBe(true);
    expect(text).toContain("characters of output omitted");
    expect(log.omittedChars).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(120);
  });

  test("never holds more than head + 2 × tail characters, whatever the writes", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 }), { maxLength: 200 }), (chunks) => {
        const log = new OutputLog({ headChars: 16, tailChars: 32 });
        for (const chunk of chunks) log.write("stdout", chunk);
        const held = log.totalChars - log.omittedChars;
        expect(held).toBeLessThanOrEqual(16 + 2 * 32 + 1);
        const all = chunks.join("");
        expect(log.totalChars).toBe(all.length);
        if (log.omittedChars === 0) expect(log.text()).toBe(all);
        else expect(all.endsWith(log.text().split("omitted ...]\n")[1] ?? "")).toBe(true);
      }),
    );
  });

  test("readFrom returns only newer output and reports what was dropped in between", () => {
    const log = new OutputLog({ headChars: 4, tailChars: 8 });
    log.write("stdout", "abcd");
    const first = log.readFrom(0);
    expect(first).toEqual({ text: "abcd", nextOffset: 4, omittedChars: 0 });
    log.write("stdout", "efgh");
    expect(log.readFrom(first.nextOffset).text).toBe("efgh");
    log.write("stdout", "0123456789".repeat(3));
    const later = log.readFrom(8);
    expect(later.omittedChars).toBeGreaterThan(0);
    expect(later.text.endsWith("789")).toBe(true);
    expect(later.nextOffset).toBe(38);
    expect(log.readFrom(38).text).toBe("");
    // Offsets out of range are clamped rather than failing.
    expect(log.readFrom(-5).text.startsWith("abcd")).toBe(true);
    expect(log.readFrom(1000).text).toBe("");
  });

  test("does not split a surrogate pair at the head boundary", () => {
    const log = new OutputLog({ headChars: 3, tailChars: 100 });
    log.write("stdout", "ab😀cd");
    expect(log.text()).toBe("ab😀cd");
  });

  test("refuses nonsensical limits", () => {
    expect(() => new OutputLog({ headChars: 0, tailChars: 0 })).toThrow(RangeError);
    expect(() => new OutputLog({ headChars: -1, tailChars: 10 })).toThrow(RangeError);
  });
});

describe("StreamDecoder", () => {
  test("keeps a multi-byte character split across chunks", () => {
    const decoder = new StreamDecoder();
    const bytes = new TextEncoder().encode("é€😀");
    let text = "";
    for (const byte of bytes) text += decoder.decode(Uint8Array.of(byte));
    text += decoder.finish();
    expect(text).toBe("é€😀");
  });

  test("turns invalid bytes into replacement characters instead of failing", () => {
    const decoder = new StreamDecoder();
    const text = decoder.decode(Uint8Array.of(0x6f, 0x6b, 0xff, 0xfe, 0x21)) + decoder.finish();
    expect(text).toBe("ok\uFFFD\uFFFD!");
  });

  test("an incomplete sequence at the end becomes one replacement character", () => {
    const decoder = new StreamDecoder();
    expect(decoder.decode(Uint8Array.of(0x61, 0xe2, 0x82))).toBe("a");
    expect(decoder.finish()).toBe("\uFFFD");
  });
});
