/**
 * Unpacking a zip someone handed us without letting it take the machine: what an archive *declares*
 * (entry sizes, counts) is never trusted; what it *inflates to* is counted while inflating.
 *
 * Contract of `unzipBounded(zip, limits)`:
 * - The archive is read front to back with fflate's streaming `Unzip`, fed in slices of `sliceBytes`;
 *   after WORK_BUDGET_MS of work the event loop gets a turn, so a large or hostile archive never holds
 *   the server for long (one slice inflates to at most ~1000× its size: 2 KiB → ~2 MiB, ~20 ms).
 * - Stops, throwing `ContentTooLargeError` (413), as soon as the entries seen exceed `maxEntries`, the
 *   bytes inflated so far exceed `maxTotalBytes`, or an entry inflates to more than the size it declares
 *   in its header (the classic zip bomb: a 1 KiB entry that is really 1 GiB). Nothing is kept then.
 * - `keep(name)` picks the entries to inflate; the others are skipped without inflating them.
 * - Data that does not start like a zip, or a malformed archive, throws `BadArchiveError`.
 * Returns the kept entries by their raw names, in archive order.
 */
import type { Unzip, UnzipFile } from "fflate";
import { ContentTooLargeError } from "../core/errors.ts";
import { formatBytes } from "../shared/byte-size.ts";

export interface UnzipLimits {
  /** Most entries (files and folders) in the archive. */
  maxEntries: number;
  /** Most bytes all kept entries may inflate to together. */
  maxTotalBytes: number;
  /** Archive bytes fed per push (default 2 KiB). */
  sliceBytes?: number;
  /** Names the archive in messages ("skill.zip"). */
  label: string;
}

/** The archive cannot be read as a zip. */
export class BadArchiveError extends Error {
  override readonly name = "BadArchiveError";
}

const DEFAULT_SLICE_BYTES = 2 * 1024;
/** Work done between two turns of the event loop, ms (plus at most one slice). */
const WORK_BUDGET_MS = 8;

export async function unzipBounded(
  zip: Uint8Array,
  limits: UnzipLimits,
  keep: (name: string) => boolean = () => true,
): Promise<Map<string, Uint8Array>> {
  const { label } = limits;
  if (!startsLikeZip(zip)) throw new BadArchiveError(`${label} is not a valid zip archive.`);
  // Loaded on first use: fflate's module loads node:worker_threads, ~4 MiB resident for a start-up
  // that may never see a zip.
  const { Unzip: UnzipStream, UnzipInflate } = await import("fflate");
  const files = new Map<string, Uint8Array>();
  const open = new Set<UnzipFile>();
  let entries = 0;
  let total = 0;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const file of open) file.terminate();
    open.clear();
  };

  const unzip: Unzip = new UnzipStream((file) => {
    if (failure) return;
    entries++;
    if (entries > limits.maxEntries) {
      fail(
        new ContentTooLargeError(
          `${label} is too large: it has more than ${limits.maxEntries} entries; nothing was imported.`,
          0,
        ),
      );
      return;
    }
    if (!keep(file.name)) return;
    const declared = file.originalSize;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        fail(new BadArchiveError(`${label} is not a valid zip archive (${error.message}).`));
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (declared !== undefined && size > declared) {
        fail(
          new ContentTooLargeError(
            `${label} is too large: "${file.name}" inflates to more than the ${formatBytes(declared)} it declares; nothing was imported.`,
            declared,
          ),
        );
        return;
      }
      if (total > limits.maxTotalBytes) {
        fail(
          new ContentTooLargeError(
            `${label} is too large: it inflates to more than ${formatBytes(limits.maxTotalBytes)}; nothing was imported.`,
            limits.maxTotalBytes,
          ),
        );
        return;
      }
      chunks.push(chunk);
      if (final) {
        open.delete(file);
        files.set(file.name, concat(chunks, size));
      }
    };
    open.add(file);
    file.start();
  });
  unzip.register(UnzipInflate);

  const slice = limits.sliceBytes ?? DEFAULT_SLICE_BYTES;
  let sliceStarted = performance.now();
  for (let offset = 0; offset < zip.length || offset === 0; offset += slice) {
    const end = Math.min(offset + slice, zip.length);
    try {
      unzip.push(zip.subarray(offset, end), end >= zip.length);
    } catch (error) {
      fail(new BadArchiveError(`${label} is not a valid zip archive (${String(error)}).`));
    }
    if (failure) throw failure;
    if (end >= zip.length) break;
    if (performance.now() - sliceStarted >= WORK_BUDGET_MS) {
      await nextTurn();
      sliceStarted = performance.now();
    }
  }
  if (open.size > 0) throw new BadArchiveError(`${label} ends in the middle of an entry.`);
  return files;
}

/** A zip starts with a local file header, or is the empty archive's end record alone. */
function startsLikeZip(zip: Uint8Array): boolean {
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b) return false;
  return (zip[2] === 3 && zip[3] === 4) || (zip[2] === 5 && zip[3] === 6);
}

/**
 * Let the event loop run (other requests, /api/health) before the next slice. A timer, not
 * setImmediate: Bun may run a chain of immediates before it polls sockets again.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
