/**
 * The server -> client event union: every step of every turn, as it goes over the WebSocket.
 *
 * Contract:
 * - Each event is defined once here as a TypeBox schema; the TS union, server-side validation in tests
 *   and the UI reducer's cases all come from these definitions.
 * - Session events carry `sessionId` and a per-session `seq` that increases by one per event. They are
 *   appended to SQLite before they are sent, so a client resuming with `afterSeq` gets exactly what it
 *   missed.
 * - Broadcast events (`session.summary`, `session.removed`) and connection events (`error`, `pong`,
 *   `subscribed`) are not stored; they carry the session's current `seq` (or 0) and never advance it.
 */
import { type Static, Type as T, type TSchema } from "@sinclair/typebox";
import { MessageInfo, Part, ToolOutput, ToolStatus, Usage } from "./parts.ts";
import { SessionStatus, SessionSummary } from "./session.ts";

const base = { sessionId: T.String(), seq: T.Number(), at: T.Number() };

function event<N extends string, P extends Record<string, TSchema>>(name: N, props: P) {
  return T.Object({ type: T.Literal(name), ...base, ...props });
}

export const TurnStatus = T.Union([
  T.Literal("completed"),
  T.Literal("stopped"),
  T.Literal("error"),
  T.Literal("interrupted"),
]);
export type TurnStatus = Static<typeof TurnStatus>;

/**
 * Why a turn that ran without a model answer (`/compact`) did nothing, for the chat to say so in the
 * user's language: there are too few messages to summarise (with the numbers), or the summary request
 * failed. Nothing in the conversation was changed in either case.
 */
export const TurnNotice = T.Union([
  T.Object({
    code: T.Literal("nothing-to-compact"),
    /** Messages the model sees now, and how many of the newest ones compaction always keeps as they are. */
    messages: T.Number(),
    keptMessages: T.Number(),
    /** Estimated tokens of the next request, and the budget at which Sage compacts on its own. */
    tokens: T.Number(),
    limit: T.Number(),
  }),
  T.Object({ code: T.Literal("compact-failed"), error: T.String() }),
]);
export type TurnNotice = Static<typeof TurnNotice>;

export const Question = T.Object({
  id: T.String(),
  prompt: T.String(),
  kind: T.Union([T.Literal("single"), T.Literal("multiple"), T.Literal("text")]),
  options: T.Optional(T.Array(T.String())),
});
export type Question = Static<typeof Question>;

export const TodoItem = T.Object({
  id: T.String(),
  text: T.String(),
  status: T.Union([
    T.Literal("pending"),
    T.Literal("in_progress"),
    T.Literal("done"),
    T.Literal("cancelled"),
  ]),
});
export type TodoItem = Static<typeof TodoItem>;

/**
 * One choice of what "for this session" / "always" will cover (src/sandbox/approval-scopes.ts):
 * this file, this folder, every call of the tool; this exact command, commands starting with a program;
 * this host. `target` names it for people (a workspace-relative path, the command, the program, the
 * host, or the tool's name for `tool`); `pattern` is what is stored and sent back with the answer.
 */
export const ApprovalScope = T.Object({
  pattern: T.String(),
  kind: T.Union([
    T.Literal("file"),
    T.Literal("folder"),
    T.Literal("tool"),
    T.Literal("command"),
    T.Literal("program"),
    T.Literal("host"),
  ]),
  target: T.String(),
});
export type ApprovalScope = Static<typeof ApprovalScope>;

/** A tool call waiting for the user's Allow/Deny. */
export const PendingApproval = T.Object({
  approvalId: T.String(),
  messageId: T.String(),
  partId: T.String(),
  tool: T.String(),
  /** One line a person can judge: the command, the file, the URL. */
  title: T.String(),
  /** The full command, diff or URL. */
  detail: T.String(),
  detailKind: T.Union([T.Literal("command"), T.Literal("diff"), T.Literal("url"), T.Literal("json")]),
  /** What "for this session" / "always" may cover, narrowest first (absent in events stored before). */
  scopes: T.Optional(T.Array(ApprovalScope)),
  /** Where the target is, when the call reaches this computer or the local network (browser, web_fetch). */
  locality: T.Optional(T.Union([T.Literal("this-computer"), T.Literal("local-network")])),
});
export type PendingApproval = Static<typeof PendingApproval>;

/** A tool call that failed the same way several times in a row (the loop question shows it). */
export const RepeatedCall = T.Object({
  tool: T.String(),
  /** The newest call's arguments as JSON (the earlier ones were the same or trivially different). */
  input: T.String(),
  /** The newest failure's error text. */
  error: T.String(),
  count: T.Number(),
});
export type RepeatedCall = Static<typeof RepeatedCall>;

/** Questions waiting for the user's answer: an `ask_user` form, the step limit's or a loop's go-ahead. */
export const PendingQuestion = T.Object({
  questionId: T.String(),
  messageId: T.Optional(T.String()),
  partId: T.Optional(T.String()),
  /**
   * "continue": the step limit was reached; "loop": the same call kept failing (`repeated`). Either
   * way the turn waits for the user's go-ahead (answer "Continue" or "Stop here").
   * "plan": a plan-mode turn's plan (`submit_plan`), one question whose `prompt` is the summary and
   * whose `options` are the steps; answered with `PlanAnswer` keys (src/shared/plan.ts).
   */
  purpose: T.Union([T.Literal("ask_user"), T.Literal("continue"), T.Literal("loop"), T.Literal("plan")]),
  questions: T.Array(Question),
  repeated: T.Optional(RepeatedCall),
});
export type PendingQuestion = Static<typeof PendingQuestion>;

/** A failed model call waiting to be tried again: `at + delayMs` is when (server clock, ms). */
export const RetryState = T.Object({
  attempt: T.Number(),
  delayMs: T.Number(),
  reason: T.String(),
  at: T.Number(),
});
export type RetryState = Static<typeof RetryState>;

export const QueuedMessage = T.Object({ clientTurnId: T.String(), text: T.String() });
export type QueuedMessage = Static<typeof QueuedMessage>;

/**
 * What is going on in a session right now: the part of its state that a client cannot rebuild from
 * stored messages alone. The server sends it on every subscribe (`session.live`), so a reload, a second
 * tab or a reconnect shows the same pending approvals, questions, back-off and queue as the first.
 */
export const LiveState = T.Object({
  status: SessionStatus,
  /** The running turn, or null. */
  turnId: T.Union([T.String(), T.Null()]),
  queued: T.Array(QueuedMessage),
  approvals: T.Record(T.String(), PendingApproval),
  questions: T.Record(T.String(), PendingQuestion),
  retry: T.Union([RetryState, T.Null()]),
  todos: T.Array(TodoItem),
});
export type LiveState = Static<typeof LiveState>;

export const ServerEvents = {
  "session.updated": event("session.updated", { session: SessionSummary }),
  "turn.queued": event("turn.queued", { clientTurnId: T.String(), text: T.String() }),
  "turn.dequeued": event("turn.dequeued", { clientTurnId: T.String() }),
  "turn.started": event("turn.started", {
    turnId: T.String(),
    clientTurnId: T.String(),
    userMessageId: T.String(),
  }),
  "turn.retrying": event("turn.retrying", {
    turnId: T.String(),
    attempt: T.Number(),
    delayMs: T.Number(),
    reason: T.String(),
  }),
  "turn.ended": event("turn.ended", {
    turnId: T.String(),
    status: TurnStatus,
    reason: T.Optional(T.String()),
    usage: T.Optional(Usage),
    notice: T.Optional(TurnNotice),
  }),
  "message.created": event("message.created", { message: MessageInfo }),
  "message.updated": event("message.updated", { message: MessageInfo }),
  "message.part.updated": event("message.part.updated", { messageId: T.String(), part: Part }),
  "message.part.delta": event("message.part.delta", {
    messageId: T.String(),
    partId: T.String(),
    delta: T.String(),
  }),
  "tool.started": event("tool.started", { messageId: T.String(), partId: T.String(), callId: T.String() }),
  "tool.progress": event("tool.progress", {
    messageId: T.String(),
    partId: T.String(),
    stream: T.Union([T.Literal("stdout"), T.Literal("stderr"), T.Literal("info")]),
    text: T.String(),
  }),
  "tool.ended": event("tool.ended", {
    messageId: T.String(),
    partId: T.String(),
    status: ToolStatus,
    output: T.Optional(ToolOutput),
    error: T.Optional(T.String()),
    durationMs: T.Number(),
  }),
  "approval.requested": event("approval.requested", PendingApproval.properties),
  "approval.resolved": event("approval.resolved", {
    approvalId: T.String(),
    /** "stopped": the turn was stopped while it waited; neither the user nor a rule decided. */
    decision: T.Union([
      T.Literal("once"),
      T.Literal("session"),
      T.Literal("always"),
      T.Literal("deny"),
      T.Literal("stopped"),
    ]),
  }),
  "question.asked": event("question.asked", PendingQuestion.properties),
  "question.answered": event("question.answered", {
    questionId: T.String(),
    cancelled: T.Boolean(),
    answers: T.Optional(T.Record(T.String(), T.Union([T.String(), T.Array(T.String())]))),
  }),
  "usage.updated": event("usage.updated", { turnId: T.String(), messageId: T.String(), usage: Usage }),
  "todo.updated": event("todo.updated", { todos: T.Array(TodoItem) }),
  "workspace.changed": event("workspace.changed", { agentId: T.String(), paths: T.Array(T.String()) }),
  "session.head.changed": event("session.head.changed", { headId: T.Union([T.String(), T.Null()]) }),
  /** Not stored: the sidebar's live view of every session. */
  "session.summary": event("session.summary", { session: SessionSummary }),
  /** Not stored. */
  "session.removed": event("session.removed", {}),
  /**
   * Not stored, to every client: show this chat (the user clicked its desktop notification, the tray or
   * a sage: link). `draft`: text for the chat's message box, put there and NOT sent (sage://new?prompt=).
   */
  "app.open-session": event("app.open-session", { draft: T.Optional(T.String()) }),
  /** Not stored: sent on subscribe after the backlog; the session's live state as of `seq`. */
  "session.live": event("session.live", { live: LiveState }),
  /** Not stored: reply to `subscribe` once the backlog was sent; live events follow. */
  subscribed: event("subscribed", { lastSeq: T.Number() }),
  /** Not stored unless `sessionId` names a session (a turn-level failure). */
  error: event("error", {
    code: T.String(),
    message: T.String(),
    /** The client frame that caused it, when it was a bad frame. */
    ref: T.Optional(T.String()),
  }),
  pong: event("pong", { t: T.Number() }),
} as const;

export type ServerEventMap = { [K in keyof typeof ServerEvents]: Static<(typeof ServerEvents)[K]> };
export type ServerEventType = keyof ServerEventMap;
export type ServerEvent = ServerEventMap[ServerEventType];
export type EventOf<K extends ServerEventType> = ServerEventMap[K];

export const ServerEvent = T.Union(Object.values(ServerEvents));

/** Events that are never stored and never advance a session's seq. */
export const EPHEMERAL_EVENTS: ReadonlySet<ServerEventType> = new Set([
  "session.summary",
  "app.open-session",
  "session.removed",
  "session.live",
  "subscribed",
  "pong",
]);

/** An event as produced by the runtime, before the session log stamps seq and time. */
export type DraftEvent = { [K in ServerEventType]: Omit<ServerEventMap[K], "seq" | "at"> }[ServerEventType];
