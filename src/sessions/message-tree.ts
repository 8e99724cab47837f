/**
 * Reading the message tree of a session (table messages with their parts): the active branch from
 * its head, messages by id, the versions of a message (its siblings of the same role: edits and
 * regenerations) and a turn's messages. Reads only; the writes are in repository.ts, which hands these
 * out under its own name. Superseded attempts (automatic retries) are never versions.
 */
import type { Database } from "bun:sqlite";
import { NotFoundError } from "../core/errors.ts";
import type { Message, MessageInfo, Part } from "../shared/parts.ts";
import { type MessageRow, toInfo } from "./session-rows.ts";

export class MessageTree {
  constructor(private readonly db: Database) {}

  /**
   * Messages on the active branch, newest last: the `limit` messages before `beforeMessageId`
   * (exclusive), or the newest `limit` when not given. Walks parent links from the head, so the cost
   * is proportional to `limit`, not to the session's length.
   */
  activePath(
    sessionId: string,
    headId: string | null,
    options: { limit: number; beforeMessageId?: string; fromMessageId?: string },
  ): Message[] {
    let start: string | null = options.fromMessageId ?? headId;
    if (options.beforeMessageId) {
      const row = this.db
        .query("SELECT parent_id FROM messages WHERE id = ? AND session_id = ?")
        .get(options.beforeMessageId, sessionId) as { parent_id: string | null } | null;
      start = row?.parent_id ?? null;
    }
    if (!start) return [];
    const rows = this.db
      .query(
        `WITH RECURSIVE path(id, parent_id, n) AS (
           SELECT id, parent_id, 1 FROM messages WHERE id = ?
           UNION ALL
           SELECT m.id, m.parent_id, p.n + 1 FROM messages m JOIN path p ON m.id = p.parent_id WHERE p.n < ?
         )
         SELECT m.* FROM path JOIN messages m ON m.id = path.id ORDER BY m.depth ASC`,
      )
      .all(start, options.limit) as MessageRow[];
    return this.withParts(rows);
  }

  /** Messages by id (any branch), with their parts. */
  messagesById(ids: string[]): Message[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .query(`SELECT * FROM messages WHERE id IN (${ids.map(() => "?").join(",")}) ORDER BY depth`)
      .all(...ids) as MessageRow[];
    return this.withParts(rows);
  }

  private withParts(rows: MessageRow[]): Message[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => "?").join(",");
    const parts = this.db
      .query(`SELECT message_id, data FROM parts WHERE message_id IN (${marks}) ORDER BY idx`)
      .all(...ids) as {
      message_id: string;
      data: string;
    }[];
    const byMessage = new Map<string, Part[]>();
    for (const part of parts) {
      const list = byMessage.get(part.message_id) ?? [];
      list.push(JSON.parse(part.data) as Part);
      byMessage.set(part.message_id, list);
    }
    const versions = this.versionsOf(rows);
    return rows.map((row) => ({
      info: { ...toInfo(row), versions: versions.get(row.id) },
      parts: byMessage.get(row.id) ?? [],
    }));
  }

  /** For messages with siblings of the same role (edits, regenerations): their position among them. */
  private versionsOf(rows: MessageRow[]): Map<string, { index: number; count: number }> {
    const result = new Map<string, { index: number; count: number }>();
    const parents = [...new Set(rows.map((r) => r.parent_id).filter((p): p is string => p !== null))];
    const roots = rows.some((r) => r.parent_id === null);
    if (parents.length === 0 && !roots) return result;
    const siblings = this.db
      .query(
        `SELECT id, parent_id, role FROM messages WHERE session_id = ? AND superseded_by IS NULL AND (parent_id IN (${parents.map(() => "?").join(",") || "''"}) ${roots ? "OR parent_id IS NULL" : ""}) ORDER BY created_at, rowid`,
      )
      .all(rows[0]?.session_id ?? "", ...parents) as { id: string; parent_id: string | null; role: string }[];
    const groups = new Map<string, string[]>();
    for (const s of siblings) {
      const key = `${s.parent_id ?? ""}\u0000${s.role}`;
      groups.set(key, [...(groups.get(key) ?? []), s.id]);
    }
    for (const row of rows) {
      const group = groups.get(`${row.parent_id ?? ""}\u0000${row.role}`);
      if (group && group.length > 1)
        result.set(row.id, { index: group.indexOf(row.id) + 1, count: group.length });
    }
    return result;
  }

  /** The versions of a message: it and its siblings of the same role, oldest first (superseded attempts are none). */
  siblings(messageId: string): string[] {
    const row = this.db
      .query("SELECT session_id, parent_id, role FROM messages WHERE id = ?")
      .get(messageId) as { session_id: string; parent_id: string | null; role: string } | null;
    if (!row) throw new NotFoundError("Message", messageId);
    const rows = this.db
      .query(
        `SELECT id FROM messages WHERE session_id = ? AND role = ? AND superseded_by IS NULL AND ${row.parent_id === null ? "parent_id IS NULL" : "parent_id = ?"} ORDER BY created_at, rowid`,
      )
      .all(
        ...([row.session_id, row.role, ...(row.parent_id === null ? [] : [row.parent_id])] as string[]),
      ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Children of a message (for switching branches: the newest leaf under a chosen version). */
  newestLeafUnder(messageId: string): string {
    let current = messageId;
    for (;;) {
      const child = this.db
        .query(
          "SELECT id FROM messages WHERE parent_id = ? AND superseded_by IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1",
        )
        .get(current) as { id: string } | null;
      if (!child) return current;
      current = child.id;
    }
  }

  message(id: string): MessageInfo | undefined {
    const row = this.db.query("SELECT * FROM messages WHERE id = ?").get(id) as MessageRow | null;
    return row ? toInfo(row) : undefined;
  }

  /** The messages a turn wrote (user, assistant steps, guidance), whatever their status. */
  turnMessages(sessionId: string, turnId: string): MessageInfo[] {
    const rows = this.db
      .query("SELECT * FROM messages WHERE session_id = ? AND turn_id = ? ORDER BY created_at, rowid")
      .all(sessionId, turnId) as MessageRow[];
    return rows.map(toInfo);
  }

  /** Messages of a session still marked streaming (crash recovery). */
  streamingMessages(sessionId: string): MessageInfo[] {
    const rows = this.db
      .query("SELECT * FROM messages WHERE session_id = ? AND status = 'streaming'")
      .all(sessionId) as MessageRow[];
    return rows.map(toInfo);
  }
}
