import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { discoverSkills } from "../../src/skills/discover.ts";
import { IMPORT_MARKER_FILE } from "../../src/skills/files.ts";
import {
  exportSkillZip,
  findExternalSkillDirs,
  importSkillFromFolder,
  importSkillFromZip,
  importSkillFromZipFile,
  SkillImportError,
} from "../../src/skills/import.ts";

let root: string;
let userSkillsDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "skills-import-"));
  userSkillsDir = join(root, "user-skills");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

function skillMd(name: string, note = "original"): string {
  return `---\nname: ${name}\ndescription: Does ${name} things.\n---\n\nSteps (${note}).\n`;
}

async function importError(promise: Promise<unknown>): Promise<SkillImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SkillImportError) return error;
    throw error;
  }
  throw new Error("the import was expected to fail");
}

describe("import from a folder", () => {
  test("installs under the frontmatter name with an import marker; discovery reports it as imported", async () => {
    const from = join(root, "download", "Some Folder");
    await put(join(from, "SKILL.md"), skillMd("pdf-fill"));
    await put(join(from, "scripts/fill.sh"), "#!/bin/sh\necho fill\n");
    await put(join(from, ".git/HEAD"), "ref");

    const result = await importSkillFromFolder(from, { userSkillsDir });
    expect(result).toMatchObject({ name: "pdf-fill", dir: join(userSkillsDir, "pdf-fill"), replaced: false });
    expect(await readFile(join(result.dir, "scripts/fill.sh"), "utf8")).toContain("echo fill");
    expect(await Bun.file(join(result.dir, ".git/HEAD")).exists()).toBe(false);
    const marker = JSON.parse(await readFile(join(result.dir, IMPORT_MARKER_FILE), "utf8"));
    expect(marker.importedFrom).toBe(from);

    const discovered = await discoverSkills(userSkillsDir);
    expect(discovered.diagnostics).toEqual([]);
    expect(discovered.skills[0]).toMatchObject({
      name: "pdf-fill",
      source: "imported",
      files: ["scripts/fill.sh"],
    });
  });

  test("refuses a name collision unless overwrite is asked", async () => {
    const from = join(root, "src", "dup");
    await put(join(from, "SKILL.md"), skillMd("dup", "first"));
    await importSkillFromFolder(from, { userSkillsDir });
    await put(join(from, "SKILL.md"), skillMd("dup", "second"));

    const error = await importError(importSkillFromFolder(from, { userSkillsDir }));
    expect(error.reason).toBe("name-taken");
    expect(error.message).toContain("'dup' already exists");
    expect(await readFile(join(userSkillsDir, "dup/SKILL.md"), "utf8")).toContain("first");

    const result = await importSkillFromFolder(from, { userSkillsDir, overwrite: true });
    expect(result.replaced).toBe(true);
    expect(await readFile(join(userSkillsDir, "dup/SKILL.md"), "utf8")).toContain("second");
  });

  test("refuses a folder without SKILL.md, an invalid SKILL.md, and a missing folder; nothing is written", async () => {
    const empty = join(root, "empty");
    await put(join(empty, "README.md"), "hello");
    expect((await importError(importSkillFromFolder(empty, { userSkillsDir }))).reason).toBe(
      "missing-skill-file",
    );

    const invalid = join(root, "invalid");
    await put(join(invalid, "SKILL.md"), "---\nname: Bad_Name\n---\n");
    const error = await importError(importSkillFromFolder(invalid, { userSkillsDir }));
    expect(error.reason).toBe("invalid-skill");
    expect(error.message).toContain("'name'");
    expect(error.message).toContain("'description'");
    expect(error.diagnostics.length).toBe(2);

    expect((await importError(importSkillFromFolder(join(root, "nope"), { userSkillsDir }))).reason).toBe(
      "not-found",
    );
    expect(await Bun.file(join(userSkillsDir, "x")).exists()).toBe(false);
    expect((await discoverSkills(userSkillsDir)).skills).toEqual([]);
  });

  test("parser warnings are returned but do not block the import", async () => {
    const from = join(root, "warn");
    await put(join(from, "SKILL.md"), "---\nname: warn\ndescription: d\nmodel: x\n---\nbody\n");
    const result = await importSkillFromFolder(from, { userSkillsDir });
    expect(result.warnings.map((warning) => warning.field)).toEqual(["model"]);
  });
});

describe("zip import and export", () => {
  test("export then import round-trips the files (marker excluded from the archive)", async () => {
    const from = join(root, "orig", "round-trip");
    await put(join(from, "SKILL.md"), skillMd("round-trip"));
    await put(join(from, "data/table.csv"), "a,b\n1,2\n");
    await put(join(from, "bin.dat"), new Uint8Array([0, 255, 1, 254]));
    await importSkillFromFolder(from, { userSkillsDir });

    const zip = await exportSkillZip(join(userSkillsDir, "round-trip"));
    expect(Object.keys(unzipSync(zip)).sort()).toEqual([
      "round-trip/SKILL.md",
      "round-trip/bin.dat",
      "round-trip/data/table.csv",
    ]);

    const otherDir = join(root, "other-user");
    const result = await importSkillFromZip(zip, { userSkillsDir: otherDir, label: "round-trip.zip" });
    expect(result.name).toBe("round-trip");
    expect(new Uint8Array(await readFile(join(otherDir, "round-trip/bin.dat")))).toEqual(
      new Uint8Array([0, 255, 1, 254]),
    );
    expect(await readFile(join(otherDir, "round-trip/data/table.csv"), "utf8")).toBe("a,b\n1,2\n");
  });

  test("SKILL.md at the top of the archive is accepted; macOS litter is dropped", async () => {
    const zip = zipSync({
      "SKILL.md": strToU8(skillMd("flat")),
      "notes.txt": strToU8("n"),
      "__MACOSX/._SKILL.md": strToU8("junk"),
      ".DS_Store": strToU8("junk"),
    });
    const result = await importSkillFromZip(zip, { userSkillsDir });
    expect(result.name).toBe("flat");
    const discovered = await discoverSkills(userSkillsDir);
    expect(discovered.skills[0].files).toEqual(["notes.txt"]);
  });

  test("bad archives are refused with clear errors", async () => {
    const notZip = await importError(
      importSkillFromZip(strToU8("this is not a zip"), { userSkillsDir, label: "x.zip" }),
    );
    expect(notZip.reason).toBe("bad-archive");
    expect(notZip.message).toContain("x.zip is not a valid zip archive");

    const noSkill = zipSync({ "a/readme.md": strToU8("hi"), "b/other.md": strToU8("x") });
    expect((await importError(importSkillFromZip(noSkill, { userSkillsDir }))).reason).toBe(
      "missing-skill-file",
    );

    const invalid = zipSync({ "s/SKILL.md": strToU8("no frontmatter") });
    expect((await importError(importSkillFromZip(invalid, { userSkillsDir }))).reason).toBe("invalid-skill");

    const escaping = zipSync({ "SKILL.md": strToU8(skillMd("evil")), "../../outside.txt": strToU8("x") });
    const unsafe = await importError(importSkillFromZip(escaping, { userSkillsDir }));
    expect(unsafe.reason).toBe("bad-archive");
    expect(unsafe.message).toContain("unsafe path");
    expect(await Bun.file(join(root, "outside.txt")).exists()).toBe(false);
    expect(await Bun.file(join(userSkillsDir, "evil")).exists()).toBe(false);
  });

  test("an archive with too many entries is refused before anything is extracted", async () => {
    const tree: Record<string, Uint8Array> = { "SKILL.md": strToU8(skillMd("many")) };
    for (let index = 0; index < 2001; index++) tree[`f/${index}.txt`] = strToU8("x");
    const error = await importError(importSkillFromZip(zipSync(tree), { userSkillsDir, label: "many.zip" }));
    expect(error.reason).toBe("too-large");
    expect(error.message).toContain("many.zip is too large");
    expect(await Bun.file(join(userSkillsDir, "many")).exists()).toBe(false);
  });

  test("import from a zip file on disk; a missing file is not-found", async () => {
    const path = join(root, "skill.zip");
    await writeFile(path, zipSync({ "disk/SKILL.md": strToU8(skillMd("disk")) }));
    expect((await importSkillFromZipFile(path, { userSkillsDir })).name).toBe("disk");
    expect(
      (await importError(importSkillFromZipFile(join(root, "none.zip"), { userSkillsDir }))).reason,
    ).toBe("not-found");
  });

  test("exporting a folder without SKILL.md fails", async () => {
    await mkdir(join(root, "plain"), { recursive: true });
    await expect(exportSkillZip(join(root, "plain"))).rejects.toMatchObject({ name: "SkillExportError" });
  });
});

describe("findExternalSkillDirs", () => {
  test("lists ~/.claude/skills and ~/.agents/skills only when they exist", async () => {
    const home = join(root, "home");
    expect(await findExternalSkillDirs(home)).toEqual([]);
    await mkdir(join(home, ".agents", "skills"), { recursive: true });
    expect((await findExternalSkillDirs(home)).map((found) => found.dir)).toEqual([
      join(home, ".agents", "skills"),
    ]);
    await mkdir(join(home, ".claude", "skills"), { recursive: true });
    await put(join(home, ".claude", "skills", "ext", "SKILL.md"), skillMd("ext"));
    const found = await findExternalSkillDirs(home);
    expect(found.map((entry) => entry.dir)).toEqual([
      join(home, ".claude", "skills"),
      join(home, ".agents", "skills"),
    ]);
    expect(found[0].label).toContain("Claude");

    const candidates = await discoverSkills(found[0].dir, { defaultSource: "imported" });
    const result = await importSkillFromFolder(candidates.skills[0].dir, { userSkillsDir });
    expect(result.name).toBe("ext");
  });
});
