/**
 * SQL for sessions, messages (a tree per session), parts and turns. Synchronous (bun:sqlite); callers
 * publish events after these return. Every row carries the local user's id.
 */
import type { Database, Statement } from "bun:sqlite";
import { NotFoundError } from "../core/errors.ts";
import type { Message, MessageInfo, Part } from "../shared/parts.ts";
import type { SessionModel, SessionStatus } from "../shared/session.ts";
import {
  type MessageRow,
  type SessionCursor,
  type SessionRecord,
  type SessionRow,
  searchableText,
  type TurnRecord,
  toInfo,
  toRecord,
} from "./session-rows.ts";

/**
 * A session the user never used (SQL over `sessions AS s`): no message and no turn ever (a queued or
 * stopped one counts as use), no title given or generated, not pinned, idle. A model picked for it does
 * not make it used.
 */
const UNTOUCHED = `s.title_set = 0 AND s.title = '' AND s.pinned = 0 AND s.status = 'idle'
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id)
  AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id)`;

export class SessionRepository {
  private readonly statements: Record<string, Statement>;

  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {
    const q = (sql: string) => db.prepare(sql);
    this.statements = {
      session: q("SELECT * FROM sessions WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
      sessionAny: q("SELECT * FROM sessions WHERE id = ? AND user_id = ?"),
      insertSession: q(
        "INSERT INTO sessions (id, user_id, agent_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      insertMessage: q(
        `INSERT INTO messages (id, session_id, user_id, parent_id, depth, role, kind, turn_id, status, model, usage, attempts, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      supersede: q(
        "UPDATE messages SET superseded_by = ?, updated_at = ? WHERE id = ? AND superseded_by IS NULL",
      ),
      uncount: q("UPDATE sessions SET message_count = MAX(message_count - 1, 0) WHERE id = ?"),
      updateMessage: q("UPDATE messages SET status = ?, model = ?, usage = ?, updated_at = ? WHERE id = ?"),
      messageDepth: q("SELECT depth FROM messages WHERE id = ?"),
      upsertPart: q(
        `INSERT INTO parts (id, message_id, session_id, idx, type, data, text, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET data = excluded.data, text = excluded.text, updated_at = excluded.updated_at`,
      ),
      setHead: q(
        "UPDATE sessions SET head_id = ?, message_count = message_count + ?, updated_at = ? WHERE id = ?",
      ),
      setStatus: q("UPDATE sessions SET status = ?, last_seq = ?, updated_at = ? WHERE id = ?"),
      insertTurn: q(
        "INSERT INTO turns (id, session_id, client_turn_id, status, user_message_id, started_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      turnByClientId: q("SELECT * FROM turns WHERE session_id = ? AND client_turn_id = ?"),
      updateTurn: q(
        "UPDATE turns SET status = ?, user_message_id = COALESCE(?, user_message_id), usage = ?, ended_at = ? WHERE id = ?",
      ),
    };
  }

  createSession(id: string, agentId: string, title = "", now = Date.now()): SessionRecord {
    this.statements.insertSession?.run(id, this.userId, agentId, title, now, now);
    return this.getSession(id);
  }

  getSession(id: string): SessionRecord {
    const row = this.statements.session?.get(id, this.userId) as SessionRow | null;
    if (!row) throw new NotFoundError("Session", id);
    return toRecord(row);
  }

  findSession(id: string, includeDeleted = false): SessionRecord | undefined {
    const row = (includeDeleted ? this.statements.sessionAny : this.statements.session)?.get(
      id,
      this.userId,
    ) as SessionRow | null;
    return row ? toRecord(row) : undefined;
  }

  /**
   * Sessions pinned first, then newest first (ties by id). `after` is the last session of the previous
   * page: the next page starts right after it (keyset paging: no gaps or repeats while sessions change).
   */
  listSessions(options: { limit: number; after?: SessionCursor; agentId?: string }): SessionRecord[] {
    const params: (string | number)[] = [this.userId];
    let where = "user_id = ? AND deleted_at IS NULL";
    if (options.after) {
      where += " AND (pinned, updated_at, id) < (?, ?, ?)";
      params.push(options.after.pinned ? 1 : 0, options.after.updatedAt, options.after.id);
    }
    if (options.agentId) {
      where += " AND agent_id = ?";
      params.push(options.agentId);
    }
    params.push(options.limit);
    const rows = this.db
      .query(`SELECT * FROM sessions WHERE ${where} ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`)
      .all(...params) as SessionRow[];
    return rows.map(toRecord);
  }

  update(
    id: string,
    fields: {
      title?: string;
      titleSet?: boolean;
      pinned?: boolean;
      todos?: string;
      agentId?: string;
      /** null: back to the agent's default model. */
      model?: SessionModel | null;
    },
  ): void {
    const sets: string[] = [];
    const params: (string | number | null)[] = [];
    if (fields.title !== undefined) {
      sets.push("title = ?");
      params.push(fields.title);
    }
    if (fields.titleSet !== undefined) {
      sets.push("title_set = ?");
      params.push(fields.titleSet ? 1 : 0);
    }
    if (fields.pinned !== undefined) {
      sets.push("pinned = ?");
      params.push(fields.pinned ? 1 : 0);
    }
    if (fields.todos !== undefined) {
      sets.push("todos = ?");
      params.push(fields.todos);
    }
    if (fields.agentId !== undefined) {
      sets.push("agent_id = ?");
      params.push(fields.agentId);
    }
    if (fields.model !== undefined) {
      sets.push("model = ?");
      params.push(fields.model ? JSON.stringify(fields.model) : null);
    }
    if (sets.length === 0) return;
    this.db
      .query(`UPDATE sessions SET ${sets.join(", ")} WHERE id = ? AND user_id = ?`)
      .run(...params, id, this.userId);
  }

  touch(id: string, now = Date.now()): void {
    this.db.query("UPDATE sessions SET updated_at = ? WHERE id = ?").run(now, id);
  }

  setStatus(id: string, status: SessionStatus, lastSeq: number): void {
    this.statements.setStatus?.run(status, lastSeq, Date.now(), id);
  }

  softDelete(id: string, now = Date.now()): void {
    this.db
      .query("UPDATE sessions SET deleted_at = ? WHERE id = ? AND user_id = ?")
      .run(now, id, this.userId);
  }

  restore(id: string): void {
    this.db.query("UPDATE sessions SET deleted_at = NULL WHERE id = ? AND user_id = ?").run(id, this.userId);
  }

  /** Whether the session exists (not deleted) and is untouched (see UNTOUCHED). */
  isUntouched(id: string): boolean {
    return (
      this.db
        .query(
          `SELECT 1 FROM sessions s WHERE s.id = ? AND s.user_id = ? AND s.deleted_at IS NULL AND ${UNTOUCHED}`,
        )
        .get(id, this.userId) !== null
    );
  }

  /** Remove every untouched session for good, deleted or not; returns how many. For start-up only. */
  removeUntouched(): number {
    return this.db.query(`DELETE FROM sessions AS s WHERE s.user_id = ? AND ${UNTOUCHED}`).run(this.userId)
      .changes;
  }

  /** Deleted sessions still kept for undo: how many, and how many messages they hold. */
  deletedCount(): { sessions: number; messages: number } {
    return this.db
      .query(
        `SELECT COUNT(DISTINCT s.id) AS sessions, COUNT(m.id) AS messages
           FROM sessions s LEFT JOIN messages m ON m.session_id = s.id
          WHERE s.user_id = ? AND s.deleted_at IS NOT NULL`,
      )
      .get(this.userId) as { sessions: number; messages: number };
  }

  /** Remove sessions deleted before `olderThan` for good (events, messages, parts cascade). */
  purgeDeleted(olderThan: number): number {
    return this.db
      .query("DELETE FROM sessions WHERE user_id = ? AND deleted_at IS NOT NULL AND deleted_at < ?")
      .run(this.userId, olderThan).changes;
  }

  insertMessage(info: MessageInfo, now = Date.now()): void {
    const parentDepth = info.parentId
      ? ((this.statements.messageDepth?.get(info.parentId) as { depth: number } | null)?.depth ?? -1)
      : -1;
    this.statements.insertMessage?.run(
      info.id,
      info.sessionId,
      this.userId,
      info.parentId,
      parentDepth + 1,
      info.role,
      info.kind,
      info.turnId,
      info.status,
      info.model ?? null,
      info.usage ? JSON.stringify(info.usage) : null,
      info.attempts?.length ? JSON.stringify(info.attempts) : null,
      info.createdAt,
      now,
    );
    this.statements.setHead?.run(info.id, 1, now, info.sessionId);
  }

  /**
   * A failed attempt replaced by an automatic retry (`byId`, inserted under the same parent): it stays
   * stored but leaves the versions and the session's message count. Call before inserting `byId`.
   */
  supersede(sessionId: string, messageId: string, byId: string): void {
    if (this.statements.supersede?.run(byId, Date.now(), messageId).changes)
      this.statements.uncount?.run(sessionId);
  }

  updateMessage(info: MessageInfo): void {
    this.statements.updateMessage?.run(
      info.status,
      info.model ?? null,
      info.usage ? JSON.stringify(info.usage) : null,
      Date.now(),
      info.id,
    );
  }

  savePart(sessionId: string, messageId: string, index: number, part: Part): void {
    this.statements.upsertPart?.run(
      part.id,
      messageId,
      sessionId,
      index,
      part.type,
      JSON.stringify(part),
      searchableText(part),
      Date.now(),
    );
  }

  setHead(sessionId: string, headId: string | null): void {
    this.db
      .query("UPDATE sessions SET head_id = ?, updated_at = ? WHERE id = ?")
      .run(headId, Date.now(), sessionId);
  }

  /**
   * Messages on the active branch, newest last: the `limit` messages before `beforeMessageId`
   * (exclusive), or the newest `limit` when not given. Walks parent links from the head, so the cost
   * is proportional to `limit`, not to the session's length.
   */
  activePath(
    sessionId: string,
    options: { limit: number; beforeMessageId?: string; fromMessageId?: string },
  ): Message[] {
    const session = this.getSession(sessionId);
    let start: string | null = options.fromMessageId ?? session.headId;
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

  insertTurn(turn: TurnRecord, now = Date.now()): void {
    this.statements.insertTurn?.run(
      turn.id,
      turn.sessionId,
      turn.clientTurnId,
      turn.status,
      turn.userMessageId,
      now,
    );
  }

  turnByClientId(sessionId: string, clientTurnId: string): TurnRecord | undefined {
    const row = this.statements.turnByClientId?.get(sessionId, clientTurnId) as {
      id: string;
      session_id: string;
      client_turn_id: string;
      status: string;
      user_message_id: string | null;
    } | null;
    return row
      ? {
          id: row.id,
          sessionId: row.session_id,
          clientTurnId: row.client_turn_id,
          status: row.status,
          userMessageId: row.user_message_id,
        }
      : undefined;
  }

  updateTurn(
    id: string,
    status: string,
    fields: { userMessageId?: string; usage?: unknown; ended?: boolean } = {},
  ): void {
    this.statements.updateTurn?.run(
      status,
      fields.userMessageId ?? null,
      fields.usage ? JSON.stringify(fields.usage) : null,
      fields.ended ? Date.now() : null,
      id,
    );
  }

  /** Turns a crash left "running" or "queued" (recovered at start-up). */
  unfinishedTurns(): TurnRecord[] {
    const rows = this.db
      .query(
        "SELECT t.* FROM turns t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = ? AND t.status IN ('running', 'queued')",
      )
      .all(this.userId) as {
      id: string;
      session_id: string;
      client_turn_id: string;
      status: string;
      user_message_id: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      sessionId: row.session_id,
      clientTurnId: row.client_turn_id,
      status: row.status,
      userMessageId: row.user_message_id,
    }));
  }

  /** Messages of a turn still marked streaming (crash recovery). */
  /** The messages a turn wrote (user, assistant steps, guidance), whatever their status. */
  turnMessages(sessionId: string, turnId: string): MessageInfo[] {
    const rows = this.db
      .query("SELECT * FROM messages WHERE session_id = ? AND turn_id = ? ORDER BY created_at, rowid")
      .all(sessionId, turnId) as MessageRow[];
    return rows.map(toInfo);
  }

  streamingMessages(sessionId: string): MessageInfo[] {
    const rows = this.db
      .query("SELECT * FROM messages WHERE session_id = ? AND status = 'streaming'")
      .all(sessionId) as MessageRow[];
    return rows.map(toInfo);
  }
}
