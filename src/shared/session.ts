/** Session summaries as listed in the sidebar and carried by session events. */
import { type Static, Type as T } from "@sinclair/typebox";
import { Message } from "./parts.ts";

export const SessionStatus = T.Union([
  T.Literal("idle"),
  T.Literal("running"),
  T.Literal("waiting"),
  T.Literal("interrupted"),
]);
export type SessionStatus = Static<typeof SessionStatus>;

/** A model picked for one session in the chat; without one the agent's default model is used. */
export const SessionModel = T.Object({
  providerId: T.String({ minLength: 1, maxLength: 200 }),
  model: T.String({ minLength: 1, maxLength: 200 }),
});
export type SessionModel = Static<typeof SessionModel>;

export const SessionSummary = T.Object({
  id: T.String(),
  agentId: T.String(),
  title: T.String(),
  pinned: T.Boolean(),
  status: SessionStatus,
  createdAt: T.Number(),
  updatedAt: T.Number(),
  /** The highest event seq stored for this session. */
  lastSeq: T.Number(),
  messageCount: T.Number(),
  model: T.Optional(SessionModel),
  /**
   * Set for a sub-agent's chat: the session and delegate call (tool part) that started it, and for a
   * sub-agent defined on the spot its name (else the chat's agent is the one delegated to).
   */
  parent: T.Optional(T.Object({ sessionId: T.String(), partId: T.String(), name: T.Optional(T.String()) })),
});
export type SessionSummary = Static<typeof SessionSummary>;

/** GET /api/sessions: a page of the list; `nextCursor` (opaque) asks for the next one, absent on the last. */
export const SessionPage = T.Object({
  sessions: T.Array(SessionSummary),
  nextCursor: T.Optional(T.String()),
});
export type SessionPage = Static<typeof SessionPage>;

/** GET /api/sessions/search: one hit; the snippet's matches are wrapped in «». */
export const SessionSearchHit = T.Object({
  sessionId: T.String(),
  title: T.String(),
  messageId: T.Union([T.String(), T.Null()]),
  snippet: T.String(),
  updatedAt: T.Number(),
});
export type SessionSearchHit = Static<typeof SessionSearchHit>;

/** GET /api/sessions/:id/messages: a page of the active branch, oldest first, and the seq to subscribe after. */
export const MessagePage = T.Object({
  messages: T.Array(Message),
  lastSeq: T.Number(),
  hasMore: T.Boolean(),
});
export type MessagePage = Static<typeof MessagePage>;
