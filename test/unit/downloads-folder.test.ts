/**
 * Where "save to Downloads" writes: the Downloads folder of the home Sage runs for (its Paths.home), asked
 * of `xdg-user-dir` with that HOME, never the folder of whatever home this process started with; and
 * saved names never overwrite.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { downloadsFolder, saveDownload } from "../../src/settings/downloads.ts";

const root = mkdtempSync(join(tmpdir(), "sage-downloads-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("a home with its own user-dirs.dirs: its configured download folder", () => {
  if (!Bun.which("xdg-user-dir")) return; // without the tool the default below is all there is
  const home = join(root, "configured");
  mkdirSync(join(home, ".config"), { recursive: true });
  writeFileSync(join(home, ".config", "user-dirs.dirs"), 'XDG_DOWNLOAD_DIR="$HOME/Fetched"\n');
  expect(downloadsFolder(home)).toBe(join(home, "Fetched"));
});

test("a home without XDG settings: <home>/Downloads, not this process's own home", () => {
  const home = join(root, "plain");
  mkdirSync(home, { recursive: true });
  expect(downloadsFolder(home)).toBe(join(home, "Downloads"));
});

test("saving never overwrites: the next free name is taken", () => {
  const folder = join(root, "saves");
  const first = saveDownload(folder, "notes.md", new TextEncoder().encode("one"));
  const second = saveDownload(folder, "notes.md", new TextEncoder().encode("two"));
  expect(first).toBe(join(folder, "notes.md"));
  expect(second).toBe(join(folder, "notes (2).md"));
  expect(readFileSync(first, "utf8")).toBe("one");
  // A name with a path in it stays a plain name in the folder.
  expect(saveDownload(folder, "../escape.md", new Uint8Array(1))).toBe(join(folder, "_escape.md"));
});
