/**
 * Files the user saves from the app window. A browser downloads exports itself; the native window
 * (WebKitGTK through webview) has no download handling, so the UI posts the file here (or, for a
 * workspace file, names it and the server copies it) and it is written into the user's Downloads
 * folder under a free name. Only a plain file name is accepted.
 */
import { constants, copyFileSync, lstatSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, extname, join } from "node:path";
import { ValidationError } from "../core/errors.ts";

export const SAVED_FILE_MAX_BYTES = 50 * 1024 * 1024;

/**
 * The XDG download folder of the user whose home is `home` (`xdg-user-dir DOWNLOAD`, asked with that
 * HOME) when the tool exists, else `home`/Downloads.
 */
export function downloadsFolder(home = homedir()): string {
  const tool = Bun.which("xdg-user-dir");
  if (tool) {
    try {
      // Another home than this process's: its own user-dirs.dirs, not the one XDG_CONFIG_HOME points at.
      const env: Record<string, string | undefined> = { ...process.env, HOME: home };
      if (home !== homedir()) delete env.XDG_CONFIG_HOME;
      const result = Bun.spawnSync([tool, "DOWNLOAD"], {
        stdout: "pipe",
        stderr: "ignore",
        timeout: 2000,
        env,
      });
      const folder = result.stdout.toString().trim();
      if (result.exitCode === 0 && folder && folder !== home) return folder;
    } catch {
      // fall through to the default
    }
  }
  return join(home, "Downloads");
}

/**
 * Write `data` as `fileName` (made unique: "name (2).ext") in `folder`; returns the full path. The file
 * is created exclusively (O_EXCL): an existing entry of that name — a file, or a symlink even when it
 * dangles — is never written through, the next free name is taken instead.
 */
export function saveDownload(folder: string, fileName: string, data: Uint8Array): string {
  if (data.byteLength > SAVED_FILE_MAX_BYTES)
    throw new ValidationError("The file is too large to save.", "data");
  return createFree(folder, fileName, (target) => writeFileSync(target, data, { flag: "wx" }));
}

/** Copy the file at `source` into `folder` as `fileName` (made unique the same way); returns the full path. */
export function copyToDownloads(folder: string, fileName: string, source: string): string {
  return createFree(folder, fileName, (target) => copyFileSync(source, target, constants.COPYFILE_EXCL));
}

/** Most attempts at a free name ("name (2).ext" ... ) before giving up. */
const MAX_NAME_ATTEMPTS = 1000;

/** Create `fileName` in `folder` (created when missing) with `create`, or the first free "name (n).ext". */
function createFree(folder: string, fileName: string, create: (target: string) => void): string {
  const clean = cleanName(fileName);
  mkdirSync(folder, { recursive: true });
  const extension = extname(clean);
  const stem = clean.slice(0, clean.length - extension.length);
  for (let n = 1; n <= MAX_NAME_ATTEMPTS; n++) {
    const target = join(folder, n === 1 ? clean : `${stem} (${n})${extension}`);
    if (exists(target)) continue;
    try {
      create(target);
      return target;
    } catch (error) {
      // Taken meanwhile: try the next name.
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    }
  }
  throw new ValidationError(`Too many files named "${clean}" in ${folder}.`, "fileName");
}

/** True when anything is at `path`, a dangling symlink included (existsSync follows links). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A plain file name: folders, control characters and leading dots dropped, at most ~200 bytes. */
function cleanName(fileName: string): string {
  let clean = basename(fileName.replace(/[\\/]/g, "_"))
    .replace(/\p{Cc}/gu, "")
    .trim()
    .replace(/^\.+/, "");
  if (!clean || clean === "." || clean === "..")
    throw new ValidationError("The file name is not valid.", "fileName");
  const extension = extname(clean).slice(0, 20);
  let stem = clean.slice(0, clean.length - extname(clean).length);
  while (Buffer.byteLength(stem) > 200) stem = stem.slice(0, -1);
  clean = `${stem}${extension}`;
  return clean;
}
