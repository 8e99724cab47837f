/**
 * The sessions tables' rows and what they become: records and summaries for sessions, infos for
 * messages, the paging cursor, turn records, and the text full-text search indexes for a part.
 * Pure mapping, no SQL (the SQL is in repository.ts).
 */
import { ValidationError } from "../core/errors.ts";
import type { SessionDelegation } from "../shared/delegation.ts";
import type { MessageInfo, Part } from "../shared/parts.ts";
import type { SessionModel, SessionStatus, SessionSummary } from "../shared/session.ts";

export interface SessionRow {
  id: string;
  agent_id: string;
  title: string;
  title_set: number;
  pinned: number;
  status: SessionStatus;
  head_id: string | null;
  last_seq: number;
  message_count: number;
  todos: string;
  model: string | null;
  parent_id: string | null;
  /** JSON SessionDelegation (sub-agents), or null. */
  delegation: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: string;
  session_id: string;
  parent_id: string | null;
  depth: number;
  role: "user" | "assistant";
  kind: MessageInfo["kind"];
  turn_id: string | null;
  status: MessageInfo["status"];
  model: string | null;
  usage: string | null;
  /** JSON FailedAttempt[] (automatic retries), or null. */
  attempts: string | null;
  superseded_by: string | null;
  /** 1 for a user message sent in plan mode (migration 0008), else null. */
  plan_mode: number | null;
  created_at: number;
}

/** Where a page of sessions ends (see listSessions). */
export interface SessionCursor {
  pinned: boolean;
  updatedAt: number;
  id: string;
}

export interface SessionRecord extends SessionSummary {
  headId: string | null;
  titleSet: boolean;
  todos: string;
  /** Set for a sub-agent's chat (src/shared/delegation.ts). */
  delegation?: SessionDelegation;
}

export interface TurnRecord {
  id: string;
  sessionId: string;
  clientTurnId: string;
  status: string;
  userMessageId: string | null;
}

/** Text of a part that full-text search indexes. */
export function searchableText(part: Part): string {
  switch (part.type) {
    case "text":
    case "reasoning":
      return part.text;
    case "tool":
      return `${part.tool} ${JSON.stringify(part.input ?? {}).slice(0, 2000)} ${(part.output?.text ?? part.error ?? "").slice(0, 10_000)}`;
    case "compaction":
      return part.summary;
    case "file":
      return part.name;
    case "error":
      return part.message;
  }
}

export function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    agentId: row.agent_id,
    title: row.title,
    pinned: row.pinned === 1,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
    messageCount: row.message_count,
    headId: row.head_id,
    titleSet: row.title_set === 1,
    todos: row.todos,
    ...(row.model ? { model: JSON.parse(row.model) as SessionModel } : {}),
    ...(row.delegation ? delegationFields(JSON.parse(row.delegation) as SessionDelegation) : {}),
  };
}

function delegationFields(delegation: SessionDelegation): Pick<SessionRecord, "delegation" | "parent"> {
  const name = delegation.subagent?.name;
  return {
    delegation,
    parent: {
      sessionId: delegation.parentSessionId,
      partId: delegation.parentPartId,
      ...(name ? { name } : {}),
    },
  };
}

export function toInfo(row: MessageRow): MessageInfo {
  const info: MessageInfo = {
    id: row.id,
    sessionId: row.session_id,
    role: row.role,
    parentId: row.parent_id,
    turnId: row.turn_id,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at,
  };
  if (row.model) info.model = row.model;
  if (row.usage) info.usage = JSON.parse(row.usage);
  if (row.attempts) info.attempts = JSON.parse(row.attempts);
  if (row.superseded_by) info.supersededBy = row.superseded_by;
  if (row.plan_mode) info.plan = true;
  return info;
}

export function summaryOf(record: SessionRecord, lastSeq: number): SessionSummary {
  return {
    id: record.id,
    agentId: record.agentId,
    title: record.title,
    pinned: record.pinned,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastSeq,
    messageCount: record.messageCount,
    ...(record.model ? { model: record.model } : {}),
    ...(record.parent ? { parent: record.parent } : {}),
  };
}

/** The sidebar's page cursor: "pinned:updatedAt:id" of the last session on a page (opaque to clients). */
export function encodeCursor(last: Pick<SessionRecord, "pinned" | "updatedAt" | "id">): string {
  return `${last.pinned ? 1 : 0}:${last.updatedAt}:${last.id}`;
}

/** A cursor back into its parts; anything else is a ValidationError. */
export function parseCursor(cursor: string): SessionCursor {
  const match = /^([01]):(\d+):(\S+)$/.exec(cursor);
  if (!match) throw new ValidationError("The page cursor is not valid.", "cursor");
  return { pinned: match[1] === "1", updatedAt: Number(match[2]), id: match[3] as string };
}
