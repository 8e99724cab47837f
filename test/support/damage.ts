/**
 * Test helpers for damaged database files: overwrite whole pages of a real SQLite file with garbage,
 * hash a file, list a folder — to assert a failed start left everything exactly as it was.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";

/** Overwrite `pages` (1-based, as SQLite counts; page 1 holds the header) with seeded garbage. */
export function writeGarbagePages(path: string, pages: number[], pageSize = 4096): void {
  const count = statSync(path).size / pageSize;
  const fd = openSync(path, "r+");
  try {
    for (const page of pages) {
      if (page < 1 || page > count) throw new Error(`page ${page} is not in ${path} (${count} pages)`);
      const garbage = Buffer.alloc(pageSize);
      for (let i = 0; i < pageSize; i++) garbage[i] = (i * 131 + page * 17 + 7) & 0xff;
      writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    closeSync(fd);
  }
}

export function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Names in `dir` with their sizes and modes, sorted: a snapshot to compare before and after. */
export function folderSnapshot(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const stat = statSync(`${dir}/${name}`);
      return `${name} ${stat.isDirectory() ? "dir" : stat.size} ${(stat.mode & 0o777).toString(8)}`;
    });
}

export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}
