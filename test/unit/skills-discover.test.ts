import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { discoverSkills, loadSkillFolder } from "../../src/skills/discover.ts";
import { IMPORT_MARKER_FILE, walkFiles } from "../../src/skills/files.ts";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "skills-discover-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(relative: string, content: string | Uint8Array): Promise<void> {
  const path = join(root, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

function skillMd(name: string, description = `The ${name} skill.`, extra = ""): string {
  return `---\nname: ${name}\ndescription: ${description}\n${extra}---\n\n# ${name}\n\nSteps.\n`;
}

describe("discoverSkills", () => {
  test("finds good skills and turns every malformed one into a diagnostic", async () => {
    await put("alpha/SKILL.md", skillMd("alpha"));
    await put("alpha/scripts/run.sh", "#!/bin/sh\necho hi\n");
    await put("alpha/templates/a.md", "template");
    await put("beta/SKILL.md", skillMd("beta", "Beta.", "colour: blue\n"));
    await put("broken-yaml/SKILL.md", "---\nname: broken-yaml\ndescription: [oops\n---\nbody\n");
    await put("no-skill-file/README.md", "nothing here");
    await put("wrong-case/skill.md", skillMd("wrong-case"));
    await put("mismatch/SKILL.md", skillMd("something-else"));
    await put("binary/SKILL.md", new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    await put("loose-file.md", "not a skill");
    await put(".builtin/alpha/SKILL.md", skillMd("alpha"));
    await put("node_modules/x/SKILL.md", skillMd("x"));

    const result = await discoverSkills(root);
    expect(result.skills.map((skill) => skill.name)).toEqual(["alpha", "beta"]);

    const alpha = result.skills[0];
    expect(alpha.dir).toBe(join(root, "alpha"));
    expect(alpha.skillFile).toBe(join(root, "alpha", "SKILL.md"));
    expect(alpha.files).toEqual(["scripts/run.sh", "templates/a.md"]);
    expect(alpha.filesTruncated).toBe(false);
    expect(alpha.body).toBe("# alpha\n\nSteps.");
    expect(alpha.source).toBe("user");

    const bySkill = new Map(result.diagnostics.map((diagnostic) => [diagnostic.skill, diagnostic]));
    expect([...bySkill.keys()].sort()).toEqual([
      "beta",
      "binary",
      "broken-yaml",
      "mismatch",
      "no-skill-file",
      "wrong-case",
    ]);
    expect(bySkill.get("beta")?.severity).toBe("warning");
    expect(bySkill.get("broken-yaml")).toMatchObject({
      severity: "error",
      path: join(root, "broken-yaml", "SKILL.md"),
      line: 3,
    });
    expect(bySkill.get("no-skill-file")).toMatchObject({
      severity: "error",
      path: join(root, "no-skill-file"),
    });
    expect(bySkill.get("no-skill-file")?.message).toContain("no SKILL.md");
    expect(bySkill.get("wrong-case")?.message).toContain("found 'skill.md'");
    expect(bySkill.get("mismatch")?.message).toContain("the folder is 'mismatch'");
    expect(bySkill.get("binary")?.message).toContain("not valid UTF-8");
  });

  test("a missing root gives nothing; a root that is a file gives a diagnostic", async () => {
    expect(await discoverSkills(join(root, "nope"))).toEqual({ skills: [], diagnostics: [] });
    await put("file", "x");
    const result = await discoverSkills(join(root, "file"));
    expect(result.skills).toEqual([]);
    expect(result.diagnostics[0].message).toContain("cannot read the skills folder");
  });

  test("sources: builtin by name, imported by marker, user otherwise", async () => {
    await put("shipped/SKILL.md", skillMd("shipped"));
    await put("brought/SKILL.md", skillMd("brought"));
    await put(`brought/${IMPORT_MARKER_FILE}`, "{}");
    await put("mine/SKILL.md", skillMd("mine"));
    await put("replaced/SKILL.md", skillMd("replaced"));
    await put(`replaced/${IMPORT_MARKER_FILE}`, "{}");
    const result = await discoverSkills(root, { builtinNames: new Set(["shipped", "replaced"]) });
    const sources = Object.fromEntries(result.skills.map((skill) => [skill.name, skill.source]));
    expect(sources).toEqual({ brought: "imported", mine: "user", replaced: "imported", shipped: "builtin" });
    expect(result.skills.find((skill) => skill.name === "brought")?.files).toEqual([]);
  });

  test("a symbolic link to a skill folder at the top is followed; links inside a skill are not", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "skills-elsewhere-"));
    try {
      await writeFile(join(elsewhere, "SKILL.md"), skillMd("linked"));
      await writeFile(join(elsewhere, "secret.txt"), "outside");
      await symlink(elsewhere, join(root, "linked"));
      await put("inner/SKILL.md", skillMd("inner"));
      await symlink(join(elsewhere, "secret.txt"), join(root, "inner", "secret-link.txt"));
      const result = await discoverSkills(root);
      expect(result.skills.map((skill) => skill.name)).toEqual(["inner", "linked"]);
      expect(result.skills[0].files).toEqual([]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  test("huge trees are listed up to the limits with a warning", async () => {
    await put("big/SKILL.md", skillMd("big"));
    for (let index = 0; index < 30; index++)
      await put(`big/data/file-${String(index).padStart(2, "0")}.txt`, "x");
    await put("big/a/b/c/d/e/deep.txt", "deep");
    const result = await discoverSkills(root, { maxFiles: 10, maxDepth: 3 });
    const big = result.skills[0];
    expect(big.filesTruncated).toBe(true);
    expect(big.files.length).toBeLessThanOrEqual(10);
    expect(big.files).not.toContain("a/b/c/d/e/deep.txt");
    expect(result.diagnostics[0]).toMatchObject({ severity: "warning", skill: "big" });
  });

  test("an oversized SKILL.md is refused with a clear message", async () => {
    await put("large/SKILL.md", skillMd("large") + "x".repeat(2000));
    const result = await loadSkillFolder(join(root, "large"), "large", { maxSkillFileBytes: 1000 });
    expect(result.skill).toBeUndefined();
    expect(result.diagnostics[0].message).toContain("the limit is 1000");
  });

  test("a SKILL.md that is a folder is a diagnostic, not a crash", async () => {
    await mkdir(join(root, "odd", "SKILL.md"), { recursive: true });
    const result = await discoverSkills(root);
    expect(result.skills).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ severity: "error", skill: "odd" });
    expect(result.diagnostics[0].message).toContain("not a regular file");
  });
});

describe("walkFiles", () => {
  test("sorted relative paths, ignoring VCS and dependency folders", async () => {
    await put("w/b.txt", "b");
    await put("w/a/z.txt", "z");
    await put("w/.git/config", "x");
    await put("w/node_modules/m/index.js", "x");
    await put("w/.hidden-file", "kept");
    expect(await walkFiles(join(root, "w"))).toEqual({
      files: [".hidden-file", "a/z.txt", "b.txt"],
      truncated: false,
    });
  });
});
