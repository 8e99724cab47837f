/**
 * The audit log of tool runs (table tool_runs): written by the session's tool guard for every call the
 * model makes, and by the "try it" runner for runs the user starts by hand (decision "manual", empty
 * session id). Read newest first, a page at a time, optionally for one tool or one session.
 *
 * Paging uses a cursor `"<startedAt>:<id>"` (the last row of the previous page), so rows that share a
 * start time are neither skipped nor repeated.
 */
import type { Database } from "bun:sqlite";
import { ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { AuditEntry, AuditPage } from "../shared/tools-api.ts";

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAXIMUM = 500;

export interface AuditRecord {
  sessionId: string;
  agentId: string;
  turnId: string | null;
  callId: string;
  tool: string;
  input: unknown;
  decision: string;
  status: string;
  summary: string;
  startedAt: number;
  endedAt: number;
}

export interface AuditQuery {
  limit?: number;
  /** A cursor from `nextBefore`, or a plain start time in milliseconds (rows strictly older). */
  before?: string;
  tool?: string;
  sessionId?: string;
}

interface AuditRow {
  id: string;
  session_id: string;
  agent_id: string;
  turn_id: string | null;
  call_id: string;
  tool: string;
  input: string;
  decision: string;
  status: string;
  summary: string;
  started_at: number;
  ended_at: number | null;
}

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /** Append a run; returns its id. Inputs are stored as JSON cut at 20,000 characters. */
  record(entry: AuditRecord): string {
    const id = newId("run");
    this.db
      .query(
        `INSERT INTO tool_runs (id, user_id, session_id, agent_id, turn_id, call_id, tool, input, decision, status, summary, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        this.userId,
        entry.sessionId,
        entry.agentId,
        entry.turnId,
        entry.callId,
        entry.tool,
        (JSON.stringify(entry.input ?? {}) ?? "null").slice(0, 20_000),
        entry.decision,
        entry.status,
        entry.summary.slice(0, 500),
        entry.startedAt,
        entry.endedAt,
      );
    return id;
  }

  /** A page of runs, newest first. Throws `ValidationError` for a malformed cursor. */
  page(query: AuditQuery = {}): AuditPage {
    const limit = Math.min(Math.max(query.limit ?? AUDIT_PAGE_DEFAULT, 1), AUDIT_PAGE_MAXIMUM);
    const conditions = ["user_id = ?"];
    const values: (string | number)[] = [this.userId];
    if (query.tool) {
      conditions.push("tool = ?");
      values.push(query.tool);
    }
    if (query.sessionId !== undefined && query.sessionId !== "") {
      conditions.push("session_id = ?");
      values.push(query.sessionId);
    }
    if (query.before) {
      const cursor = parseCursor(query.before);
      if (cursor.id === undefined) {
        conditions.push("started_at < ?");
        values.push(cursor.startedAt);
      } else {
        conditions.push("(started_at < ? OR (started_at = ? AND id < ?))");
        values.push(cursor.startedAt, cursor.startedAt, cursor.id);
      }
    }
    const rows = this.db
      .query(
        `SELECT id, session_id, agent_id, turn_id, call_id, tool, input, decision, status, summary, started_at, ended_at
         FROM tool_runs WHERE ${conditions.join(" AND ")} ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(...values, limit + 1) as AuditRow[];
    const entries = rows.slice(0, limit).map(toEntry);
    const last = entries[entries.length - 1];
    return rows.length > limit && last
      ? { entries, nextBefore: `${last.startedAt}:${last.id}` }
      : { entries };
  }
}

function parseCursor(text: string): { startedAt: number; id?: string } {
  const match = /^(\d{1,16})(?::([\w-]{1,100}))?$/.exec(text.trim());
  if (!match) {
    throw new ValidationError(
      `"before" must be a cursor from a previous page (nextBefore) or a time in milliseconds, got "${text.slice(0, 100)}".`,
      "before",
    );
  }
  return { startedAt: Number(match[1]), id: match[2] };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    sessionId: row.session_id,
    agentId: row.agent_id,
    turnId: row.turn_id,
    callId: row.call_id,
    tool: row.tool,
    input: row.input,
    decision: row.decision,
    status: row.status,
    summary: row.summary,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}
