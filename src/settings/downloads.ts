/**
 * Files the user saves from the app window. A browser downloads exports itself; the native window
 * (WebKitGTK through webview) has no download handling, so the UI posts the file here (or, for a
 * workspace file, names it and the server copies it) and it is written into the user's Downloads
 * folder under a free name. Only a plain file name is accepted.
 */
import { constants, copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, extname, join } from "node:path";
import { ValidationError } from "../core/errors.ts";

export const SAVED_FILE_MAX_BYTES = 50 * 1024 * 1024;

/** The XDG download folder (`xdg-user-dir DOWNLOAD`) when the tool exists, else ~/Downloads. */
export function downloadsFolder(home = homedir()): string {
  const tool = Bun.which("xdg-user-dir");
  if (tool) {
    try {
      const result = Bun.spawnSync([tool, "DOWNLOAD"], { stdout: "pipe", stderr: "ignore", timeout: 2000 });
      const folder = result.stdout.toString().trim();
      if (result.exitCode === 0 && folder && folder !== home) return folder;
    } catch {
      // fall through to the default
    }
  }
  return join(home, "Downloads");
}

/** Write `data` as `fileName` (made unique: "name (2).ext") in `folder`; returns the full path. */
export function saveDownload(folder: string, fileName: string, data: Uint8Array): string {
  if (data.byteLength > SAVED_FILE_MAX_BYTES)
    throw new ValidationError("The file is too large to save.", "data");
  const target = freeTarget(folder, fileName);
  writeFileSync(target, data, { flag: "wx" });
  return target;
}

/** Copy the file at `source` into `folder` as `fileName` (made unique the same way); returns the full path. */
export function copyToDownloads(folder: string, fileName: string, source: string): string {
  const target = freeTarget(folder, fileName);
  copyFileSync(source, target, constants.COPYFILE_EXCL);
  return target;
}

/** A free path for `fileName` in `folder` (created when missing): "name.ext", else "name (2).ext" ... */
function freeTarget(folder: string, fileName: string): string {
  const clean = basename(fileName.replace(/[\\/]/g, "_"))
    .split("")
    .filter((character) => character.charCodeAt(0) >= 0x20)
    .join("")
    .trim()
    .replace(/^\.+/, "");
  if (!clean || clean === "." || clean === "..")
    throw new ValidationError("The file name is not valid.", "fileName");
  mkdirSync(folder, { recursive: true });
  const extension = extname(clean);
  const stem = clean.slice(0, clean.length - extension.length);
  let target = join(folder, clean);
  for (let n = 2; existsSync(target); n++) target = join(folder, `${stem} (${n})${extension}`);
  return target;
}
