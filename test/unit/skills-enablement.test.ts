import { describe, expect, test } from "bun:test";
import { isSkillEnabled, withSkillEnabled } from "../../src/skills/enablement.ts";
import { parseSkillMarkdown } from "../../src/skills/parse.ts";
import { templateFiles } from "../../src/skills/templates.ts";

describe("withSkillEnabled", () => {
  const installed = ["beta", "alpha", "gamma"];

  test("turning one off from 'all' lists every other installed skill, sorted", () => {
    expect(withSkillEnabled("all", "beta", false, installed)).toEqual(["alpha", "gamma"]);
  });

  test("turning one on keeps 'all', adds to a list once, sorted", () => {
    expect(withSkillEnabled("all", "beta", true, installed)).toBe("all");
    expect(withSkillEnabled(["gamma"], "alpha", true, installed)).toEqual(["alpha", "gamma"]);
    expect(withSkillEnabled(["alpha"], "alpha", true, installed)).toEqual(["alpha"]);
  });

  test("turning one off removes it from a list; an absent name changes nothing", () => {
    expect(withSkillEnabled(["alpha", "gamma"], "alpha", false, installed)).toEqual(["gamma"]);
    expect(withSkillEnabled(["gamma"], "alpha", false, installed)).toEqual(["gamma"]);
  });

  test("isSkillEnabled", () => {
    expect(isSkillEnabled("all", "x")).toBe(true);
    expect(isSkillEnabled(["x"], "x")).toBe(true);
    expect(isSkillEnabled(["y"], "x")).toBe(false);
  });
});

describe("templates", () => {
  test.each(["basic", "script"] as const)("the %s template parses, named after its folder", (template) => {
    const files = templateFiles({
      name: "my-skill",
      description: 'Says "hi": with colons, # hashes and \\ backslashes.',
      template,
    });
    const parsed = parseSkillMarkdown(files.get("SKILL.md") ?? "", { folderName: "my-skill" });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.frontmatter.description).toBe('Says "hi": with colons, # hashes and \\ backslashes.');
      expect(parsed.diagnostics).toEqual([]);
    }
  });
});
