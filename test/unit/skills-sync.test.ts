import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  builtinSkillSourceFromDir,
  builtinSkillSourceFromEmbedded,
  builtinSkillSourceFromMap,
} from "../../src/skills/builtin.ts";
import { diffSkillWithBuiltin, SkillDiffError } from "../../src/skills/diff.ts";
import { discoverSkills } from "../../src/skills/discover.ts";
import {
  builtinSkillNames,
  builtinStagingDir,
  readSyncManifest,
  resetSkillToBuiltin,
  type SkillSyncOptions,
  syncBuiltinSkills,
} from "../../src/skills/sync.ts";
import type { SkillSyncReport } from "../../src/skills/types.ts";

let root: string;
let userSkillsDir: string;
let manifestPath: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "skills-sync-"));
  userSkillsDir = join(root, "data", "skills");
  manifestPath = join(root, "data", "skills-manifest.json");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function skillMd(name: string, version: string): string {
  return `---\nname: ${name}\ndescription: The ${name} skill, ${version}.\n---\n\nInstructions ${version}.\n`;
}

/** Version 1 of the shipped skills. */
function version1(): Map<string, string> {
  return new Map([
    ["alpha/SKILL.md", skillMd("alpha", "v1")],
    ["alpha/scripts/run.sh", "#!/bin/sh\necho alpha v1\n"],
    ["beta/SKILL.md", skillMd("beta", "v1")],
    ["gamma/SKILL.md", skillMd("gamma", "v1")],
    ["delta/SKILL.md", skillMd("delta", "v1")],
    ["epsilon/SKILL.md", skillMd("epsilon", "v1")],
  ]);
}

/**
 * Version 2: alpha changed (user leaves it unedited), beta changed (user edits it), gamma unchanged
 * (user edits it), delta changed (user deletes it), epsilon no longer shipped, zeta new.
 */
function version2(): Map<string, string> {
  return new Map([
    ["alpha/SKILL.md", skillMd("alpha", "v2")],
    ["alpha/scripts/run.sh", "#!/bin/sh\necho alpha v2\n"],
    ["alpha/templates/new.md", "new template\n"],
    ["beta/SKILL.md", skillMd("beta", "v2")],
    ["gamma/SKILL.md", skillMd("gamma", "v1")],
    ["delta/SKILL.md", skillMd("delta", "v2")],
    ["zeta/SKILL.md", skillMd("zeta", "v2")],
  ]);
}

function options(files: Map<string, string>): SkillSyncOptions {
  return { source: builtinSkillSourceFromMap(files), userSkillsDir, manifestPath };
}

async function read(relative: string): Promise<string> {
  return readFile(join(userSkillsDir, relative), "utf8");
}

/** Every file under `dir` with its content and modification time, to prove a run wrote nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    result[path] = `${(await stat(path)).mtimeMs} ${await readFile(path, "utf8")}`;
  }
  return result;
}

function summary(report: SkillSyncReport) {
  return {
    added: report.added,
    updated: report.updated,
    keptEdited: report.keptEdited.map((kept) => `${kept.name}${kept.builtinChanged ? " (new version)" : ""}`),
    skippedDeleted: report.skippedDeleted,
    unchanged: report.unchanged,
    retired: report.retired,
    warnings: report.warnings,
  };
}

describe("syncBuiltinSkills", () => {
  test("fresh install copies every built-in and records the manifest", async () => {
    const report = await syncBuiltinSkills(options(version1()));
    expect(summary(report)).toEqual({
      added: ["alpha", "beta", "delta", "epsilon", "gamma"],
      updated: [],
      keptEdited: [],
      skippedDeleted: [],
      unchanged: [],
      retired: [],
      warnings: [],
    });
    expect(await read("alpha/SKILL.md")).toBe(skillMd("alpha", "v1"));
    expect(await read("alpha/scripts/run.sh")).toContain("alpha v1");
    expect((await stat(join(userSkillsDir, "alpha/scripts/run.sh"))).mode & 0o111).not.toBe(0);

    const manifest = await readSyncManifest(manifestPath);
    expect(Object.keys(manifest.skills)).toEqual(["alpha", "beta", "delta", "epsilon", "gamma"]);
    expect(manifest.skills.alpha.installedHash).toBe(manifest.skills.alpha.shippedHash);
    expect(builtinSkillNames(manifest)).toEqual(new Set(["alpha", "beta", "delta", "epsilon", "gamma"]));

    const discovered = await discoverSkills(userSkillsDir, { builtinNames: builtinSkillNames(manifest) });
    expect(discovered.diagnostics).toEqual([]);
    expect(discovered.skills.every((skill) => skill.source === "builtin")).toBe(true);
  });

  test("a second run is idempotent: nothing is written", async () => {
    await syncBuiltinSkills(options(version1()));
    const before = await snapshot(join(root, "data"));
    await Bun.sleep(15);
    const report = await syncBuiltinSkills(options(version1()));
    expect(report.unchanged).toEqual(["alpha", "beta", "delta", "epsilon", "gamma"]);
    expect(report.added.length + report.updated.length + report.keptEdited.length).toBe(0);
    expect(await snapshot(join(root, "data"))).toEqual(before);
  });

  test("upgrade: unchanged copies updated, edits kept, deletions respected, new added, removed retired", async () => {
    await syncBuiltinSkills(options(version1()));
    await writeFile(join(userSkillsDir, "beta/SKILL.md"), skillMd("beta", "my edit"));
    await writeFile(join(userSkillsDir, "gamma/notes.md"), "my own notes\n");
    await rm(join(userSkillsDir, "delta"), { recursive: true });

    const report = await syncBuiltinSkills(options(version2()));
    expect(summary(report)).toEqual({
      added: ["zeta"],
      updated: ["alpha"],
      keptEdited: ["beta (new version)", "gamma"],
      skippedDeleted: ["delta"],
      unchanged: [],
      retired: ["epsilon"],
      warnings: [],
    });

    // alpha: replaced by v2, including the new file
    expect(await read("alpha/SKILL.md")).toBe(skillMd("alpha", "v2"));
    expect(await read("alpha/templates/new.md")).toBe("new template\n");
    // beta: the user's edit stays; v2 is staged for diff and reset
    expect(await read("beta/SKILL.md")).toBe(skillMd("beta", "my edit"));
    const beta = report.keptEdited.find((kept) => kept.name === "beta")!;
    expect(beta.builtinDir).toBe(builtinStagingDir(userSkillsDir, "beta"));
    expect(await readFile(join(beta.builtinDir, "SKILL.md"), "utf8")).toBe(skillMd("beta", "v2"));
    // gamma: edited (a file added), built-in unchanged
    expect(await read("gamma/notes.md")).toBe("my own notes\n");
    // delta: not brought back
    expect(await Bun.file(join(userSkillsDir, "delta/SKILL.md")).exists()).toBe(false);
    // epsilon: the copy stays, now a plain user skill
    expect(await read("epsilon/SKILL.md")).toBe(skillMd("epsilon", "v1"));
    const manifest = await readSyncManifest(manifestPath);
    expect(manifest.skills.epsilon).toBeUndefined();

    // the staged folders are not skills
    const discovered = await discoverSkills(userSkillsDir, { builtinNames: builtinSkillNames(manifest) });
    expect(discovered.skills.map((skill) => `${skill.name}:${skill.source}`)).toEqual([
      "alpha:builtin",
      "beta:builtin",
      "epsilon:user",
      "gamma:builtin",
      "zeta:builtin",
    ]);

    // and the upgrade run is idempotent too
    const before = await snapshot(join(root, "data"));
    await Bun.sleep(15);
    const again = await syncBuiltinSkills(options(version2()));
    expect(summary(again)).toMatchObject({
      added: [],
      updated: [],
      keptEdited: ["beta", "gamma"],
      skippedDeleted: ["delta"],
      unchanged: ["alpha", "zeta"],
      retired: [],
    });
    expect(await snapshot(join(root, "data"))).toEqual(before);
  });

  test("the diff of an edited built-in shows the user's changes against the shipped version", async () => {
    await syncBuiltinSkills(options(version1()));
    await writeFile(join(userSkillsDir, "beta/SKILL.md"), skillMd("beta", "my edit"));
    await writeFile(join(userSkillsDir, "beta/extra.bin"), new Uint8Array([0, 1, 2]));
    await syncBuiltinSkills(options(version2()));
    const diffs = await diffSkillWithBuiltin(userSkillsDir, "beta");
    expect(diffs.map((diff) => `${diff.change} ${diff.path} ${diff.binary}`)).toEqual([
      "modified SKILL.md false",
      "added extra.bin true",
    ]);
    expect(diffs[0].patch).toContain("-Instructions v2.");
    expect(diffs[0].patch).toContain("+Instructions my edit.");
    await expect(diffSkillWithBuiltin(userSkillsDir, "alpha")).rejects.toBeInstanceOf(SkillDiffError);
  });

  test("an edit that matches the shipped version again becomes unchanged and unstaged", async () => {
    await syncBuiltinSkills(options(version1()));
    await writeFile(join(userSkillsDir, "beta/SKILL.md"), skillMd("beta", "my edit"));
    await syncBuiltinSkills(options(version2()));
    await writeFile(join(userSkillsDir, "beta/SKILL.md"), skillMd("beta", "v2"));
    const report = await syncBuiltinSkills(options(version2()));
    expect(report.unchanged).toContain("beta");
    expect(await Bun.file(join(builtinStagingDir(userSkillsDir, "beta"), "SKILL.md")).exists()).toBe(false);
  });

  test("a user folder with a built-in's name before the first sync is kept and not claimed", async () => {
    await mkdir(join(userSkillsDir, "beta"), { recursive: true });
    await writeFile(join(userSkillsDir, "beta/SKILL.md"), skillMd("beta", "mine from before"));
    const report = await syncBuiltinSkills(options(version1()));
    expect(summary(report).keptEdited).toEqual(["beta (new version)"]);
    expect(await read("beta/SKILL.md")).toBe(skillMd("beta", "mine from before"));
    const manifest = await readSyncManifest(manifestPath);
    expect(manifest.skills.beta.installedHash).toBeNull();
    expect(builtinSkillNames(manifest).has("beta")).toBe(false);
  });

  test("reset to built-in replaces the edited copy, keeps a backup, and the next sync is unchanged", async () => {
    await syncBuiltinSkills(options(version1()));
    await writeFile(join(userSkillsDir, "beta/SKILL.md"), skillMd("beta", "my edit"));
    await syncBuiltinSkills(options(version2()));

    const result = await resetSkillToBuiltin("beta", options(version2()));
    expect(result.dir).toBe(join(userSkillsDir, "beta"));
    expect(await read("beta/SKILL.md")).toBe(skillMd("beta", "v2"));
    expect(result.backupDir).toBeString();
    expect(await readFile(join(result.backupDir!, "SKILL.md"), "utf8")).toBe(skillMd("beta", "my edit"));
    expect(await Bun.file(join(builtinStagingDir(userSkillsDir, "beta"), "SKILL.md")).exists()).toBe(false);

    const report = await syncBuiltinSkills(options(version2()));
    expect(report.unchanged).toContain("beta");
    expect(report.keptEdited).toEqual([]);
    // the backup folder is not a skill
    const discovered = await discoverSkills(userSkillsDir);
    expect(discovered.skills.filter((skill) => skill.name === "beta")).toHaveLength(1);
  });

  test("reset restores a deleted built-in; a later upgrade updates it again", async () => {
    await syncBuiltinSkills(options(version1()));
    await rm(join(userSkillsDir, "delta"), { recursive: true });
    await syncBuiltinSkills(options(version1()));
    const result = await resetSkillToBuiltin("delta", options(version1()));
    expect(result.backupDir).toBeUndefined();
    expect(await read("delta/SKILL.md")).toBe(skillMd("delta", "v1"));
    const report = await syncBuiltinSkills(options(version2()));
    expect(report.updated).toContain("delta");
  });

  test("reset of a name that is not a built-in is refused", async () => {
    await syncBuiltinSkills(options(version1()));
    await expect(resetSkillToBuiltin("nope", options(version1()))).rejects.toMatchObject({
      name: "SkillSyncError",
      message: expect.stringContaining("not a built-in skill"),
    });
  });

  test("leftovers of an interrupted write are removed; user folders starting with a dot are not", async () => {
    await syncBuiltinSkills(options(version1()));
    await mkdir(join(userSkillsDir, ".tmp-alpha-0123456789ab/scripts"), { recursive: true });
    await writeFile(join(userSkillsDir, ".old-beta-ba9876543210"), "x");
    await mkdir(join(userSkillsDir, ".my-private"), { recursive: true });
    const report = await syncBuiltinSkills(options(version1()));
    expect(report.unchanged).toHaveLength(5);
    expect((await readdir(userSkillsDir)).sort()).toEqual([
      ".my-private",
      "alpha",
      "beta",
      "delta",
      "epsilon",
      "gamma",
    ]);
  });

  test("a corrupt manifest is set aside with a warning and sync carries on", async () => {
    await syncBuiltinSkills(options(version1()));
    await writeFile(manifestPath, "{ not json");
    const report = await syncBuiltinSkills(options(version1()));
    expect(report.warnings[0]).toContain("manifest was unreadable");
    expect(report.unchanged).toHaveLength(5);
    const aside = (await readdir(dirname(manifestPath))).filter((name) => name.includes(".corrupt-"));
    expect(aside).toHaveLength(1);
    expect((await readSyncManifest(manifestPath)).skills.alpha).toBeDefined();
  });

  test("an invalid shipped skill is reported and not installed; the others are", async () => {
    const files = version1();
    files.set("broken/SKILL.md", "no frontmatter\n");
    files.set("nofile/readme.txt", "x");
    const report = await syncBuiltinSkills(options(files));
    expect(report.added).toHaveLength(5);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings.join("\n")).toContain("built-in skill 'broken' is invalid");
    expect(report.warnings.join("\n")).toContain("built-in skill 'nofile' has no SKILL.md");
    expect(await Bun.file(join(userSkillsDir, "broken/SKILL.md")).exists()).toBe(false);
  });

  test("an unsafe key from the source is refused", async () => {
    const files = new Map([["../evil/SKILL.md", skillMd("evil", "v1")]]);
    await expect(syncBuiltinSkills(options(files))).rejects.toMatchObject({ name: "BuiltinSkillsError" });
  });
});

describe("built-in sources", () => {
  test("reading from a folder and from embedded file paths give the same files", async () => {
    const shipped = join(root, "shipped");
    const embedded: Record<string, string> = {};
    for (const [key, content] of version1()) {
      const path = join(shipped, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      embedded[key] = path;
    }
    await writeFile(join(shipped, "README.md"), "not a skill");
    const fromDir = await builtinSkillSourceFromDir(shipped).files();
    const fromEmbedded = await builtinSkillSourceFromEmbedded(embedded).files();
    expect([...fromDir.keys()].sort()).toEqual([...version1().keys()].sort());
    expect(fromEmbedded).toEqual(fromDir);

    const report = await syncBuiltinSkills({
      source: builtinSkillSourceFromEmbedded(embedded),
      userSkillsDir,
      manifestPath,
    });
    expect(report.added).toHaveLength(5);
  });

  test("a missing embedded file is a clear error", async () => {
    const source = builtinSkillSourceFromEmbedded({ "alpha/SKILL.md": join(root, "missing") });
    await expect(source.files()).rejects.toMatchObject({
      name: "BuiltinSkillsError",
      message: expect.stringContaining("alpha/SKILL.md"),
    });
  });
});
