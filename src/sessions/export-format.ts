/**
 * The JSON export format `sage.session.v1` (src/sessions/export.ts writes and reads it):
 *
 *   { format: "sage.session.v1", exportedAt, session: { title, agentName, createdAt },
 *     messages: [{ id?, role, kind, status, createdAt, model?, usage?, attempts?, plan?, parts: Part[] }],
 *     children?: [SubAgentExport], childrenOmitted? }
 *
 * `children` are the sub-agents' chats the session started (the delegate tool), each with its own
 * messages and, nested, its own children: `callPartId` is the parent's delegate call (a part id in the
 * parent's `messages`), `sessionId` the child's id in the exporting app (the call's card names it). An
 * export made before sub-agents existed has no `children` and still imports.
 *
 * Bounded: at most EXPORT_CHILDREN_LIMIT children in the whole tree (depth-first, in call order) and
 * EXPORT_CHILD_MESSAGES_LIMIT messages per child (the first ones); what was left out is counted in
 * `childrenOmitted` / `messagesOmitted`.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { SubAgentSpec } from "../shared/delegation.ts";
import { type Message, MessageStatus, Part, Usage } from "../shared/parts.ts";

/** Sub-agents' chats exported with one session, in the whole tree. */
export const EXPORT_CHILDREN_LIMIT = 100;
/** Messages exported per sub-agent chat (its first ones). */
export const EXPORT_CHILD_MESSAGES_LIMIT = 2_000;

export const ExportedMessage = T.Object({
  /** The id in the exporting app; used only to relink compaction summaries on import. */
  id: T.Optional(T.String()),
  role: T.Union([T.Literal("user"), T.Literal("assistant")]),
  kind: T.Union([T.Literal("normal"), T.Literal("guidance"), T.Literal("summary")]),
  status: MessageStatus,
  createdAt: T.Number(),
  model: T.Optional(T.String()),
  usage: T.Optional(Usage),
  /** Earlier automatic attempts at this step that failed. */
  attempts: T.Optional(
    T.Array(T.Object({ code: T.String(), message: T.String(), at: T.Number() }), { maxItems: 100 }),
  ),
  /** A user message sent in plan mode. */
  plan: T.Optional(T.Boolean()),
  parts: T.Array(Part),
});
export type ExportedMessage = Static<typeof ExportedMessage>;

export const SubAgentExport = T.Recursive(
  (Self) =>
    T.Object({
      /** The child's id in the exporting app (named by the parent's delegate card). */
      sessionId: T.String({ maxLength: 200 }),
      /** The parent's delegate call that started it: a part id in the parent's exported messages. */
      callPartId: T.String({ maxLength: 200 }),
      title: T.String({ maxLength: 500 }),
      /** The configured agent it ran as (for a sub-agent defined on the spot: the parent's agent). */
      agentName: T.Optional(T.String()),
      /** The agent whose workspace it worked in. */
      workspaceAgentName: T.Optional(T.String()),
      depth: T.Integer({ minimum: 1, maximum: 10 }),
      subagent: T.Optional(SubAgentSpec),
      createdAt: T.Number(),
      messages: T.Array(ExportedMessage, { maxItems: EXPORT_CHILD_MESSAGES_LIMIT }),
      /** Messages of this chat left out of the export (over EXPORT_CHILD_MESSAGES_LIMIT). */
      messagesOmitted: T.Optional(T.Integer({ minimum: 0 })),
      children: T.Optional(T.Array(Self, { maxItems: EXPORT_CHILDREN_LIMIT })),
    }),
  { $id: "SubAgentExport" },
);
export type SubAgentExport = Static<typeof SubAgentExport>;

export const SessionExport = T.Object({
  format: T.Literal("sage.session.v1"),
  exportedAt: T.Number(),
  session: T.Object({
    title: T.String({ maxLength: 500 }),
    agentName: T.Optional(T.String()),
    createdAt: T.Number(),
  }),
  messages: T.Array(ExportedMessage, { maxItems: 200_000 }),
  /** The sub-agents' chats this session started (see the file comment). */
  children: T.Optional(T.Array(SubAgentExport, { maxItems: EXPORT_CHILDREN_LIMIT })),
  /** Sub-agents' chats left out of the export (over EXPORT_CHILDREN_LIMIT in the whole tree). */
  childrenOmitted: T.Optional(T.Integer({ minimum: 0 })),
});
export type SessionExport = Static<typeof SessionExport>;

/** A stored message as exported. */
export function exportedMessage(m: Message): ExportedMessage {
  return {
    id: m.info.id,
    role: m.info.role,
    kind: m.info.kind,
    status: m.info.status,
    createdAt: m.info.createdAt,
    ...(m.info.model ? { model: m.info.model } : {}),
    ...(m.info.usage ? { usage: m.info.usage } : {}),
    ...(m.info.attempts?.length
      ? { attempts: m.info.attempts.map(({ code, message, at }) => ({ code, message, at })) }
      : {}),
    ...(m.info.plan ? { plan: true } : {}),
    parts: m.parts,
  };
}
