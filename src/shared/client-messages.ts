/**
 * Client -> server WebSocket frames. The server validates every frame against `ClientMessage`; a frame
 * that fails gets an `error` event (with `ref` naming the frame type when known) and the socket stays open.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import type { LiveState } from "./events.ts";

export const Attachment = T.Object({
  /** Workspace-relative path of an uploaded file (see POST /api/sessions/:id/attachments). */
  path: T.String({ minLength: 1 }),
  name: T.String(),
  mime: T.String(),
  size: T.Number(),
});
export type Attachment = Static<typeof Attachment>;

export const SubmitOptions = T.Object({
  providerId: T.Optional(T.String()),
  model: T.Optional(T.String()),
  reasoningEffort: T.Optional(T.Union([T.Literal("low"), T.Literal("medium"), T.Literal("high")])),
  /** While a turn runs: "queue" waits for it, "inject" delivers the text as guidance at the next step. */
  whileRunning: T.Optional(T.Union([T.Literal("queue"), T.Literal("inject")])),
  /** Skills pinned with /skill-name. */
  skills: T.Optional(T.Array(T.String())),
  /**
   * Plan mode for this message: the agent may read and search but not change anything, and ends with
   * a plan for the user to approve, edit or reject (src/agent/plan-mode.ts).
   */
  plan: T.Optional(T.Boolean()),
});
export type SubmitOptions = Static<typeof SubmitOptions>;

const id = T.String({ minLength: 1, maxLength: 200 });

export const ClientMessages = {
  subscribe: T.Object({ type: T.Literal("subscribe"), sessionId: id, afterSeq: T.Integer({ minimum: 0 }) }),
  unsubscribe: T.Object({ type: T.Literal("unsubscribe"), sessionId: id }),
  submit: T.Object({
    type: T.Literal("submit"),
    sessionId: id,
    clientTurnId: id,
    text: T.String({ maxLength: 1_000_000 }),
    attachments: T.Optional(T.Array(Attachment, { maxItems: 50 })),
    options: T.Optional(SubmitOptions),
  }),
  stop: T.Object({ type: T.Literal("stop"), sessionId: id }),
  /** Take one queued message back before its turn starts. */
  unqueue: T.Object({ type: T.Literal("unqueue"), sessionId: id, clientTurnId: id }),
  inject: T.Object({
    type: T.Literal("inject"),
    sessionId: id,
    text: T.String({ minLength: 1, maxLength: 100_000 }),
  }),
  approve: T.Object({
    type: T.Literal("approve"),
    sessionId: id,
    approvalId: id,
    decision: T.Union([T.Literal("once"), T.Literal("session"), T.Literal("always"), T.Literal("deny")]),
    reason: T.Optional(T.String({ maxLength: 10_000 })),
    /**
     * For "session" / "always": the `pattern` of one of the request's `scopes` (what the answer
     * covers). Absent: the narrowest one. A pattern the request did not offer is refused.
     */
    scope: T.Optional(T.String({ maxLength: 10_000 })),
  }),
  answer: T.Object({
    type: T.Literal("answer"),
    sessionId: id,
    questionId: id,
    cancelled: T.Optional(T.Boolean()),
    answers: T.Optional(T.Record(T.String(), T.Union([T.String(), T.Array(T.String())]))),
  }),
  ping: T.Object({ type: T.Literal("ping"), t: T.Number() }),
} as const;

export const ClientMessage = T.Union(Object.values(ClientMessages));
export type ClientMessage = Static<typeof ClientMessage>;
export type ClientMessageType = ClientMessage["type"];
export type ClientMessageOf<K extends ClientMessageType> = Extract<ClientMessage, { type: K }>;

/** What the WebSocket hub asks of the sessions: the commands a client frame turns into (src/server/ws-hub.ts). */
export interface SessionCommands {
  canSubscribe(sessionId: string): boolean;
  /** The session's live state as of its last written event. */
  live(sessionId: string): LiveState;
  submit(message: ClientMessageOf<"submit">): void;
  stop(message: ClientMessageOf<"stop">): void;
  unqueue(message: ClientMessageOf<"unqueue">): void;
  inject(message: ClientMessageOf<"inject">): void;
  approve(message: ClientMessageOf<"approve">): void;
  answer(message: ClientMessageOf<"answer">): void;
}
