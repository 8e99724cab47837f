/**
 * SQL for sessions and the writes of messages (a tree per session) and parts. Synchronous (bun:sqlite);
 * callers publish events after these return. Every row carries the local user's id. Reads of the message
 * tree are in message-tree.ts and the turns table is turn-store.ts's; this class hands both out under its
 * own name so callers keep one repository.
 */
import type { Database, Statement } from "bun:sqlite";
import { NotFoundError } from "../core/errors.ts";
import type { SessionDelegation } from "../shared/delegation.ts";
import type { Message, MessageInfo, Part } from "../shared/parts.ts";
import type { SessionModel, SessionStatus } from "../shared/session.ts";
import { MessageTree } from "./message-tree.ts";
import {
  type SessionCursor,
  type SessionRecord,
  type SessionRow,
  searchableText,
  type TurnRecord,
  toRecord,
} from "./session-rows.ts";
import { TurnStore } from "./turn-store.ts";

/**
 * A session the user never used (SQL over `sessions AS s`): no message and no turn ever (a queued or
 * stopped one counts as use), no title given or generated, not pinned, idle. A model picked for it does
 * not make it used.
 */
const UNTOUCHED = `s.title_set = 0 AND s.title = '' AND s.pinned = 0 AND s.status = 'idle'
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id)
  AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id)`;

/** A session and its sub-agents' chats, at any depth (bind the session id first). */
const SESSION_TREE =
  "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT s.id FROM sessions s JOIN tree ON s.parent_id = tree.id)";

export class SessionRepository {
  private readonly statements: Record<string, Statement>;
  private readonly tree: MessageTree;
  private readonly turns: TurnStore;

  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {
    this.tree = new MessageTree(db);
    this.turns = new TurnStore(db, userId);
    const q = (sql: string) => db.prepare(sql);
    this.statements = {
      session: q("SELECT * FROM sessions WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
      sessionAny: q("SELECT * FROM sessions WHERE id = ? AND user_id = ?"),
      insertSession: q(
        "INSERT INTO sessions (id, user_id, agent_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      insertMessage: q(
        `INSERT INTO messages (id, session_id, user_id, parent_id, depth, role, kind, turn_id, status, model, usage, attempts, plan_mode, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    };
  }

  createSession(id: string, agentId: string, title = "", now = Date.now()): SessionRecord {
    this.statements.insertSession?.run(id, this.userId, agentId, title, now, now);
    return this.getSession(id);
  }

  /** A sub-agent's chat: a session linked to its parent (not listed with the user's own chats). */
  createChildSession(
    id: string,
    agentId: string,
    title: string,
    delegation: SessionDelegation,
  ): SessionRecord {
    const now = Date.now();
    this.db
      .query(
        "INSERT INTO sessions (id, user_id, agent_id, title, title_set, parent_id, delegation, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
      )
      .run(id, this.userId, agentId, title, delegation.parentSessionId, JSON.stringify(delegation), now, now);
    return this.getSession(id);
  }

  /** The sub-agents' chats a session started directly (not deleted), oldest first. */
  childSessions(parentId: string): SessionRecord[] {
    const rows = this.db
      .query(
        "SELECT * FROM sessions WHERE parent_id = ? AND user_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
      )
      .all(parentId, this.userId) as SessionRow[];
    return rows.map(toRecord);
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
    let where = "user_id = ? AND deleted_at IS NULL AND parent_id IS NULL";
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

  /** Deletes the session with its sub-agents' chats (they go, and come back, together). */
  softDelete(id: string, now = Date.now()): void {
    this.db
      .query(
        `${SESSION_TREE} UPDATE sessions SET deleted_at = ? WHERE user_id = ? AND deleted_at IS NULL AND id IN tree`,
      )
      .run(id, now, this.userId);
  }

  /** Restores the session and the sub-agents' chats deleted with it. */
  restore(id: string): void {
    const deletedAt = (
      this.db.query("SELECT deleted_at FROM sessions WHERE id = ? AND user_id = ?").get(id, this.userId) as {
        deleted_at: number | null;
      } | null
    )?.deleted_at;
    this.db
      .query(
        `${SESSION_TREE} UPDATE sessions SET deleted_at = NULL WHERE user_id = ? AND id IN tree AND (id = ? OR deleted_at = ?)`,
      )
      .run(id, this.userId, id, deletedAt ?? null);
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
      info.plan ? 1 : null,
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
   * (exclusive), or the newest `limit` when not given (see MessageTree.activePath).
   */
  activePath(
    sessionId: string,
    options: { limit: number; beforeMessageId?: string; fromMessageId?: string },
  ): Message[] {
    return this.tree.activePath(sessionId, this.getSession(sessionId).headId, options);
  }

  /** Messages by id (any branch), with their parts. */
  messagesById(ids: string[]): Message[] {
    return this.tree.messagesById(ids);
  }

  /** The versions of a message: it and its siblings of the same role, oldest first. */
  siblings(messageId: string): string[] {
    return this.tree.siblings(messageId);
  }

  /** The newest leaf under a message (for switching branches to a chosen version). */
  newestLeafUnder(messageId: string): string {
    return this.tree.newestLeafUnder(messageId);
  }

  message(id: string): MessageInfo | undefined {
    return this.tree.message(id);
  }

  /** The messages a turn wrote (user, assistant steps, guidance), whatever their status. */
  turnMessages(sessionId: string, turnId: string): MessageInfo[] {
    return this.tree.turnMessages(sessionId, turnId);
  }

  /** Messages of a session still marked streaming (crash recovery). */
  streamingMessages(sessionId: string): MessageInfo[] {
    return this.tree.streamingMessages(sessionId);
  }

  insertTurn(turn: TurnRecord, now = Date.now()): void {
    this.turns.insert(turn, now);
  }

  turnByClientId(sessionId: string, clientTurnId: string): TurnRecord | undefined {
    return this.turns.byClientId(sessionId, clientTurnId);
  }

  updateTurn(
    id: string,
    status: string,
    fields: { userMessageId?: string; usage?: unknown; ended?: boolean } = {},
  ): void {
    this.turns.update(id, status, fields);
  }

  /** Turns a crash left "running" or "queued" (recovered at start-up). */
  unfinishedTurns(): TurnRecord[] {
    return this.turns.unfinished();
  }

  /** The session a turn belongs to, or undefined for an unknown turn. */
  turnSessionId(turnId: string): string | undefined {
    return this.turns.sessionOf(turnId);
  }

  /** Mark a turn's file changes as undone at `at`. */
  markTurnUndone(turnId: string, at: number): void {
    this.turns.markUndone(turnId, at);
  }
}
