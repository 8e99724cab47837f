/**
 * The transcript reducer: folds session events into a session's visible state. Pure and mutation-based
 * over plain objects, so the UI runs it inside Solid's `produce` (fine-grained updates) and the server
 * runs it to rebuild a crashed turn from the event log. The resume property test checks that a client
 * folding the events it received ends with exactly the stored transcript.
 *
 * Contract: events with seq <= lastSeq are ignored (idempotent under replays); ephemeral events never
 * touch lastSeq. `order` is the active branch: a message created under an earlier parent (edit,
 * regenerate, an automatic retry) cuts the order back to that parent; a message marked `supersededBy`
 * (a failed attempt a retry replaced) leaves it. Switching to another stored branch
 * (`session.head.changed`) needs a reload of the messages.
 */
import type { LiveState, ServerEvent } from "./events.ts";
import type { MessageInfo, Part, ToolPart } from "./parts.ts";

export type { PendingApproval, PendingQuestion } from "./events.ts";

/** Live tool output kept for a card while it runs (the final output replaces it). */
export const PROGRESS_CAP = 64 * 1024;

/** A tool call that has not ended yet: waiting to start, waiting for an approval, or running. */
export function isUnfinishedTool(part: Part): part is ToolPart {
  return (
    part.type === "tool" &&
    (part.status === "pending" || part.status === "running" || part.status === "awaiting-approval")
  );
}

/**
 * The version of an unfinished call that a turn which cannot finish it records (a stop, an error, a
 * crash), sent as its message.part.updated: an error with `error` as the reason, ended at `endedAt`
 * when that time is known (after a crash it is not: the card shows no made-up duration).
 */
export function endUnfinishedTool(part: ToolPart, error: string, endedAt?: number): ToolPart {
  return { ...part, status: "error", error, ...(endedAt === undefined ? {} : { endedAt }) };
}

/** A session as a window shows it: its messages on the active branch, plus what is live right now. */
export interface TranscriptState extends LiveState {
  lastSeq: number;
  /** Message ids in the order they were created on the active branch. */
  order: string[];
  messages: Record<string, MessageInfo>;
  parts: Record<string, Part[]>;
}

export function emptyLiveState(): LiveState {
  return { status: "idle", turnId: null, queued: [], approvals: {}, questions: {}, retry: null, todos: [] };
}

export function emptyTranscript(): TranscriptState {
  return { lastSeq: 0, order: [], messages: {}, parts: {}, ...emptyLiveState() };
}

/** Seed the state from a page of stored messages (GET /api/sessions/:id/messages). */
export function loadMessages(
  state: TranscriptState,
  messages: { info: MessageInfo; parts: Part[] }[],
  lastSeq: number,
): void {
  for (const message of messages) {
    if (!state.messages[message.info.id]) state.order.push(message.info.id);
    state.messages[message.info.id] = message.info;
    state.parts[message.info.id] = message.parts;
  }
  state.lastSeq = Math.max(state.lastSeq, lastSeq);
}

function findPart(
  state: Pick<TranscriptState, "parts">,
  messageId: string,
  partId: string,
): Part | undefined {
  return state.parts[messageId]?.find((part) => part.id === partId);
}

function toolPart(
  state: Pick<TranscriptState, "parts">,
  messageId: string,
  partId: string,
): ToolPart | undefined {
  const part = findPart(state, messageId, partId);
  return part?.type === "tool" ? part : undefined;
}

/**
 * The live part of a session (see LiveState): the same cases for a window's transcript and for the
 * server's own record of each session (src/sessions/live-sessions.ts), so both agree by construction.
 * No seq check here: callers apply each stored event once, in order.
 */
export function applyLiveEvent(live: LiveState, event: ServerEvent): void {
  switch (event.type) {
    case "session.updated":
      live.status = event.session.status;
      return;
    case "turn.queued":
      live.queued.push({ clientTurnId: event.clientTurnId, text: event.text });
      return;
    case "turn.dequeued":
      live.queued = live.queued.filter((q) => q.clientTurnId !== event.clientTurnId);
      return;
    case "turn.started":
      live.turnId = event.turnId;
      live.status = "running";
      live.queued = live.queued.filter((q) => q.clientTurnId !== event.clientTurnId);
      live.retry = null;
      return;
    case "turn.retrying":
      live.retry = { attempt: event.attempt, delayMs: event.delayMs, reason: event.reason, at: event.at };
      return;
    case "turn.ended":
      live.turnId = null;
      live.status = event.status === "interrupted" ? "interrupted" : "idle";
      live.retry = null;
      live.approvals = {};
      live.questions = {};
      return;
    case "message.created":
      live.retry = null;
      return;
    case "approval.requested":
      live.approvals[event.approvalId] = withoutEnvelope(event);
      return;
    case "approval.resolved":
      delete live.approvals[event.approvalId];
      return;
    case "question.asked":
      live.questions[event.questionId] = withoutEnvelope(event);
      return;
    case "question.answered":
      delete live.questions[event.questionId];
      return;
    case "todo.updated":
      live.todos = event.todos;
      return;
  }
}

/** An event's own fields (these events are defined as the pending item plus the envelope). */
function withoutEnvelope<E extends ServerEvent>(event: E): Omit<E, "type" | "sessionId" | "seq" | "at"> {
  const { type: _type, sessionId: _sessionId, seq: _seq, at: _at, ...rest } = event;
  return rest;
}

/** Copy a live snapshot's fields into `state` (a plain or store object). */
function replaceLive(state: TranscriptState, live: LiveState): void {
  state.status = live.status;
  state.turnId = live.turnId;
  state.queued = live.queued;
  state.approvals = live.approvals;
  state.questions = live.questions;
  state.retry = live.retry;
  state.todos = live.todos;
  for (const approval of Object.values(live.approvals)) {
    const part = toolPart(state, approval.messageId, approval.partId);
    if (part) part.status = "awaiting-approval";
  }
}

export function applyEvent(state: TranscriptState, event: ServerEvent): void {
  if (event.type === "session.live") {
    // The server's word on what is live as of event.seq; a client already past that keeps its own.
    if (event.seq >= state.lastSeq) replaceLive(state, event.live);
    return;
  }
  if (
    event.type === "session.summary" ||
    event.type === "session.removed" ||
    event.type === "app.open-session" ||
    event.type === "subscribed" ||
    event.type === "pong"
  ) {
    return;
  }
  if (event.type === "error" && event.seq === 0) return;
  if (event.seq <= state.lastSeq) return;
  state.lastSeq = event.seq;
  if (event.type === "approval.resolved") resumeAfterApproval(state, event.approvalId);
  applyLiveEvent(state, event);
  applyMessageEvent(state, event);
}

/**
 * The messages-and-parts part of `applyEvent`: the same cases for a window's transcript and for the
 * server's record of a running turn (src/sessions/turn-recorder.ts applies each event it emits), so
 * what the server stores and what a client folds agree by construction. No seq check and no live
 * state here: callers apply each event once, in order. Times (`startedAt`, `endedAt`) come from the
 * event's `at`.
 */
export function applyMessageEvent(
  state: Pick<TranscriptState, "order" | "messages" | "parts">,
  event: ServerEvent,
): void {
  switch (event.type) {
    case "message.created":
      if (!state.messages[event.message.id]) {
        // A message whose parent is not the last one starts a new branch (edit, regenerate): the
        // messages after its parent belong to the old branch and leave the visible order.
        const parentIndex =
          event.message.parentId === null ? -1 : state.order.indexOf(event.message.parentId);
        if (event.message.parentId === null || parentIndex >= 0) state.order.length = parentIndex + 1;
        state.order.push(event.message.id);
      }
      state.messages[event.message.id] = event.message;
      state.parts[event.message.id] ??= [];
      return;
    case "message.updated":
      state.messages[event.message.id] = event.message;
      // A failed attempt an automatic retry replaces leaves the chat (the retry takes its place).
      if (event.message.supersededBy) {
        const index = state.order.indexOf(event.message.id);
        if (index >= 0) state.order.splice(index, 1);
      }
      return;
    case "message.part.updated": {
      state.parts[event.messageId] ??= [];
      const parts = state.parts[event.messageId] as Part[];
      const index = parts.findIndex((part) => part.id === event.part.id);
      if (index >= 0) parts[index] = event.part;
      else parts.push(event.part);
      return;
    }
    case "message.part.delta": {
      const part = findPart(state, event.messageId, event.partId);
      if (part && (part.type === "text" || part.type === "reasoning")) part.text += event.delta;
      return;
    }
    case "tool.started": {
      const part = toolPart(state, event.messageId, event.partId);
      if (part) {
        part.status = "running";
        part.startedAt = event.at;
      }
      return;
    }
    case "tool.progress": {
      const part = toolPart(state, event.messageId, event.partId);
      if (part) {
        const next = (part.progress ?? "") + event.text;
        part.progress = next.length > PROGRESS_CAP ? next.slice(next.length - PROGRESS_CAP) : next;
      }
      return;
    }
    case "tool.ended": {
      const part = toolPart(state, event.messageId, event.partId);
      if (part) {
        part.status = event.status;
        part.output = event.output;
        part.error = event.error;
        part.endedAt = event.at;
        part.progress = undefined;
      }
      return;
    }
    case "approval.requested": {
      const part = toolPart(state, event.messageId, event.partId);
      if (part) part.status = "awaiting-approval";
      return;
    }
    default:
      return;
  }
}

/**
 * A call that was already running when an approval was asked on its card (a sub-agent's request on its
 * delegate call) goes back to running once the approval is answered.
 */
function resumeAfterApproval(state: TranscriptState, approvalId: string): void {
  const pending = state.approvals[approvalId];
  if (!pending) return;
  const part = toolPart(state, pending.messageId, pending.partId);
  if (part?.status === "awaiting-approval" && part.startedAt !== undefined) part.status = "running";
}
