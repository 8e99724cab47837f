/**
 * /api/skills over real HTTP against a real backend: list, create, edit, confinement, import (zip upload,
 * path, other tools' folders), export, delete (and built-ins staying deleted across restarts), reset and
 * diff, per-agent enablement — with bad input of every kind.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import type {
  ExternalSkillSource,
  SkillDetailResponse,
  SkillDiffFile,
  SkillEntry,
  SkillFileContent,
  SkillImportResponse,
  SkillListResponse,
  SkillWriteResponse,
} from "../../src/shared/skills.ts";
import { startBackend, useBackend } from "../support/backend.ts";

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

let skillsDir: string;

const app = useBackend();
beforeAll(async () => {
  skillsDir = app().running.backend.context.paths.skills;
  app().running.backend.context.agents.defaultAgent();
});

async function put(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

function skillMd(name: string, description = `Does ${name} things.`, body = "Follow these steps."): string {
  return `---\nname: ${name}\ndescription: ${description}\n---\n\n${body}\n`;
}

async function list(): Promise<SkillListResponse> {
  const { status, body } = await app().api<SkillListResponse>("/api/skills");
  expect(status).toBe(200);
  return body;
}

async function entry(name: string): Promise<SkillEntry | undefined> {
  return (await list()).skills.find((skill) => skill.name === name);
}

async function upload(
  data: Uint8Array,
  options: { multipart?: boolean; overwrite?: boolean; fileName?: string } = {},
): Promise<{ status: number; body: SkillImportResponse & ErrorBody }> {
  const query = options.overwrite ? "?overwrite=true" : "";
  const headers: Record<string, string> = { authorization: `Bearer ${app().token}` };
  let body: BodyInit;
  if (options.multipart) {
    const form = new FormData();
    form.set(
      "file",
      new File([new Uint8Array(data)], options.fileName ?? "skill.zip", { type: "application/zip" }),
    );
    body = form;
  } else {
    headers["content-type"] = "application/zip";
    if (options.fileName) headers["x-file-name"] = encodeURIComponent(options.fileName);
    body = new Uint8Array(data);
  }
  const response = await fetch(`${app().url}/api/skills/import/zip${query}`, {
    method: "POST",
    headers,
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe("list", () => {
  test("built-ins are listed as built-in, resettable, enabled for the default agent", async () => {
    const listing = await list();
    const review = listing.skills.find((skill) => skill.name === "code-review");
    expect(review).toMatchObject({ source: "builtin", valid: true, resettable: true, builtinUpdate: false });
    expect(review?.description.length).toBeGreaterThan(10);
    const defaultAgent = listing.agents.find((agent) => agent.isDefault);
    expect(defaultAgent?.allSkills).toBe(true);
    expect(review?.enabledFor).toContain(defaultAgent?.id ?? "missing");
    expect(listing.skillsDir).toBe(skillsDir);
  });

  test("a malformed skill is listed with its diagnostic (which file, what is wrong)", async () => {
    await put(join(skillsDir, "broken-one", "SKILL.md"), "---\nname: broken-one\n---\n\nNo description.\n");
    await mkdir(join(skillsDir, "empty-folder"), { recursive: true });
    const broken = await entry("broken-one");
    expect(broken).toMatchObject({ valid: false, source: "user", description: "" });
    expect(broken?.problems[0]).toMatchObject({ severity: "error", file: "SKILL.md", field: "description" });
    expect(broken?.problems[0]?.message).toContain("description");
    const empty = await entry("empty-folder");
    expect(empty?.valid).toBe(false);
    expect(empty?.problems[0]).toMatchObject({ severity: "error", file: "" });
    expect(empty?.problems[0]?.message).toContain("no SKILL.md");
    // Left out of what agents can use.
    expect(
      app()
        .running.backend.context.skills.list()
        .some((skill) => skill.name === "broken-one"),
    ).toBe(false);
  });
});

describe("create from a template", () => {
  test("creates a valid user skill that agents can use at once", async () => {
    const { status, body } = await app().api<SkillEntry>("/api/skills", {
      json: { name: "pdf-forms", description: "Fill PDF forms from data.", template: "script" },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "pdf-forms", source: "user", valid: true, files: ["scripts/run.sh"] });
    const catalog = app().running.backend.context.skills.catalogFor("all", app().dataDir);
    expect(catalog.get("pdf-forms")?.description).toBe("Fill PDF forms from data.");
    const text = await readFile(join(skillsDir, "pdf-forms", "SKILL.md"), "utf8");
    expect(text).toStartWith("---\nname: pdf-forms\n");
  });

  test("the workspace copy an agent gets follows every change in the skill's folder", async () => {
    await app().api("/api/skills", {
      json: { name: "copy-check", description: "Checks copies.", template: "script" },
    });
    const workspace = await mkdtemp(join(tmpdir(), "sage-skill-ws-"));
    const catalog = app().running.backend.context.skills.catalogFor("all", workspace);
    const skill = catalog.get("copy-check");
    if (!skill || !catalog.materialize) throw new Error("the catalog cannot materialize skills");
    const materialize = () => (catalog.materialize as NonNullable<typeof catalog.materialize>)(skill);
    const copy = join(workspace, await materialize());
    const source = join(skillsDir, "copy-check");
    // Re-copying gives the copy a new change time (an inode number may be reused, a ctime is not).
    const changed = async () => (await stat(join(copy, "SKILL.md"))).ctimeMs;
    expect(await readFile(join(copy, "scripts", "run.sh"), "utf8")).toBe(
      await readFile(join(source, "scripts", "run.sh"), "utf8"),
    );

    // Unchanged source: the copy is left alone.
    const first = await changed();
    await Bun.sleep(20);
    await materialize();
    expect(await changed()).toBe(first);

    // A changed script (SKILL.md untouched), a new file, then a deleted one: each refreshes the copy.
    await writeFile(join(source, "scripts", "run.sh"), "#!/bin/sh\necho changed\n");
    await materialize();
    expect(await readFile(join(copy, "scripts", "run.sh"), "utf8")).toContain("echo changed");
    await put(join(source, "reference", "notes.md"), "extra notes");
    await materialize();
    expect(await readFile(join(copy, "reference", "notes.md"), "utf8")).toBe("extra notes");
    await rm(join(source, "reference"), { recursive: true });
    await materialize();
    expect(existsSync(join(copy, "reference"))).toBe(false);
    await rm(workspace, { recursive: true, force: true });
  });

  test.each([
    ["Upper-Case", "uppercase"],
    ["two--hyphens", "consecutive hyphens"],
    ["-leading", "hyphen"],
    ["has space", "only lowercase"],
    ["../escape", "only lowercase"],
    ["a".repeat(65), "limit is 64"],
    ["", "empty"],
  ])("refuses the name %p", async (name, why) => {
    const { status, body } = await app().api<ErrorBody>("/api/skills", { json: { name, description: "x" } });
    expect(status).toBe(400);
    expect(body.error.field).toBe("name");
    expect(body.error.message).toContain(why);
  });

  test("refuses a taken name, an empty description and an unknown template", async () => {
    const taken = await app().api<ErrorBody>("/api/skills", {
      json: { name: "code-review", description: "x" },
    });
    expect(taken.status).toBe(409);
    const blank = await app().api<ErrorBody>("/api/skills", {
      json: { name: "fresh-one", description: "  " },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error.field).toBe("description");
    const template = await app().api<ErrorBody>("/api/skills", {
      json: { name: "fresh-two", description: "x", template: "fancy" },
    });
    expect(template.status).toBe(400);
  });
});

describe("files", () => {
  test("read, write, create and delete files; the skill is re-read after a write", async () => {
    await app().api("/api/skills", { json: { name: "notes-helper", description: "Takes notes." } });
    const detail = await app().api<SkillDetailResponse>("/api/skills/notes-helper");
    expect(detail.body.files.map((file) => file.path)).toEqual(["SKILL.md"]);
    expect(detail.body.files[0]?.editable).toBe(true);

    const read = await app().api<SkillFileContent>("/api/skills/notes-helper/file?path=SKILL.md");
    expect(read.body.text).toContain("Takes notes.");
    const written = await app().api<SkillWriteResponse>("/api/skills/notes-helper/file", {
      method: "PUT",
      json: { path: "SKILL.md", text: skillMd("notes-helper", "Takes better notes.", "New body.") },
    });
    expect(written.status).toBe(200);
    expect(written.body.skill.description).toBe("Takes better notes.");
    expect(
      app()
        .running.backend.context.skills.list()
        .find((s) => s.name === "notes-helper")?.body,
    ).toBe("New body.");

    const script = await app().api<SkillWriteResponse>("/api/skills/notes-helper/file", {
      method: "PUT",
      json: { path: "scripts/tidy.sh", text: "#!/bin/sh\necho tidy\n" },
    });
    expect(script.body.skill.files).toEqual(["scripts/tidy.sh"]);
    const { mode } = await Bun.file(join(skillsDir, "notes-helper", "scripts/tidy.sh")).stat();
    expect(mode & 0o100).toBe(0o100);

    // A write that breaks the frontmatter is kept and reported, so no work is lost.
    const bad = await app().api<SkillWriteResponse>("/api/skills/notes-helper/file", {
      method: "PUT",
      json: { path: "SKILL.md", text: "---\nname: other-name\ndescription: x\n---\nbody\n" },
    });
    expect(bad.body.skill.valid).toBe(false);
    expect(bad.body.skill.problems[0]?.message).toContain("folder is 'notes-helper'");

    const removed = await app().api<SkillEntry>("/api/skills/notes-helper/file?path=scripts/tidy.sh", {
      method: "DELETE",
    });
    expect(removed.status).toBe(200);
    expect(await readdir(join(skillsDir, "notes-helper"))).toEqual(["SKILL.md"]);
    const skillFile = await app().api<ErrorBody>("/api/skills/notes-helper/file?path=SKILL.md", {
      method: "DELETE",
    });
    expect(skillFile.status).toBe(400);
  });

  test("refuses paths that escape the skill folder, links, managed names, binaries and big files", async () => {
    await app().api("/api/skills", { json: { name: "guarded", description: "Guarded." } });
    const outside = join(app().dataDir, "outside.txt");
    await writeFile(outside, "secret");
    await symlink(outside, join(skillsDir, "guarded", "link.txt"));
    await mkdir(join(app().dataDir, "outside-dir"), { recursive: true });
    await symlink(join(app().dataDir, "outside-dir"), join(skillsDir, "guarded", "linked-dir"));
    await writeFile(join(skillsDir, "guarded", "image.bin"), new Uint8Array([0x89, 0x50, 0, 1, 2]));

    for (const path of [
      "../code-review/SKILL.md",
      "/etc/passwd",
      "a/../../x",
      "./SKILL.md",
      "a//b",
      ".sage-import.json",
      ".git/config",
    ]) {
      const read = await app().api<ErrorBody>(`/api/skills/guarded/file?path=${encodeURIComponent(path)}`);
      expect(read.status, path).toBe(400);
      const write = await app().api<ErrorBody>("/api/skills/guarded/file", {
        method: "PUT",
        json: { path, text: "pwned" },
      });
      expect(write.status, path).toBe(400);
    }
    for (const path of ["link.txt", "linked-dir/new.txt"]) {
      const write = await app().api<ErrorBody>("/api/skills/guarded/file", {
        method: "PUT",
        json: { path, text: "pwned" },
      });
      expect(write.status, path).toBe(400);
      expect(write.body.error.message).toContain("symbolic link");
    }
    expect(await readFile(outside, "utf8")).toBe("secret");
    expect(await readdir(join(app().dataDir, "outside-dir"))).toEqual([]);

    const binary = await app().api<ErrorBody>("/api/skills/guarded/file?path=image.bin");
    expect(binary.status).toBe(400);
    expect(binary.body.error.message).toContain("not a UTF-8 text file");
    const detail = await app().api<SkillDetailResponse>("/api/skills/guarded");
    expect(detail.body.files.find((file) => file.path === "image.bin")?.editable).toBe(false);
    expect(detail.body.files.some((file) => file.path === "link.txt")).toBe(false);

    const big = await app().api<ErrorBody>("/api/skills/guarded/file", {
      method: "PUT",
      json: { path: "big.txt", text: "é".repeat(600 * 1024) },
    });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toContain("cannot be saved");
    const missing = await app().api<ErrorBody>("/api/skills/guarded/file?path=nope.md");
    expect(missing.status).toBe(404);
  });

  test("refuses skill folder names that are not folders of the skills dir", async () => {
    for (const name of ["..%2F..%2Fetc", ".builtin", ".backup", "node_modules"]) {
      const response = await app().api<ErrorBody>(`/api/skills/${name}`);
      expect(response.status, name).toBe(400);
    }
    const missing = await app().api<ErrorBody>("/api/skills/no-such-skill");
    expect(missing.status).toBe(404);
    const write = await app().api<ErrorBody>("/api/skills/no-such-skill/file", {
      method: "PUT",
      json: { path: "SKILL.md", text: "x" },
    });
    expect(write.status).toBe(404);
  });
});

describe("import and export", () => {
  const zipOf = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));

  test("imports a .zip (raw body and multipart), refuses duplicates unless overwrite", async () => {
    const zip = zipOf({ "zipped/SKILL.md": skillMd("zipped"), "zipped/ref/guide.md": "# Guide\n" });
    const first = await upload(zip, { fileName: "zipped.zip" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: "zipped", replaced: false });
    expect(await entry("zipped")).toMatchObject({ source: "imported", valid: true, files: ["ref/guide.md"] });

    const again = await upload(zip, { multipart: true });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("already exists");
    const replaced = await upload(zip, { multipart: true, overwrite: true });
    expect(replaced.status).toBe(200);
    expect(replaced.body.replaced).toBe(true);
  });

  test("refuses corrupt, empty, unsafe and skill-less archives and invalid skills", async () => {
    const corrupt = await upload(strToU8("this is not a zip file at all"));
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error.message).toContain("not a valid zip");
    const empty = await upload(new Uint8Array());
    expect(empty.status).toBe(400);
    const unsafe = await upload(zipOf({ "../evil/SKILL.md": skillMd("evil") }));
    expect(unsafe.status).toBe(400);
    expect(await Bun.file(join(skillsDir, "..", "evil", "SKILL.md")).exists()).toBe(false);
    const noSkill = await upload(zipOf({ "readme.txt": "hello" }));
    expect(noSkill.status).toBe(400);
    expect(noSkill.body.error.message).toContain("SKILL.md");
    const invalid = await upload(zipOf({ "SKILL.md": "---\nname: Bad Name\ndescription: x\n---\n" }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain("invalid");
    const multipartWithoutFile = await fetch(`${app().url}/api/skills/import/zip`, {
      method: "POST",
      headers: { authorization: `Bearer ${app().token}` },
      body: new FormData(),
    });
    expect(multipartWithoutFile.status).toBe(400);
  });

  test("exports a .zip that imports back (without the import marker)", async () => {
    const response = await fetch(`${app().url}/api/skills/zipped/export`, {
      headers: { authorization: `Bearer ${app().token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain('filename="zipped.zip"');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(["zipped/SKILL.md", "zipped/ref/guide.md"]);
    const broken = await fetch(`${app().url}/api/skills/empty-folder/export`, {
      headers: { authorization: `Bearer ${app().token}` },
    });
    expect(broken.status).toBe(400);
  });

  test("imports from a folder or .zip path; refuses relative and missing paths and Sage's own folders", async () => {
    const downloads = await mkdtemp(join(tmpdir(), "sage-downloads-"));
    const folder = join(downloads, "Folder Skill");
    await put(join(folder, "SKILL.md"), skillMd("from-folder"));
    const fromFolder = await app().api<SkillImportResponse>("/api/skills/import/path", {
      json: { path: folder },
    });
    expect(fromFolder.status).toBe(200);
    expect(fromFolder.body.name).toBe("from-folder");
    const zipPath = join(downloads, "z.zip");
    await writeFile(zipPath, zipOf({ "SKILL.md": skillMd("from-zip-path") }));
    const fromZip = await app().api<SkillImportResponse>("/api/skills/import/path", {
      json: { path: zipPath },
    });
    expect(fromZip.status).toBe(200);
    expect((await entry("from-zip-path"))?.source).toBe("imported");

    const relativePath = await app().api<ErrorBody>("/api/skills/import/path", {
      json: { path: "downloads/x" },
    });
    expect(relativePath.status).toBe(400);
    const missing = await app().api<ErrorBody>("/api/skills/import/path", {
      json: { path: "/no/such/place" },
    });
    expect(missing.status).toBe(404);
    const notSkill = await app().api<ErrorBody>("/api/skills/import/path", { json: { path: downloads } });
    expect(notSkill.status).toBe(400);
    expect(notSkill.body.error.message).toContain("SKILL.md");
    // Sage's own data (the lock with the token, the key store) is never a source.
    const inData = join(app().dataDir, "stash");
    await put(join(inData, "SKILL.md"), skillMd("from-data"));
    const own = await app().api<ErrorBody>("/api/skills/import/path", { json: { path: inData } });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain("Sage's data folder");
    await rm(downloads, { recursive: true, force: true });
  });

  test("lists skills in other tools' folders and imports a selected one", async () => {
    const claude = join(process.env.HOME || homedir(), ".claude", "skills");
    await put(join(claude, "claude-helper", "SKILL.md"), skillMd("claude-helper"));
    await put(join(claude, "half-done", "SKILL.md"), "no frontmatter here\n");
    const { body } = await app().api<{ sources: ExternalSkillSource[] }>("/api/skills/import/sources");
    const source = body.sources.find((candidate) => candidate.dir === claude);
    expect(source?.label).toContain(".claude");
    expect(source?.skills.map((skill) => [skill.folder, skill.valid, skill.installed])).toEqual([
      ["claude-helper", true, false],
      ["half-done", false, false],
    ]);
    expect(source?.skills[1]?.problems[0]?.file).toBe("SKILL.md");

    const path = source?.skills[0]?.path ?? "";
    expect((await app().api("/api/skills/import/path", { json: { path } })).status).toBe(200);
    const after = await app().api<{ sources: ExternalSkillSource[] }>("/api/skills/import/sources");
    expect(after.body.sources.find((candidate) => candidate.dir === claude)?.skills[0]?.installed).toBe(true);
    await rm(join(process.env.HOME || homedir(), ".claude"), { recursive: true, force: true });
  });
});

describe("per-agent enablement", () => {
  test("turning a skill off for an agent lists every other skill; on again adds it back", async () => {
    const agentId = (await list()).agents.find((agent) => agent.isDefault)?.id ?? "";
    const off = await app().api<{ skills: string[] }>(`/api/skills/code-review/agents/${agentId}`, {
      method: "PUT",
      json: { enabled: false },
    });
    expect(off.status).toBe(200);
    expect(off.body.skills).not.toContain("code-review");
    expect(off.body.skills).toContain("web-research");
    expect((await entry("code-review"))?.enabledFor).not.toContain(agentId);
    expect(app().running.backend.context.agents.get(agentId).config.skills).toEqual(off.body.skills);

    const on = await app().api<{ skills: string[] }>(`/api/skills/code-review/agents/${agentId}`, {
      method: "PUT",
      json: { enabled: true },
    });
    expect(on.body.skills).toContain("code-review");
    expect((await entry("code-review"))?.enabledFor).toContain(agentId);

    const unknownAgent = await app().api<ErrorBody>("/api/skills/code-review/agents/agt_nope", {
      method: "PUT",
      json: { enabled: true },
    });
    expect(unknownAgent.status).toBe(404);
    const brokenSkill = await app().api<ErrorBody>(`/api/skills/broken-one/agents/${agentId}`, {
      method: "PUT",
      json: { enabled: true },
    });
    expect(brokenSkill.status).toBe(400);
    const badBody = await app().api<ErrorBody>(`/api/skills/code-review/agents/${agentId}`, {
      method: "PUT",
      json: { enabled: "yes" },
    });
    expect(badBody.status).toBe(400);
  });
});

describe("delete, reset and diff", () => {
  test("deleting a user skill removes it (kept in .backup)", async () => {
    await app().api("/api/skills", { json: { name: "short-lived", description: "Gone soon." } });
    const removed = await app().api<{ deleted: boolean }>("/api/skills/short-lived", { method: "DELETE" });
    expect(removed.body.deleted).toBe(true);
    expect(await entry("short-lived")).toBeUndefined();
    expect(
      (await readdir(join(skillsDir, ".backup"))).some((name) => name.startsWith("short-lived-deleted-")),
    ).toBe(true);
    expect((await app().api<ErrorBody>("/api/skills/short-lived", { method: "DELETE" })).status).toBe(404);
    const notBuiltin = await app().api<ErrorBody>("/api/skills/pdf-forms/reset", { method: "POST" });
    expect(notBuiltin.status).toBe(400);
    expect(notBuiltin.body.error.message).toContain("not a built-in");
    const noDiff = await app().api<ErrorBody>("/api/skills/pdf-forms/diff");
    expect(noDiff.status).toBe(400);
  });
});

describe("across restarts", () => {
  test("a deleted built-in stays deleted; an edited one is kept and offered as diff + reset", async () => {
    const first = await startBackend();
    const dir = first.running.backend.context.paths.skills;
    const call = first.api.bind(first);
    expect((await call("/api/skills/web-research", { method: "DELETE" })).status).toBe(200);
    const original = await readFile(join(dir, "code-review", "SKILL.md"), "utf8");
    await call("/api/skills/code-review/file", {
      method: "PUT",
      json: { path: "SKILL.md", text: `${original}\nMy own extra rule.\n` },
    });
    const dataDir = first.dataDir;
    await first.stop({ keepData: true });

    const second = await startBackend({ dataDir });
    try {
      const listing = (await second.api<SkillListResponse>("/api/skills")).body;
      expect(listing.skills.some((skill) => skill.name === "web-research")).toBe(false);
      expect(listing.deletedBuiltins).toContain("web-research");
      const edited = listing.skills.find((skill) => skill.name === "code-review");
      expect(edited).toMatchObject({ source: "builtin", builtinUpdate: true, resettable: true });
      expect(await readFile(join(dir, "code-review", "SKILL.md"), "utf8")).toContain("My own extra rule.");

      const diff = await second.api<{ files: SkillDiffFile[] }>("/api/skills/code-review/diff");
      expect(diff.body.files).toHaveLength(1);
      expect(diff.body.files[0]).toMatchObject({ path: "SKILL.md", change: "modified", binary: false });
      expect(diff.body.files[0]?.patch).toContain("+My own extra rule.");

      const reset = await second.api<SkillEntry>("/api/skills/code-review/reset", { method: "POST" });
      expect(reset.body).toMatchObject({ name: "code-review", builtinUpdate: false, valid: true });
      expect(await readFile(join(dir, "code-review", "SKILL.md"), "utf8")).toBe(original);

      const restored = await second.api<SkillEntry>("/api/skills/web-research/reset", { method: "POST" });
      expect(restored.body).toMatchObject({ name: "web-research", source: "builtin", valid: true });
      expect((await second.api<SkillListResponse>("/api/skills")).body.deletedBuiltins).not.toContain(
        "web-research",
      );
      const recreate = await second.api<ErrorBody>("/api/skills", {
        json: { name: "web-research", description: "mine" },
      });
      expect(recreate.status).toBe(409);
    } finally {
      await second.stop();
    }
  });
});
