/**
 * The built-in skills in the repo's `skills/` folder: every one parses cleanly, the files their
 * instructions point to exist, and their helper scripts work with the system's sh and awk.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  builtinSkillSourceFromEmbedded,
  readBuiltinSkillsFromDir,
  renderEmbeddedSkillsModule,
} from "../../src/skills/builtin.ts";
import { discoverSkills } from "../../src/skills/discover.ts";
import { renderSkillList } from "../../src/skills/load-skill-tool.ts";

const skillsDir = join(import.meta.dir, "..", "..", "skills");
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-builtin-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function run(command: string[], cwd = scratch, stdin?: string) {
  const result = Bun.spawnSync(command, {
    cwd,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
  });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

function script(skill: string, path: string): string {
  return join(skillsDir, skill, path);
}

describe("built-in skills", () => {
  test("every folder parses without errors or warnings, and there are at least eight", async () => {
    const folders = (await readdir(skillsDir, { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    const result = await discoverSkills(skillsDir, {
      builtinNames: new Set(folders.map((entry) => entry.name)),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.skills.map((skill) => skill.name)).toEqual(folders.map((entry) => entry.name).sort());
    expect(result.skills.length).toBeGreaterThanOrEqual(8);
    for (const skill of result.skills) {
      expect(skill.source).toBe("builtin");
      expect(skill.description.length).toBeGreaterThan(80);
      expect(skill.body.split("\n").length).toBeGreaterThan(30);
    }
    const list = renderSkillList(result.skills);
    for (const name of [
      "skill-creator",
      "web-research",
      "code-review",
      "data-analysis",
      "web-page-testing",
    ]) {
      expect(list).toContain(`- ${name}: `);
    }
  });

  test("files a skill refers to (SKILL_DIR/... and files named as in its folder) exist", async () => {
    const { skills } = await discoverSkills(skillsDir);
    for (const skill of skills) {
      const referenced = new Set<string>();
      for (const match of skill.body.matchAll(/SKILL_DIR\/([\w./-]+[\w])/g)) referenced.add(match[1]);
      for (const match of skill.body.matchAll(
        /`([\w-]+(?:\/[\w-]+)*\.(?:md|sh|awk))` in this skill's folder/g,
      )) {
        referenced.add(match[1]);
      }
      for (const relative of referenced) {
        if (!skill.files.includes(relative))
          throw new Error(`${skill.name} refers to missing file ${relative}`);
      }
    }
  });

  test("readBuiltinSkillsFromDir yields <name>/<path> keys for every file", async () => {
    const files = await readBuiltinSkillsFromDir(skillsDir);
    expect(files.has("data-analysis/SKILL.md")).toBe(true);
    expect(files.has("data-analysis/scripts/csv-to-tsv.awk")).toBe(true);
    for (const key of files.keys()) expect(key).toMatch(/^[a-z0-9-]+\/[^/]/);
  });
});

describe("embedding", () => {
  test("the generated embedding module yields the same files as the folder", async () => {
    const fromDir = await readBuiltinSkillsFromDir(skillsDir);
    const modulePath = join(scratch, "embedded-skills.generated.ts");
    await writeFile(modulePath, renderEmbeddedSkillsModule(fromDir.keys(), skillsDir));
    const generated: { embeddedSkillFiles: Record<string, string> } = await import(modulePath);
    expect(Object.keys(generated.embeddedSkillFiles).sort()).toEqual([...fromDir.keys()].sort());
    expect(await builtinSkillSourceFromEmbedded(generated.embeddedSkillFiles).files()).toEqual(fromDir);
  });

  test("an unsafe key is refused", () => {
    expect(() => renderEmbeddedSkillsModule(["../x"], "../skills")).toThrow("unsafe");
  });
});

describe("data-analysis scripts", () => {
  const csv = [
    "\uFEFFid,name,amount,region",
    '1,"Smith, John",10.5,north',
    '2,"say ""hi""",3,south',
    '3,"two',
    'lines",,north',
    "4,plain,abc,north",
    "",
  ].join("\r\n");

  test("csv-to-tsv handles quotes, doubled quotes, line breaks in fields, CRLF and BOM", () => {
    const result = run(["awk", "-f", script("data-analysis", "scripts/csv-to-tsv.awk")], scratch, csv);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      'id\tname\tamount\tregion\n1\tSmith, John\t10.5\tnorth\n2\tsay "hi"\t3\tsouth\n3\ttwo lines\t\tnorth\n4\tplain\tabc\tnorth\n',
    );
  });

  test("csv-to-tsv accepts another separator and reports an unterminated quote", () => {
    const semicolon = run(
      ["awk", "-v", "sep=;", "-f", script("data-analysis", "scripts/csv-to-tsv.awk")],
      scratch,
      'a;"b;c"\n',
    );
    expect(semicolon.out).toBe("a\tb;c\n");
    const broken = run(
      ["awk", "-f", script("data-analysis", "scripts/csv-to-tsv.awk")],
      scratch,
      'x\na,"open\n',
    );
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("starting at line 2");
  });

  test("tsv-profile describes each column", () => {
    const tsv = "id\tamount\tregion\n1\t10\tnorth\n2\t20\tsouth\n3\t\tnorth\n4\tx\tnorth\tEXTRA\n";
    const result = run(
      ["awk", "-F", "\t", "-f", script("data-analysis", "scripts/tsv-profile.awk")],
      scratch,
      tsv,
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain("rows (excluding header): 4, columns: 3");
    expect(result.out).toContain("field count different from the header: 1, first at line 5");
    expect(result.out).toContain("| id | number | 4 | 0 | 4 | 1 | 4 | 2.5 |");
    expect(result.out).toContain("| amount | mostly number (1 text) | 3 | 1 | 3 | 10 | 20 | 15 |");
    expect(result.out).toContain("| region | text | 4 | 0 | 2 | len 5 | len 5 | - | north; south |");
  });

  test("tsv-group aggregates by column name and rejects an unknown column", () => {
    const tsv = "region\tamount\nnorth\t10\nsouth\t3\nnorth\t5\nnorth\tn/a\n";
    const grouped = run(
      [
        "awk",
        "-F",
        "\t",
        "-v",
        "key=region",
        "-v",
        "value=amount",
        "-f",
        script("data-analysis", "scripts/tsv-group.awk"),
      ],
      scratch,
      tsv,
    );
    expect(grouped.code).toBe(0);
    expect(grouped.out).toBe(
      "region\tcount\tsum\tmean\tmin\tmax\tnot_numeric\nnorth\t3\t15\t7.5\t5\t10\t1\nsouth\t1\t3\t3\t3\t3\t0\n",
    );
    const missing = run(
      ["awk", "-F", "\t", "-v", "key=nope", "-f", script("data-analysis", "scripts/tsv-group.awk")],
      scratch,
      tsv,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no column named 'nope'");
  });
});

describe("skill-creator check-skill.sh", () => {
  test("accepts every built-in skill", async () => {
    for (const entry of await readdir(skillsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const result = run([
        "sh",
        script("skill-creator", "scripts/check-skill.sh"),
        join(skillsDir, entry.name),
      ]);
      expect(`${entry.name}: ${result.out}`).toBe(`${entry.name}: OK: ${entry.name} (0 warning(s))\n`);
    }
  });

  test("reports bad skills with exit status 1", async () => {
    const cases: Record<string, [string, string]> = {
      "no-front": ["# title\n", "must start with a --- line"],
      "bad-name": ["---\nname: Bad_Name\ndescription: d\n---\nx\n", "may contain only lowercase"],
      mismatch: ["---\nname: other\ndescription: d\n---\nx\n", 'does not match the folder name "mismatch"'],
      "no-desc": ["---\nname: no-desc\n---\nx\n", "missing field description"],
      "long-desc": [`---\nname: long-desc\ndescription: ${"d".repeat(1100)}\n---\nx\n`, "the limit is 1024"],
      unclosed: ["---\nname: unclosed\ndescription: d\n", "not closed"],
    };
    for (const [name, [text, expected]] of Object.entries(cases)) {
      await mkdir(join(scratch, "check", name), { recursive: true });
      await writeFile(join(scratch, "check", name, "SKILL.md"), text);
      const result = run([
        "sh",
        script("skill-creator", "scripts/check-skill.sh"),
        join(scratch, "check", name),
      ]);
      expect(result.code).toBe(1);
      expect(result.out).toContain(expected);
    }
    await mkdir(join(scratch, "check", "empty-dir"), { recursive: true });
    const missing = run([
      "sh",
      script("skill-creator", "scripts/check-skill.sh"),
      join(scratch, "check", "empty-dir"),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("SKILL.md is missing");
  });

  test("the template passes once named", async () => {
    await mkdir(join(scratch, "from-template"), { recursive: true });
    const template = await readFile(script("skill-creator", "template.md"), "utf8");
    await writeFile(
      join(scratch, "from-template", "SKILL.md"),
      template.replace("name: replace-with-skill-name", "name: from-template"),
    );
    const result = run([
      "sh",
      script("skill-creator", "scripts/check-skill.sh"),
      join(scratch, "from-template"),
    ]);
    expect(result.out).toBe("OK: from-template (0 warning(s))\n");
  });
});

describe("web-page-testing page-checks.md", () => {
  test("every browser_evaluate snippet is a syntactically valid expression", async () => {
    const text = await readFile(join(skillsDir, "web-page-testing", "page-checks.md"), "utf8");
    const snippets = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    for (const snippet of snippets) {
      try {
        new Function(`return (${snippet});`);
      } catch (error) {
        throw new Error(`invalid snippet:\n${snippet}\n${String(error)}`);
      }
    }
  });
});

describe("document-summary outline.sh", () => {
  test("finds headings and page starts", async () => {
    const text =
      "# Title\nintro\n\nBackground\n==========\n1. Introduction\nbody line.\n\fCHAPTER 2 RESULTS\nmore\n\fend\n";
    await writeFile(join(scratch, "doc.txt"), text);
    const result = run(["sh", script("document-summary", "scripts/outline.sh"), join(scratch, "doc.txt")]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("lines: 10, words: 14,");
    expect(result.out).toMatch(/\s1 {2}# Title\n/);
    expect(result.out).toMatch(/\s4 {2}Background\n/);
    expect(result.out).toMatch(/\s6 {2}1\. Introduction\n/);
    expect(result.out).toMatch(/\s8 {2}CHAPTER 2 RESULTS\n/);
    expect(result.out).toContain("pages: 3 (page N starts at line L, as N:L): 1:1 2:8 3:10");
    const usage = run(["sh", script("document-summary", "scripts/outline.sh"), join(scratch, "absent.txt")]);
    expect(usage.code).toBe(2);
  });
});

describe("code-review review-scope.sh", () => {
  test("shows uncommitted changes and changes since a base in a git repository", async () => {
    if (!Bun.which("git")) throw new Error("git is needed for this test");
    const repo = join(scratch, "repo");
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) =>
      run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], repo);
    git("init", "-q");
    await writeFile(join(repo, "a.txt"), "one\n");
    git("add", "a.txt");
    git("commit", "-qm", "first");
    await writeFile(join(repo, "a.txt"), "one\ntwo\n");
    await writeFile(join(repo, "new.txt"), "n\n");

    const uncommitted = run(["sh", script("code-review", "scripts/review-scope.sh")], repo);
    expect(uncommitted.code).toBe(0);
    expect(uncommitted.out).toContain("unstaged (added, removed, path):\n1\t0\ta.txt");
    expect(uncommitted.out).toContain("untracked files:\nnew.txt");

    git("commit", "-qam", "second");
    const sinceBase = run(["sh", script("code-review", "scripts/review-scope.sh"), "HEAD~1"], repo);
    expect(sinceBase.out).toContain("second");
    expect(sinceBase.out).toContain("1\t0\ta.txt");
    const badBase = run(["sh", script("code-review", "scripts/review-scope.sh"), "no-such-branch"], repo);
    expect(badBase.code).toBe(2);
    expect(badBase.err).toContain("'no-such-branch' is not a branch, tag or commit");
  });
});
