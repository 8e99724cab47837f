/**
 * A record of the database file as Sage's last clean close left it (`<db>.clean-close`: size, inode,
 * modification time in ns).
 *
 * Contract: `recordCleanClose` runs after the final checkpoint, once no -wal is left; any later change
 * to the file (another program, a restore, a crash after the next open) changes its size or time, so
 * `unchangedSinceCleanClose` is true only for the very file that close left. Start-up skips the full
 * `quick_check` then (it reads the whole file: ~3 ms per MB) — the daily backup checks it anyway.
 * Losing or failing to write the record only costs a full check at the next start.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";

interface CleanCloseRecord {
  size: string;
  ino: string;
  mtimeNs: string;
  closedAt: number;
}

export function cleanClosePath(databasePath: string): string {
  return `${databasePath}.clean-close`;
}

function fingerprint(databasePath: string): Omit<CleanCloseRecord, "closedAt"> {
  const stat = statSync(databasePath, { bigint: true });
  return { size: String(stat.size), ino: String(stat.ino), mtimeNs: String(stat.mtimeNs) };
}

export function recordCleanClose(databasePath: string): void {
  try {
    const record: CleanCloseRecord = { ...fingerprint(databasePath), closedAt: Date.now() };
    writeFileSync(cleanClosePath(databasePath), JSON.stringify(record), { mode: 0o600 });
  } catch {
    // Disk full or folder gone: the next start runs the full check instead.
  }
}

export function forgetCleanClose(databasePath: string): void {
  rmSync(cleanClosePath(databasePath), { force: true });
}

/** True when the file is exactly as the last clean close left it. */
export function unchangedSinceCleanClose(databasePath: string): boolean {
  try {
    const record = JSON.parse(readFileSync(cleanClosePath(databasePath), "utf8")) as CleanCloseRecord;
    const now = fingerprint(databasePath);
    return record.size === now.size && record.ino === now.ino && record.mtimeNs === now.mtimeNs;
  } catch {
    return false;
  }
}
