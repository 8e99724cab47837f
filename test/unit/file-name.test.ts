/** File names from titles (src/shared/file-name.ts): one table of titles and the names they give. */
import { describe, expect, test } from "bun:test";
import { fileNameFrom, fileNameStem, MAX_STEM_CHARACTERS } from "../../src/shared/file-name.ts";

const long = "Refactor the authentication middleware so that expired sessions are refreshed transparently";

describe("fileNameFrom", () => {
  test.each([
    ["Fix the build.", "json", "Fix the build.json"],
    ["Fix the build...", "md", "Fix the build.md"],
    ["Why? Because.", "json", "Why Because.json"],
    ["v1.2..3 release notes", "md", "v1.2.3 release notes.md"],
    ["...hidden", "json", "hidden.json"],
    ['a/b\\c:d*e?f"g<h>i|j', "json", "a b c d e f g h i j.json"],
    ["line one\nline\ttwo", "md", "line one line two.md"],
    ["What’s new in C++ (2024)?", "md", "What's new in C++ (2024).md"],
    ["🚀 Launch plan 🚀", "json", "Launch plan.json"],
    ["如何用 Python 读取 CSV 文件", "json", "如何用 Python 读取 CSV 文件.json"],
    ["整理本周会议纪要并生成待办事项清单", "md", "整理本周会议纪要并生成待办事项清单.md"],
    ["Привет, мир", "md", "Привет, мир.md"],
    ["Café crème brûlée", "md", "Café crème brûlée.md"],
    ["", "json", "session.json"],
    ["   ", "md", "session.md"],
    ["???", "json", "session.json"],
    ["...", "md", "session.md"],
    ["con", "json", "con_.json"],
    ["NUL", "md", "NUL_.md"],
    [long, "json", "Refactor the authentication middleware so that expired.json"],
    [long, ".md", "Refactor the authentication middleware so that expired.md"],
  ])("%j (.%s) → %j", (title, extension, expected) => {
    expect(fileNameFrom(title, extension)).toBe(expected);
  });

  test("a long title is cut at a word boundary within the limit, never mid-word", () => {
    const stem = fileNameStem(long);
    expect(stem.length).toBeLessThanOrEqual(MAX_STEM_CHARACTERS);
    expect(long.startsWith(`${stem} `)).toBe(true);
  });

  test("a long title without spaces (Chinese) is cut at the limit, by characters", () => {
    const title = "的".repeat(100);
    expect(fileNameStem(title)).toBe("的".repeat(MAX_STEM_CHARACTERS));
  });

  test("a word longer than half the limit is cut at the limit rather than leaving a stub", () => {
    const title = `Ab ${"x".repeat(100)}`;
    expect(fileNameStem(title)).toBe(`Ab ${"x".repeat(MAX_STEM_CHARACTERS - 3)}`);
  });

  test("a cut never leaves a trailing dot, dash or space", () => {
    const title = `${"word ".repeat(11)}end. - more words after the limit`;
    const stem = fileNameStem(title);
    expect(stem).not.toMatch(/[ .-]$/);
    expect(fileNameFrom(title, "json")).not.toContain("..");
  });

  test("the fallback names an empty stem", () => {
    expect(fileNameFrom("!!!", "json", "agent")).toBe("agent.json");
  });
});
