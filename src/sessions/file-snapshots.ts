/**
 * The one owner of table `file_snapshots`: files as they were before a turn first changed them, kept
 * so the turn can be undone (src/sessions/undo.ts). The session's tool guard saves them; undo reads
 * them. One row per turn and absolute path: the first save of a path in a turn wins.
 *
 * A row with `existed = 0` is a file the turn created; `existed = 1` with `content = NULL` is a file
 * over `SNAPSHOT_LIMIT`, whose old content was not kept (undo reports it as not restorable).
 */
import type { Database } from "bun:sqlite";
import { existsSync, readFileSync, statSync } from "node:fs";

/** Files larger than this are not snapshotted: their row keeps `existed = 1` and `content = NULL`. */
export const SNAPSHOT_LIMIT = 20 * 1024 * 1024;

export interface FileSnapshot {
  path: string;
  existed: number;
  content: Uint8Array | null;
  created_at: number;
}

/** A file a turn changed, as `turnFileChanges` lists it (never with its content). */
export interface SnapshottedFile {
  turn_id: string;
  undone_at: number | null;
  path: string;
  existed: number;
}

export class FileSnapshotStore {
  constructor(private readonly db: Database) {}

  /**
   * Save what is at `path` now, before turn `turnId` changes it: its bytes (up to SNAPSHOT_LIMIT), or
   * that nothing was there. A folder is not saved (not ours to restore); a second save of the same
   * path in the same turn is ignored.
   */
  save(turnId: string, sessionId: string, path: string): void {
    let existed = 0;
    let content: Uint8Array | null = null;
    if (existsSync(path) && statSync(path).isFile()) {
      existed = 1;
      if (statSync(path).size <= SNAPSHOT_LIMIT) content = readFileSync(path);
    } else if (existsSync(path)) {
      return;
    }
    this.db
      .query(
        "INSERT OR IGNORE INTO file_snapshots (turn_id, session_id, path, existed, content, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(turnId, sessionId, path, existed, content, Date.now());
  }

  /** A turn's snapshots, by path. */
  forTurn(turnId: string): FileSnapshot[] {
    return this.db
      .query("SELECT path, existed, content, created_at FROM file_snapshots WHERE turn_id = ? ORDER BY path")
      .all(turnId) as FileSnapshot[];
  }

  /**
   * The earliest snapshot of `path` taken by another turn at or after `since`: it holds the file as the
   * earlier turn left it.
   */
  firstNewer(path: string, turnId: string, since: number): Pick<FileSnapshot, "existed" | "content"> | null {
    return this.db
      .query(
        `SELECT existed, content FROM file_snapshots
         WHERE path = ? AND turn_id != ? AND created_at >= ?
         ORDER BY created_at, rowid LIMIT 1`,
      )
      .get(path, turnId, since) as Pick<FileSnapshot, "existed" | "content"> | null;
  }

  /**
   * The files each turn of a session changed, in turn order then path, with the turn's `undone_at`
   * (read from table turns, owned by src/sessions/turn-store.ts). Only the columns before `content`:
   * a large snapshot's blob is never read here.
   */
  filesOfSession(sessionId: string): SnapshottedFile[] {
    return this.db
      .query(
        `SELECT t.id AS turn_id, t.undone_at, s.path, s.existed
         FROM turns t JOIN file_snapshots s ON s.turn_id = t.id
         WHERE t.session_id = ?
         ORDER BY t.started_at, t.id, s.path`,
      )
      .all(sessionId) as SnapshottedFile[];
  }
}
