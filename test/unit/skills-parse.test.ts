import { describe, expect, test } from "bun:test";
import { isValidSkillName, parseSkillMarkdown, skillNameProblem } from "../../src/skills/parse.ts";
import type { SkillDiagnostic } from "../../src/skills/types.ts";

const body = "\n# Steps\n\nDo the thing.\n";

function skillText(frontmatter: string, text = body): string {
  return `---\n${frontmatter}\n---\n${text}`;
}

function errors(diagnostics: SkillDiagnostic[]): SkillDiagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === "error");
}

function warnings(diagnostics: SkillDiagnostic[]): SkillDiagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === "warning");
}

describe("valid skills", () => {
  test("minimal skill: name, description and body", () => {
    const parsed = parseSkillMarkdown(skillText("name: pdf-tools\ndescription: Work with PDF files."), {
      folderName: "pdf-tools",
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.frontmatter).toEqual({ name: "pdf-tools", description: "Work with PDF files." });
    expect(parsed.body).toBe("# Steps\n\nDo the thing.");
    expect(parsed.diagnostics).toEqual([]);
  });

  test("all optional fields, folded description, list of allowed tools, metadata with numbers", () => {
    const text = skillText(
      [
        "name: a1-b2",
        "description: >",
        "  Line one",
        "  line two.",
        "license: Apache-2.0",
        "allowed-tools:",
        "  - shell",
        "  - read_file",
        "metadata:",
        "  author: someone",
        "  version: 2",
        "  stable: true",
      ].join("\n"),
    );
    const parsed = parseSkillMarkdown(text, { folderName: "a1-b2" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.frontmatter).toEqual({
      name: "a1-b2",
      description: "Line one line two.",
      license: "Apache-2.0",
      allowedTools: ["shell", "read_file"],
      metadata: { author: "someone", version: "2", stable: "true" },
    });
  });

  test("allowed-tools as a string is split on spaces and commas", () => {
    const parsed = parseSkillMarkdown(
      skillText("name: x\ndescription: d\nallowed-tools: shell, read_file web_fetch"),
      {
        folderName: "x",
      },
    );
    expect(parsed.ok && parsed.frontmatter.allowedTools).toEqual(["shell", "read_file", "web_fetch"]);
  });

  test("BOM, CRLF line endings and blank lines before the frontmatter are accepted", () => {
    const text = "\uFEFF\r\n\r\n---\r\nname: crlf\r\ndescription: Windows file\r\n---\r\nBody\r\n";
    const parsed = parseSkillMarkdown(text, { folderName: "crlf" });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.body).toBe("Body");
  });

  test("name exactly 64 characters and description exactly 1024 characters are accepted", () => {
    const name = "a".repeat(64);
    const description = "d".repeat(1024);
    const parsed = parseSkillMarkdown(skillText(`name: ${name}\ndescription: ${description}`), {
      folderName: name,
    });
    expect(parsed.ok).toBe(true);
  });

  test("without an expected folder name, any valid name is accepted and labels the diagnostics", () => {
    const parsed = parseSkillMarkdown(skillText("name: anything\ndescription: d\nextra: 1"));
    expect(parsed.ok).toBe(true);
    expect(parsed.diagnostics.map((diagnostic) => diagnostic.skill)).toEqual(["anything"]);
  });
});

interface InvalidCase {
  title: string;
  text: string;
  folder?: string;
  /** A fragment of the expected error message. */
  message: string;
  field?: string;
  line?: number;
}

const invalidCases: InvalidCase[] = [
  { title: "empty file", text: "", message: "empty" },
  { title: "missing frontmatter", text: "# Just markdown\n", message: "missing frontmatter", line: 1 },
  { title: "frontmatter not closed", text: "---\nname: x\ndescription: d\n", message: "not closed" },
  { title: "invalid YAML", text: skillText("name: x\ndescription: [unclosed"), message: "invalid YAML" },
  { title: "duplicate key", text: skillText("name: x\nname: x\ndescription: d"), message: "invalid YAML" },
  {
    title: "frontmatter is a list",
    text: skillText("- name\n- description"),
    message: "must be a YAML mapping",
  },
  { title: "frontmatter is a scalar", text: skillText("just text"), message: "must be a YAML mapping" },
  {
    title: "empty frontmatter",
    text: skillText(""),
    message: "missing required field 'name'",
    field: "name",
  },
  { title: "missing name", text: skillText("description: d"), message: "missing required field 'name'" },
  {
    title: "name not a string",
    text: skillText("name: 42\ndescription: d"),
    message: "'name' must be a string",
  },
  { title: "name is a list", text: skillText("name: [a]\ndescription: d"), message: "not a list" },
  {
    title: "name with uppercase",
    text: skillText("name: MySkill\ndescription: d"),
    folder: "MySkill",
    message: "uppercase",
  },
  {
    title: "name with underscore",
    text: skillText("name: my_skill\ndescription: d"),
    folder: "my_skill",
    message: "only lowercase letters, digits and hyphens",
  },
  {
    title: "name with space",
    text: skillText("name: 'my skill'\ndescription: d"),
    folder: "x",
    message: "only",
  },
  {
    title: "name starting with hyphen",
    text: skillText("name: -abc\ndescription: d"),
    folder: "-abc",
    message: "start or end",
  },
  {
    title: "name ending with hyphen",
    text: skillText("name: abc-\ndescription: d"),
    message: "start or end",
  },
  { title: "name with double hyphen", text: skillText("name: a--b\ndescription: d"), message: "consecutive" },
  {
    title: "name too long",
    text: skillText(`name: ${"a".repeat(65)}\ndescription: d`),
    folder: "a".repeat(65),
    message: "65 characters long; the limit is 64",
  },
  {
    title: "name does not match folder",
    text: skillText("name: other\ndescription: d"),
    folder: "mine",
    message: "but the folder is 'mine'",
    field: "name",
    line: 2,
  },
  {
    title: "missing description",
    text: skillText("name: x"),
    message: "missing required field 'description'",
  },
  {
    title: "empty description",
    text: skillText("name: x\ndescription: ''"),
    message: "'description' is empty",
  },
  {
    title: "blank description",
    text: skillText("name: x\ndescription: '   '"),
    message: "'description' is empty",
  },
  {
    title: "null description",
    text: skillText("name: x\ndescription:"),
    message: "'description' must be a string",
  },
  {
    title: "description not a string",
    text: skillText("name: x\ndescription:\n  a: b"),
    message: "not a mapping",
    line: 3,
  },
  {
    title: "license not a string",
    text: skillText("name: x\ndescription: d\nlicense: [MIT]"),
    message: "'license'",
  },
  {
    title: "allowed-tools wrong type",
    text: skillText("name: x\ndescription: d\nallowed-tools: {a: 1}"),
    message: "'allowed-tools' must be a list",
  },
  {
    title: "allowed-tools list with a number",
    text: skillText("name: x\ndescription: d\nallowed-tools: [shell, 3]"),
    message: "'allowed-tools' must be a list",
  },
  {
    title: "metadata not a mapping",
    text: skillText("name: x\ndescription: d\nmetadata: [a, b]"),
    message: "'metadata' must be a mapping",
  },
  {
    title: "metadata with a nested value",
    text: skillText("name: x\ndescription: d\nmetadata:\n  deep:\n    a: 1"),
    message: "'metadata.deep' must be a string",
  },
];

describe("invalid skills: each rule gives an error diagnostic and no skill", () => {
  for (const invalid of invalidCases) {
    test(invalid.title, () => {
      const folderName = invalid.folder ?? "x";
      const parsed = parseSkillMarkdown(invalid.text, { folderName, path: `/skills/${folderName}/SKILL.md` });
      expect(parsed.ok).toBe(false);
      const found = errors(parsed.diagnostics);
      expect(found.length).toBeGreaterThan(0);
      const match = found.find((diagnostic) => diagnostic.message.includes(invalid.message));
      if (!match) throw new Error(`no error containing "${invalid.message}" in ${JSON.stringify(found)}`);
      expect(match.path).toBe(`/skills/${folderName}/SKILL.md`);
      expect(match.skill).toBe(folderName);
      if (invalid.field) expect(match.field).toBe(invalid.field);
      if (invalid.line) expect(match.line).toBe(invalid.line);
    });
  }
});

describe("warnings keep the skill usable", () => {
  test("unknown top-level fields are warnings naming the field and line", () => {
    const parsed = parseSkillMarkdown(skillText("name: x\ndescription: d\nmodel: fast\nversion: 2"), {
      folderName: "x",
    });
    expect(parsed.ok).toBe(true);
    const found = warnings(parsed.diagnostics);
    expect(found.map((diagnostic) => diagnostic.field)).toEqual(["model", "version"]);
    expect(found[0].line).toBe(4);
    expect(found[0].message).toContain("unknown field 'model'");
  });

  test("an empty body is a warning", () => {
    const parsed = parseSkillMarkdown(skillText("name: x\ndescription: d", "\n  \n"), { folderName: "x" });
    expect(parsed.ok).toBe(true);
    expect(warnings(parsed.diagnostics)[0].message).toContain("body is empty");
  });

  test("warnings and errors are reported together", () => {
    const parsed = parseSkillMarkdown(skillText("name: x\nfoo: 1", ""), { folderName: "x" });
    expect(parsed.ok).toBe(false);
    expect(errors(parsed.diagnostics)).toHaveLength(1);
    expect(warnings(parsed.diagnostics)).toHaveLength(2);
  });
});

describe("skill names", () => {
  test("valid and invalid names", () => {
    for (const name of ["a", "abc", "a-b-c", "web-research", "x1", "1x", "a".repeat(64)]) {
      expect(isValidSkillName(name)).toBe(true);
    }
    for (const name of ["", "A", "a_b", "a b", "-a", "a-", "a--b", "a.b", "ä", "a".repeat(65)]) {
      expect(isValidSkillName(name)).toBe(false);
      expect(skillNameProblem(name)).toBeString();
    }
  });
});
