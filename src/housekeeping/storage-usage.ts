/**
 * What takes space in Sage's folders (Settings → Storage): the database, its backups, logs, browser
 * profiles, each agent's workspace and the tool outputs saved inside it.
 *
 * Contract:
 * - Folder sizes are summed asynchronously (never a synchronous walk on the server's thread), a few
 *   directories at a time, and stop after `maxEntries` entries per folder: the result then says
 *   `complete: false` and the size is a lower bound. Symlinks are not followed (their own size counts).
 * - A folder that does not exist is 0 bytes, complete. Unreadable entries are skipped.
 * - Saved tool outputs are the files in `<workspace>/.sage/tool-output` (src/agent/history.ts); `oldBytes`
 *   and `oldFiles` count those last modified before `olderThan`, what `removeOldToolOutputs` would remove.
 */

import type { Database } from "bun:sqlite";
import { lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_TOOL_OUTPUT_DIR } from "../agent/history.ts";
import { journalPathFor } from "../store/event-journal.ts";

export interface FolderSize {
  path: string;
  bytes: number;
  files: number;
  /** False when the walk stopped at its entry limit: `bytes` and `files` are lower bounds. */
  complete: boolean;
}

export interface DatabaseSize {
  path: string;
  /** The database file plus its -wal and -shm files and its event journal (-events). */
  bytes: number;
  walBytes: number;
  /** Space inside the file that holds no data any more (freed pages): what compacting gives back. */
  freeBytes: number;
}

export interface ToolOutputSize extends FolderSize {
  oldFiles: number;
  oldBytes: number;
}

const DEFAULT_MAX_ENTRIES = 200_000;

/** Sum a folder's size; see the module contract for limits. */
export async function folderSize(path: string, maxEntries = DEFAULT_MAX_ENTRIES): Promise<FolderSize> {
  const result: FolderSize = { path, bytes: 0, files: 0, complete: true };
  let seen = 0;
  const pending = [path];
  while (pending.length > 0) {
    const batch = pending.splice(0, 8);
    const listings = await Promise.all(
      batch.map((dir) => readdir(dir, { withFileTypes: true }).catch(() => null)),
    );
    for (let index = 0; index < batch.length; index++) {
      const entries = listings[index];
      const dir = batch[index];
      if (!entries || dir === undefined) continue;
      for (const entry of entries) {
        if (++seen > maxEntries) {
          result.complete = false;
          return result;
        }
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          pending.push(full);
          continue;
        }
        const info = await lstat(full).catch(() => null);
        if (!info) continue;
        result.bytes += info.size;
        result.files++;
      }
    }
  }
  return result;
}

/** The saved tool outputs of one workspace, and how many are older than `olderThan` (ms since the epoch). */
export async function toolOutputSize(workspaceRoot: string, olderThan: number): Promise<ToolOutputSize> {
  const dir = join(workspaceRoot, DEFAULT_TOOL_OUTPUT_DIR);
  const result: ToolOutputSize = { path: dir, bytes: 0, files: 0, complete: true, oldFiles: 0, oldBytes: 0 };
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await lstat(join(dir, entry.name)).catch(() => null);
    if (!info) continue;
    result.bytes += info.size;
    result.files++;
    if (info.mtimeMs < olderThan) {
      result.oldBytes += info.size;
      result.oldFiles++;
    }
  }
  return result;
}

/**
 * Remove the saved tool outputs last modified before `olderThan`. Only plain files directly in the
 * tool-output folder are touched; the model then reads "the full output was removed" if it asks.
 */
export async function removeOldToolOutputs(
  workspaceRoot: string,
  olderThan: number,
): Promise<{ files: number; bytes: number }> {
  const dir = join(workspaceRoot, DEFAULT_TOOL_OUTPUT_DIR);
  const removed = { files: 0, bytes: 0 };
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(dir, entry.name);
    const info = await lstat(full).catch(() => null);
    if (!info || info.mtimeMs >= olderThan) continue;
    await rm(full, { force: true });
    removed.files++;
    removed.bytes += info.size;
  }
  return removed;
}

/** The database's size on disk and the free space inside it. */
export async function databaseSize(db: Database, path: string): Promise<DatabaseSize> {
  const sizeOf = async (file: string) => (await lstat(file).catch(() => null))?.size ?? 0;
  const [main, wal, shm, journal] = await Promise.all(
    [path, `${path}-wal`, `${path}-shm`, journalPathFor(path)].map(sizeOf),
  );
  const pageSize = (db.query("PRAGMA page_size").get() as { page_size: number }).page_size;
  const free = (db.query("PRAGMA freelist_count").get() as { freelist_count: number }).freelist_count;
  return {
    path,
    bytes: (main ?? 0) + (wal ?? 0) + (shm ?? 0) + (journal ?? 0),
    walBytes: wal ?? 0,
    freeBytes: pageSize * free,
  };
}
