/**
 * Every file tool that takes a path refuses `..`, absolute paths outside the workspace, symlinks that
 * point outside (including a symlinked parent of a file that does not exist yet), and nothing outside
 * the workspace is read or changed. A workspace whose root is itself a symlink works normally.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ToolContext, ToolResult } from "../../src/agent/tool-contract.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import { applyPatchTool } from "../../src/tools/apply-patch.ts";
import { editFileTool } from "../../src/tools/edit-file.ts";
import { globTool } from "../../src/tools/glob.ts";
import { grepTool } from "../../src/tools/grep.ts";
import { listDirTool } from "../../src/tools/list-dir.ts";
import { readFileTool } from "../../src/tools/read-file.ts";
import { writeFileTool } from "../../src/tools/write-file.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

let harness: TestToolContext;
let secret: string;
beforeEach(() => {
  harness = createTestToolContext();
  secret = join(harness.outside, "secret.txt");
  writeFileSync(secret, "top secret\n");
  symlinkSync(harness.outside, join(harness.root, "out"));
  symlinkSync(secret, join(harness.root, "secret-link.txt"));
  symlinkSync(join(harness.outside, "planted.txt"), join(harness.root, "dangling.txt"));
});
afterEach(() => harness.cleanup());

/** Each tool, called with one hostile path. */
const pathTools: Record<string, (path: string, ctx: ToolContext) => Promise<ToolResult>> = {
  read_file: (path, ctx) => readFileTool.execute({ path }, ctx),
  write_file: (path, ctx) => writeFileTool.execute({ path, content: "pwned\n" }, ctx),
  edit_file: (path, ctx) =>
    editFileTool.execute({ path, old_string: "top secret", new_string: "pwned" }, ctx),
  create_with_edit_file: (path, ctx) =>
    editFileTool.execute({ path, old_string: "", new_string: "pwned\n" }, ctx),
  apply_patch_modify: (path, ctx) =>
    applyPatchTool.execute(
      { patch: `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-top secret\n+pwned\n` },
      ctx,
    ),
  apply_patch_create: (path, ctx) =>
    applyPatchTool.execute({ patch: `--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+pwned\n` }, ctx),
  apply_patch_delete: (path, ctx) =>
    applyPatchTool.execute({ patch: `--- a/${path}\n+++ /dev/null\n@@ -1 +0,0 @@\n-top secret\n` }, ctx),
  list_dir: (path, ctx) => listDirTool.execute({ path }, ctx),
  glob: (path, ctx) => globTool.execute({ pattern: "**/*", path }, ctx),
  grep: (path, ctx) => grepTool.execute({ pattern: "secret", path }, ctx),
};

function hostilePaths(): Record<string, string> {
  return {
    "dot-dot": "../outside/secret.txt",
    "nested dot-dot": "a/../../outside/secret.txt",
    absolute: secret,
    "absolute outside folder": harness.outside,
    "symlinked folder": "out/secret.txt",
    "symlinked folder itself": "out",
    "symlinked parent of a new file": "out/new/file.txt",
    "file symlink": "secret-link.txt",
    "dangling symlink": "dangling.txt",
  };
}

describe("every path-taking file tool is confined to the workspace", () => {
  for (const [toolName, call] of Object.entries(pathTools)) {
    test(`${toolName} refuses every escape and changes nothing outside`, async () => {
      for (const [label, path] of Object.entries(hostilePaths())) {
        let caught: unknown;
        try {
          await call(path, harness.ctx);
        } catch (error) {
          caught = error;
        }
        expect({ label, name: (caught as Error | undefined)?.name }).toEqual({
          label,
          name: "WorkspaceEscapeError",
        });
      }
      expect(readFileSync(secret, "utf8")).toBe("top secret\n");
      expect(existsSync(join(harness.outside, "planted.txt"))).toBe(false);
      expect(existsSync(join(harness.outside, "new"))).toBe(false);
    });
  }

  test("touches never names a path outside the workspace", () => {
    for (const path of Object.values(hostilePaths())) {
      expect(writeFileTool.touches!({ path, content: "" }, harness.ctx)).toEqual([]);
      expect(editFileTool.touches!({ path, old_string: "", new_string: "x" }, harness.ctx)).toEqual([]);
      const patch = `--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+x\n`;
      expect(applyPatchTool.touches!({ patch }, harness.ctx)).toEqual([]);
    }
  });

  test("describe explains the refusal instead of showing a diff", async () => {
    const description = await writeFileTool.describe!({ path: "out/x.txt", content: "x" }, harness.ctx);
    expect(description.detail).toMatch(/This call will fail: Refused path "out\/x.txt".*symbolic link/);
  });

  test("grep and glob over the root do not follow a symlink out of the workspace", async () => {
    const grep = await grepTool.execute({ pattern: "top secret" }, harness.ctx);
    expect(grep.text).toMatch(/^No matches/);
    const glob = await globTool.execute({ pattern: "**/secret.txt" }, harness.ctx);
    expect(glob.text).toMatch(/^No files match/);
  });
});

describe("a workspace whose root is a symlink to a real folder", () => {
  let base: string;
  let ctx: ToolContext;
  beforeEach(() => {
    base = join(harness.outside, "..", "linked-case");
    mkdirSync(join(base, "real"), { recursive: true });
    symlinkSync(join(base, "real"), join(base, "link"));
    ctx = { ...harness.ctx, workspace: createWorkspace(join(base, "link")) };
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  test("all file tools work inside it, including absolute paths spelled through the link", async () => {
    await writeFileTool.execute({ path: "notes/a.txt", content: "hello\n" }, ctx);
    expect(readFileSync(join(base, "real", "notes", "a.txt"), "utf8")).toBe("hello\n");
    await editFileTool.execute(
      { path: join(base, "link", "notes", "a.txt"), old_string: "hello", new_string: "hi" },
      ctx,
    );
    expect((await readFileTool.execute({ path: "notes/a.txt" }, ctx)).text).toBe("     1\thi");
    await applyPatchTool.execute(
      { patch: "--- a/notes/a.txt\n+++ b/notes/a.txt\n@@ -1 +1 @@\n-hi\n+hey\n" },
      ctx,
    );
    expect((await grepTool.execute({ pattern: "hey" }, ctx)).text).toContain("notes/a.txt:1: hey");
    expect((await globTool.execute({ pattern: "**/*.txt" }, ctx)).text).toBe("notes/a.txt");
    expect((await listDirTool.execute({ depth: 2 }, ctx)).text).toContain("notes/\n  a.txt  4 B");
  });

  test("a symlink inside it that points outside is still refused", async () => {
    symlinkSync(harness.outside, join(base, "real", "escape"));
    await expect(writeFileTool.execute({ path: "escape/new/file.txt", content: "x" }, ctx)).rejects.toThrow(
      /symbolic link that points outside/,
    );
    expect(existsSync(join(harness.outside, "new"))).toBe(false);
  });
});
