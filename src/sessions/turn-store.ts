/**
 * The one owner of table `turns`: one row per submitted turn (its client id makes a retried submit
 * idempotent), its status as it runs and ends, its usage, and when its file changes were undone.
 * Synchronous (bun:sqlite); callers publish events after these return. SessionRepository hands these
 * out under its own name, so callers keep one repository.
 */
import type { Database, Statement } from "bun:sqlite";
import type { TurnRecord } from "./session-rows.ts";

interface TurnRow {
  id: string;
  session_id: string;
  client_turn_id: string;
  status: string;
  user_message_id: string | null;
}

export class TurnStore {
  private readonly insertStatement: Statement;
  private readonly byClientIdStatement: Statement;
  private readonly updateStatement: Statement;

  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {
    this.insertStatement = db.prepare(
      "INSERT INTO turns (id, session_id, client_turn_id, status, user_message_id, started_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.byClientIdStatement = db.prepare("SELECT * FROM turns WHERE session_id = ? AND client_turn_id = ?");
    this.updateStatement = db.prepare(
      "UPDATE turns SET status = ?, user_message_id = COALESCE(?, user_message_id), usage = ?, ended_at = ? WHERE id = ?",
    );
  }

  insert(turn: TurnRecord, now = Date.now()): void {
    this.insertStatement.run(
      turn.id,
      turn.sessionId,
      turn.clientTurnId,
      turn.status,
      turn.userMessageId,
      now,
    );
  }

  byClientId(sessionId: string, clientTurnId: string): TurnRecord | undefined {
    const row = this.byClientIdStatement.get(sessionId, clientTurnId) as TurnRow | null;
    return row ? toTurn(row) : undefined;
  }

  /** Set the status; `userMessageId` only when given, `ended_at` to now when `ended`. */
  update(
    id: string,
    status: string,
    fields: { userMessageId?: string; usage?: unknown; ended?: boolean } = {},
  ): void {
    this.updateStatement.run(
      status,
      fields.userMessageId ?? null,
      fields.usage ? JSON.stringify(fields.usage) : null,
      fields.ended ? Date.now() : null,
      id,
    );
  }

  /** Turns a crash left "running" or "queued" (recovered at start-up). */
  unfinished(): TurnRecord[] {
    const rows = this.db
      .query(
        "SELECT t.* FROM turns t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = ? AND t.status IN ('running', 'queued')",
      )
      .all(this.userId) as TurnRow[];
    return rows.map(toTurn);
  }

  /** The session a turn belongs to, or undefined for an unknown turn. */
  sessionOf(turnId: string): string | undefined {
    const row = this.db.query("SELECT session_id FROM turns WHERE id = ?").get(turnId) as {
      session_id: string;
    } | null;
    return row?.session_id;
  }

  /** Mark a turn's file changes as undone at `at` (the chat stops offering its Undo). */
  markUndone(turnId: string, at: number): void {
    this.db.query("UPDATE turns SET undone_at = ? WHERE id = ?").run(at, turnId);
  }
}

function toTurn(row: TurnRow): TurnRecord {
  return {
    id: row.id,
    sessionId: row.session_id,
    clientTurnId: row.client_turn_id,
    status: row.status,
    userMessageId: row.user_message_id,
  };
}
