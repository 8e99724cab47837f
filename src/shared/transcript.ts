/**
 * The transcript reducer: folds session events into a session's visible state. Pure and mutation-based
 * over plain objects, so the UI runs it inside Solid's `produce` (fine-grained updates) and the server
 * runs it to rebuild a crashed turn from the event log. The resume property test checks that a client
 * folding the events it received ends with exactly the stored transcript.
 *
 * Contract: events with seq <= lastSeq are ignored (idempotent under replays); ephemeral events never
 * touch lastSeq. `order` is the active branch: a message created under an earlier parent (edit,
 * regenerate) cuts the order back to that parent. Switching to another stored branch
 * (`session.head.changed`) needs a reload of the messages.
 */
import type { Question, ServerEvent, TodoItem } from "./events.ts";
import type { MessageInfo, Part, ToolPart } from "./parts.ts";
import type { SessionStatus } from "./session.ts";

/** Live tool output kept for a card while it runs (the final output replaces it). */
export const PROGRESS_CAP = 64 * 1024;

export interface PendingApproval {
  approvalId: string;
  messageId: string;
  partId: string;
  tool: string;
  title: string;
  detail: string;
  detailKind: "command" | "diff" | "url" | "json";
}

export interface PendingQuestion {
  questionId: string;
  purpose: "ask_user" | "continue";
  questions: Question[];
  messageId?: string;
  partId?: string;
}

export interface TranscriptState {
  lastSeq: number;
  /** Message ids in the order they were created on the active branch. */
  order: string[];
  messages: Record<string, MessageInfo>;
  parts: Record<string, Part[]>;
  status: SessionStatus;
  turnId: string | null;
  queued: { clientTurnId: string; text: string }[];
  approvals: Record<string, PendingApproval>;
  questions: Record<string, PendingQuestion>;
  todos: TodoItem[];
  retry: { attempt: number; delayMs: number; reason: string; at: number } | null;
}

export function emptyTranscript(): TranscriptState {
  return {
    lastSeq: 0,
    order: [],
    messages: {},
    parts: {},
    status: "idle",
    turnId: null,
    queued: [],
    approvals: {},
    questions: {},
    todos: [],
    retry: null,
  };
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

function findPart(state: TranscriptState, messageId: string, partId: string): Part | undefined {
  return state.parts[messageId]?.find((part) => part.id === partId);
}

function toolPart(state: TranscriptState, messageId: string, partId: string): ToolPart | undefined {
  const part = findPart(state, messageId, partId);
  return part?.type === "tool" ? part : undefined;
}

export function applyEvent(state: TranscriptState, event: ServerEvent): void {
  if (
    event.type === "session.summary" ||
    event.type === "session.removed" ||
    event.type === "subscribed" ||
    event.type === "pong"
  ) {
    return;
  }
  if (event.type === "error" && event.seq === 0) return;
  if (event.seq <= state.lastSeq) return;
  state.lastSeq = event.seq;

  switch (event.type) {
    case "session.updated":
      state.status = event.session.status;
      return;
    case "turn.queued":
      state.queued.push({ clientTurnId: event.clientTurnId, text: event.text });
      return;
    case "turn.dequeued":
      state.queued = state.queued.filter((q) => q.clientTurnId !== event.clientTurnId);
      return;
    case "turn.started":
      state.turnId = event.turnId;
      state.status = "running";
      state.queued = state.queued.filter((q) => q.clientTurnId !== event.clientTurnId);
      state.retry = null;
      return;
    case "turn.retrying":
      state.retry = { attempt: event.attempt, delayMs: event.delayMs, reason: event.reason, at: event.at };
      return;
    case "turn.ended":
      state.turnId = null;
      state.status = event.status === "interrupted" ? "interrupted" : "idle";
      state.retry = null;
      state.approvals = {};
      state.questions = {};
      return;
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
      state.retry = null;
      return;
    case "message.updated":
      state.messages[event.message.id] = event.message;
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
    case "approval.requested":
      state.approvals[event.approvalId] = {
        approvalId: event.approvalId,
        messageId: event.messageId,
        partId: event.partId,
        tool: event.tool,
        title: event.title,
        detail: event.detail,
        detailKind: event.detailKind,
      };
      {
        const part = toolPart(state, event.messageId, event.partId);
        if (part) part.status = "awaiting-approval";
      }
      return;
    case "approval.resolved":
      delete state.approvals[event.approvalId];
      return;
    case "question.asked":
      state.questions[event.questionId] = {
        questionId: event.questionId,
        purpose: event.purpose,
        questions: event.questions,
        messageId: event.messageId,
        partId: event.partId,
      };
      return;
    case "question.answered":
      delete state.questions[event.questionId];
      return;
    case "todo.updated":
      state.todos = event.todos;
      return;
    case "session.head.changed":
    case "usage.updated":
    case "workspace.changed":
    case "error":
      return;
  }
}
