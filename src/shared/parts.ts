/**
 * Messages and their parts: the transcript model shared by the server, the store and the UI.
 *
 * A message is an info record plus an ordered list of parts. Parts are addressed by id; the stream
 * creates them with `message.part.updated` (full snapshot) and grows text with `message.part.delta`.
 * No Bun or Node imports here: the UI bundles this file.
 */
import { type Static, Type as T } from "@sinclair/typebox";

export const Usage = T.Object({
  inputTokens: T.Number(),
  outputTokens: T.Number(),
  cachedInputTokens: T.Optional(T.Number()),
  reasoningTokens: T.Optional(T.Number()),
  /** Cost in US dollars, present only when the model's price is known. */
  costUsd: T.Optional(T.Number()),
  /**
   * Sage's own estimate of the same request, made before it was sent (not provider data). With
   * `inputTokens` it calibrates later estimates: see src/agent/context-budget.ts.
   */
  estimatedInputTokens: T.Optional(T.Number()),
});
export type Usage = Static<typeof Usage>;

export const TextPart = T.Object({
  id: T.String(),
  type: T.Literal("text"),
  text: T.String(),
});

export const ReasoningPart = T.Object({
  id: T.String(),
  type: T.Literal("reasoning"),
  text: T.String(),
  startedAt: T.Number(),
  endedAt: T.Optional(T.Number()),
});

export const ToolStatus = T.Union([
  T.Literal("pending"),
  T.Literal("awaiting-approval"),
  T.Literal("running"),
  T.Literal("completed"),
  T.Literal("error"),
  T.Literal("denied"),
]);
export type ToolStatus = Static<typeof ToolStatus>;
export { TOOL_STOPPED_ERROR } from "./tool-stopped.ts";

/** What a tool returned: text for the model, optional images, optional details for the UI card. */
export const ToolOutput = T.Object({
  text: T.String(),
  /** Workspace-relative path of the full output when `text` was truncated. */
  fullOutputPath: T.Optional(T.String()),
  truncated: T.Optional(T.Boolean()),
  images: T.Optional(T.Array(T.Object({ mime: T.String(), path: T.String() }))),
  /** Tool-specific data for the UI (diff, exit code, url, size ...). Never sent to the model. */
  details: T.Optional(T.Record(T.String(), T.Unknown())),
});
export type ToolOutput = Static<typeof ToolOutput>;

export const ToolPart = T.Object({
  id: T.String(),
  type: T.Literal("tool"),
  callId: T.String(),
  tool: T.String(),
  input: T.Unknown(),
  status: ToolStatus,
  output: T.Optional(ToolOutput),
  error: T.Optional(T.String()),
  /** Live output (shell stdout/stderr ...), capped; the final output replaces it. */
  progress: T.Optional(T.String()),
  startedAt: T.Optional(T.Number()),
  endedAt: T.Optional(T.Number()),
});

export const FilePart = T.Object({
  id: T.String(),
  type: T.Literal("file"),
  name: T.String(),
  mime: T.String(),
  /** Workspace-relative path of the stored file. */
  path: T.String(),
  size: T.Number(),
});

/**
 * A context-management marker (its message has kind "summary"). Two modes:
 * - "summary" (the default when absent): the model sees `summary` instead of `upToMessageId` and every
 *   message before it;
 * - "prune": tool outputs of the messages up to `upToMessageId` are replaced in the request by a short
 *   stub naming the saved full output (`replacedCount` outputs); nothing else changes.
 * The transcript keeps everything either way. `tokensBefore`/`tokensAfter` are the request's estimate.
 */
export const CompactionPart = T.Object({
  id: T.String(),
  type: T.Literal("compaction"),
  mode: T.Optional(T.Union([T.Literal("summary"), T.Literal("prune")])),
  summary: T.String(),
  /** The last message the summary (or prune) covers. Empty in a chat continued from another one. */
  upToMessageId: T.String(),
  /** Summary: how many earlier messages it stands for (they stay stored). Prune: outputs stubbed. */
  replacedCount: T.Number(),
  tokensBefore: T.Number(),
  tokensAfter: T.Number(),
  /** A chat started with "continue in a new chat": the session this summary was made from. */
  fromSessionId: T.Optional(T.String()),
});

export const ErrorPart = T.Object({
  id: T.String(),
  type: T.Literal("error"),
  code: T.String(),
  message: T.String(),
  retryable: T.Boolean(),
});

export const Part = T.Union([TextPart, ReasoningPart, ToolPart, FilePart, CompactionPart, ErrorPart]);
export type Part = Static<typeof Part>;
export type TextPart = Static<typeof TextPart>;
export type ReasoningPart = Static<typeof ReasoningPart>;
export type ToolPart = Static<typeof ToolPart>;
export type FilePart = Static<typeof FilePart>;
export type CompactionPart = Static<typeof CompactionPart>;
export type ErrorPart = Static<typeof ErrorPart>;
export type PartType = Part["type"];

export const MessageStatus = T.Union([
  T.Literal("streaming"),
  T.Literal("completed"),
  T.Literal("stopped"),
  T.Literal("error"),
  T.Literal("interrupted"),
]);
export type MessageStatus = Static<typeof MessageStatus>;

/**
 * An automatic retry's record of an earlier attempt at the same step that failed. The attempt's own
 * message (its partial text and error) stays stored, marked `supersededBy`, off the active branch.
 */
export const FailedAttempt = T.Object({
  /** The superseded attempt's message (absent in imported chats, whose attempts were not exported). */
  messageId: T.Optional(T.String()),
  code: T.String(),
  message: T.String(),
  /** When the attempt failed (ms since the epoch). */
  at: T.Number(),
});
export type FailedAttempt = Static<typeof FailedAttempt>;

export const MessageInfo = T.Object({
  id: T.String(),
  sessionId: T.String(),
  role: T.Union([T.Literal("user"), T.Literal("assistant")]),
  /** The message this one follows on its branch; siblings (same parent) are alternative versions. */
  parentId: T.Union([T.String(), T.Null()]),
  turnId: T.Union([T.String(), T.Null()]),
  /** "guidance": injected into a running turn; "summary": a compaction summary message. */
  kind: T.Union([T.Literal("normal"), T.Literal("guidance"), T.Literal("summary")]),
  status: MessageStatus,
  createdAt: T.Number(),
  model: T.Optional(T.String()),
  usage: T.Optional(Usage),
  /** Number of versions at this position (siblings incl. this one), and this one's 1-based index. */
  versions: T.Optional(T.Object({ index: T.Number(), count: T.Number() })),
  /** An assistant step retried automatically: the earlier attempts that failed, oldest first. */
  attempts: T.Optional(T.Array(FailedAttempt)),
  /**
   * Set on a failed attempt that an automatic retry replaced: the retry's id. The retry takes this
   * message's place (same parent), so a superseded attempt is never on the active branch, never a
   * version, never exported or sent to the model; it is kept for the record.
   */
  supersededBy: T.Optional(T.String()),
  /**
   * A user message sent in plan mode (SubmitOptions.plan). Editing or regenerating it runs the new
   * turn in plan mode again; the chat marks it "Plan".
   */
  plan: T.Optional(T.Boolean()),
});
export type MessageInfo = Static<typeof MessageInfo>;

export const Message = T.Object({ info: MessageInfo, parts: T.Array(Part) });
export type Message = Static<typeof Message>;
