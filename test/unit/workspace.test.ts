import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { createWorkspace, isInsideRoot, WorkspaceEscapeError } from "../../src/sandbox/workspace.ts";

let base: string;
let outside: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "sage-workspace-")));
  outside = join(base, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "secret");
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function expectEscape(action: () => unknown, reason: RegExp) {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(WorkspaceEscapeError);
  expect((caught as Error).name).toBe("WorkspaceEscapeError");
  expect((caught as Error).message).toMatch(reason);
}

describe("createWorkspace", () => {
  test("creates a missing root and stores it symlink-resolved", () => {
    const root = join(base, "new", "nested");
    const workspace = createWorkspace(root);
    expect(existsSync(root)).toBe(true);
    expect(workspace.root).toBe(realpathSync(root));
  });

  test("resolves relative paths, '.', '' and inner '..' inside the root", () => {
    const workspace = createWorkspace(join(base, "ws"));
    expect(workspace.resolve("")).toBe(workspace.root);
    expect(workspace.resolve(".")).toBe(workspace.root);
    expect(workspace.resolve("a/b.txt")).toBe(join(workspace.root, "a", "b.txt"));
    expect(workspace.resolve("a/../b.txt")).toBe(join(workspace.root, "b.txt"));
    expect(workspace.resolve("./a//b/")).toBe(join(workspace.root, "a", "b"));
  });

  test("refuses '..' escapes", () => {
    const workspace = createWorkspace(join(base, "ws"));
    expectEscape(() => workspace.resolve(".."), /'\.\.'/);
    expectEscape(() => workspace.resolve("../outside/secret.txt"), /leaves the workspace/);
    expectEscape(() => workspace.resolve("a/../../outside"), /leaves the workspace/);
  });

  test("refuses absolute paths outside the root but accepts ones inside it", () => {
    const workspace = createWorkspace(join(base, "ws"));
    expectEscape(() => workspace.resolve("/etc/passwd"), /use a path relative to the workspace/);
    expectEscape(() => workspace.resolve(join(outside, "secret.txt")), /relative to the workspace/);
    expectEscape(() => workspace.resolve(`${workspace.root}-sibling/x`), /relative to the workspace/);
    expect(workspace.resolve(join(workspace.root, "notes.md"))).toBe(join(workspace.root, "notes.md"));
    expect(workspace.resolve(workspace.root)).toBe(workspace.root);
  });

  test("refuses a symlinked folder that points outside, for existing and missing files", () => {
    const workspace = createWorkspace(join(base, "ws"));
    symlinkSync(outside, join(workspace.root, "out"));
    expectEscape(() => workspace.resolve("out"), /symbolic link that points outside/);
    expectEscape(() => workspace.resolve("out/secret.txt"), /symbolic link/);
    expectEscape(() => workspace.resolve("out/new-file.txt"), /symbolic link/);
    expectEscape(() => workspace.resolve("out/new/deeper/file.txt"), /symbolic link/);
    expectEscape(() => workspace.resolve(join(workspace.root, "out", "secret.txt")), /symbolic link/);
  });

  test("refuses file symlinks, relative symlinks and dangling symlinks that point outside", () => {
    const workspace = createWorkspace(join(base, "ws"));
    symlinkSync(join(outside, "secret.txt"), join(workspace.root, "secret-link"));
    symlinkSync("../outside", join(workspace.root, "relative-out"));
    symlinkSync(join(outside, "not-yet.txt"), join(workspace.root, "dangling"));
    symlinkSync(join(outside, "missing-dir"), join(workspace.root, "dangling-dir"));
    expectEscape(() => workspace.resolve("secret-link"), /symbolic link/);
    expectEscape(() => workspace.resolve("relative-out/secret.txt"), /symbolic link/);
    expectEscape(() => workspace.resolve("dangling"), /symbolic link/);
    expectEscape(() => workspace.resolve("dangling-dir/child.txt"), /symbolic link/);
  });

  test("follows symlinks that stay inside and returns the real path", () => {
    const workspace = createWorkspace(join(base, "ws"));
    mkdirSync(join(workspace.root, "real"));
    symlinkSync(join(workspace.root, "real"), join(workspace.root, "alias"));
    symlinkSync("real/missing.txt", join(workspace.root, "dangling-inside"));
    expect(workspace.resolve("alias/file.txt")).toBe(join(workspace.root, "real", "file.txt"));
    expect(workspace.resolve("dangling-inside")).toBe(join(workspace.root, "real", "missing.txt"));
  });

  test("a workspace root that is itself a symlink works, and escapes through it are still refused", () => {
    const real = join(base, "real-root");
    mkdirSync(real);
    const linked = join(base, "linked-root");
    symlinkSync(real, linked);
    const workspace = createWorkspace(linked);
    expect(workspace.root).toBe(real);
    expect(workspace.resolve("a.txt")).toBe(join(real, "a.txt"));
    // An absolute path spelled through the symlinked root is inside.
    expect(workspace.resolve(join(linked, "a.txt"))).toBe(join(real, "a.txt"));
    symlinkSync(outside, join(real, "out"));
    expectEscape(() => workspace.resolve("out/secret.txt"), /symbolic link/);
    expectEscape(() => workspace.resolve(join(linked, "out", "x")), /symbolic link/);
    expectEscape(() => workspace.resolve("../outside"), /leaves the workspace/);
  });

  test("refuses symlink loops and NUL bytes", () => {
    const workspace = createWorkspace(join(base, "ws"));
    symlinkSync("loop-b", join(workspace.root, "loop-a"));
    symlinkSync("loop-a", join(workspace.root, "loop-b"));
    expectEscape(() => workspace.resolve("loop-a/x"), /loop/);
    expectEscape(() => workspace.resolve("a\0b"), /NUL/);
  });

  test("relative() gives '/'-separated paths, '.' for the root, and leaves outside paths absolute", () => {
    const workspace = createWorkspace(join(base, "ws"));
    expect(workspace.relative(workspace.root)).toBe(".");
    expect(workspace.relative(join(workspace.root, "a", "b.txt"))).toBe("a/b.txt");
    expect(workspace.relative(join(outside, "secret.txt"))).toBe(join(outside, "secret.txt"));
  });

  test("isInsideRoot does not confuse a sibling with a common prefix", () => {
    expect(isInsideRoot("/a/ws", "/a/ws")).toBe(true);
    expect(isInsideRoot("/a/ws", "/a/ws/x")).toBe(true);
    expect(isInsideRoot("/a/ws", "/a/ws-other/x")).toBe(false);
    expect(isInsideRoot("/a/ws", "/a")).toBe(false);
    expect(isInsideRoot("/a/ws", "/a/ws/..foo")).toBe(true);
  });

  test("property: any path built from tricky segments resolves inside the root or is refused", () => {
    const workspace = createWorkspace(join(base, "ws"));
    mkdirSync(join(workspace.root, "dir"));
    symlinkSync(outside, join(workspace.root, "out"));
    symlinkSync(join(workspace.root, "dir"), join(workspace.root, "in"));
    symlinkSync("..", join(workspace.root, "dir", "up"));
    const segment = fc.constantFrom("dir", "out", "in", "up", "..", ".", "new", "secret.txt", "");
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (segments, absolute) => {
        const requested = (absolute ? `${workspace.root}/` : "") + segments.join("/");
        try {
          const resolved = workspace.resolve(requested);
          return isInsideRoot(workspace.root, resolved);
        } catch (error) {
          return error instanceof WorkspaceEscapeError;
        }
      }),
      { numRuns: 500 },
    );
  });
});
