/**
 * The files a person picked in the portal's "Open" dialog, read for the page that asked (attachments,
 * imports): the page gets the same bytes its own file input would have given it.
 *
 * Contract of `readChosenFiles(paths, limits)`:
 * - returns, in the dialog's order, each file's base name, size and bytes as base64;
 * - a path that is not a regular file (a folder, a device, gone since the dialog) is a ValidationError
 *   naming it; a file over `limits.perFile`, or all of them together over `limits.total`, is a
 *   ContentTooLargeError naming the file — checked on sizes before anything is read.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { ContentTooLargeError, ValidationError } from "../core/errors.ts";
import { formatBytes } from "../shared/byte-size.ts";
import type { ChosenFile } from "../shared/desktop.ts";
import { ATTACHMENT_MAX_BYTES } from "../shared/workspace.ts";

export type { ChosenFile };

export interface ChosenFileLimits {
  perFile: number;
  total: number;
}

/** Each file as large as an attachment may be (src/shared/workspace.ts); what one dialog returns is capped at 64 MiB. */
export const CHOSEN_FILE_LIMITS: ChosenFileLimits = {
  perFile: ATTACHMENT_MAX_BYTES,
  total: 64 * 1024 * 1024,
};

export async function readChosenFiles(
  paths: string[],
  limits: ChosenFileLimits = CHOSEN_FILE_LIMITS,
): Promise<ChosenFile[]> {
  const sizes: number[] = [];
  let total = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ValidationError(`${basename(path)} is not a file Sage can open.`, "paths");
    if (info.size > limits.perFile) {
      throw new ContentTooLargeError(
        `${basename(path)} is larger than ${formatBytes(limits.perFile)}.`,
        limits.perFile,
        "paths",
      );
    }
    total += info.size;
    if (total > limits.total) {
      throw new ContentTooLargeError(
        `The chosen files are larger than ${formatBytes(limits.total)} together (at ${basename(path)}).`,
        limits.total,
        "paths",
      );
    }
    sizes.push(info.size);
  }
  const files: ChosenFile[] = [];
  for (const [index, path] of paths.entries()) {
    const bytes = await Bun.file(path).bytes();
    files.push({ name: basename(path), size: sizes[index] ?? bytes.length, base64: bytes.toBase64() });
  }
  return files;
}
