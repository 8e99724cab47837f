/**
 * Shapes of the tools, approvals, audit and undo API, shared by the server routes and the UI.
 *
 * - GET  /api/tools                          -> { tools: ToolInfo[] }
 * - GET  /api/tools/:name                    -> ToolInfo
 * - POST /api/tools/:name/run  ToolRunRequest -> ToolRunResult (400 for arguments the schema rejects)
 * - GET  /api/sandbox/status                 -> SandboxStatusInfo
 * - GET  /api/approvals                      -> { approvals: RememberedApproval[] }
 * - DELETE /api/approvals/:id                -> { revoked: true }
 * - GET  /api/audit?limit&before&tool&sessionId -> AuditPage (newest first)
 * - POST /api/sessions/:id/turns/:turnId/undo { force? } -> UndoReport (409 when newer turns changed
 *   the same files, unless force)
 * - GET  /api/sessions/:id/file-changes        -> { turns: TurnFileChanges[] } (turns that changed files)
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { ApprovalRule } from "./agent.ts";

export const ToolKindName = T.Union([
  T.Literal("read"),
  T.Literal("write"),
  T.Literal("shell"),
  T.Literal("network"),
  T.Literal("browser"),
  T.Literal("interaction"),
  T.Literal("mcp"),
]);
export type ToolKindName = Static<typeof ToolKindName>;

/** Where a tool comes from: built into Sage, or an MCP server. */
export const ToolSource = T.Union([T.Literal("builtin"), T.Literal("mcp")]);
export type ToolSource = Static<typeof ToolSource>;

/** A JSON Schema object, as far as the UI's form generator reads it. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  [keyword: string]: unknown;
}

export const ToolInfo = T.Object({
  name: T.String(),
  description: T.String(),
  kind: ToolKindName,
  source: ToolSource,
  /** The MCP server of an `mcp` tool. */
  server: T.Optional(T.String()),
  /** The rule an agent gets when it sets none for this tool. */
  defaultRule: ApprovalRule,
  /** Asks before every call, whatever was remembered (browser_evaluate). */
  alwaysAsks: T.Boolean(),
  /**
   * Set when the tool cannot do its work outside a chat session (the plan, questions to the user):
   * says why, for the "try it" runner.
   */
  needsSession: T.Optional(T.String()),
  /** The arguments' JSON Schema (TypeBox schemas are JSON Schema), passed on whole. */
  parameters: T.Unsafe<JsonSchema>(
    T.Object({}, { additionalProperties: true, description: "The arguments' JSON Schema" }),
  ),
});
export type ToolInfo = Static<typeof ToolInfo>;

export interface ToolRunRequest {
  /** The agent whose workspace, skills and browser the run uses; the default agent when absent. */
  agentId?: string;
  /** The tool's arguments, checked against its schema. */
  input: unknown;
}

export const ToolRunImage = T.Object({
  mime: T.String(),
  /** `data:<mime>;base64,...`, ready for an <img>. */
  dataUrl: T.String(),
  /** Workspace-relative path where the tool saved the image, when it did. */
  path: T.Optional(T.String()),
});
export type ToolRunImage = Static<typeof ToolRunImage>;

export const ToolRunResult = T.Object({
  tool: T.String(),
  agentId: T.String(),
  /** `denied`: the agent's policy denies this tool; nothing ran. */
  status: T.Union([T.Literal("completed"), T.Literal("error"), T.Literal("denied")]),
  text: T.String(),
  error: T.Optional(T.String()),
  /** What the tool reports beside its text, passed on whole. */
  details: T.Optional(T.Record(T.String(), T.Unknown())),
  images: T.Array(ToolRunImage),
  /** Progress lines the tool reported while it ran. */
  progress: T.String(),
  /** The text was longer than the runner returns; the rest was dropped. */
  truncated: T.Boolean(),
  durationMs: T.Number(),
  /** The audit log entry of this run. */
  auditId: T.String(),
});
export type ToolRunResult = Static<typeof ToolRunResult>;

export interface SandboxStatusInfo {
  mode: "bubblewrap" | "seatbelt" | "none";
  reason: string;
  bubblewrap?: { path: string; extraArgs: string[] };
  /** Whether the "internet" network mode works here (slirp4netns), and why not. */
  internet?: { available: boolean; reason: string; slirp4netns?: string };
}

/** An "always for this agent" approval (session-scoped ones live in memory and end with the session). */
export const RememberedApproval = T.Object({
  id: T.String(),
  agentId: T.String(),
  /** The agent's name when the agent still exists. */
  agentName: T.Optional(T.String()),
  tool: T.String(),
  /**
   * What it covers (src/sandbox/approval-scopes.ts): `file:<absolute path>`, `folder:<absolute path>`,
   * `command:<exact command>`, `program:<program>`, `host:<host>`, or `*` (every call of the tool).
   */
  pattern: T.String(),
  createdAt: T.Number(),
});
export type RememberedApproval = Static<typeof RememberedApproval>;

/** A row of the audit log. `sessionId` is empty for runs from the "try it" runner. */
export const AuditEntry = T.Object({
  id: T.String(),
  sessionId: T.String(),
  agentId: T.String(),
  turnId: T.Union([T.String(), T.Null()]),
  callId: T.String(),
  tool: T.String(),
  /** The arguments as JSON text (cut at 20,000 characters). */
  input: T.String(),
  /** allowed | approved-once | approved-session | approved-always | denied | policy-denied | manual | none */
  decision: T.String(),
  /** completed | error | denied | stopped */
  status: T.String(),
  summary: T.String(),
  startedAt: T.Number(),
  endedAt: T.Union([T.Number(), T.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = T.Object({
  entries: T.Array(AuditEntry),
  /** Pass as `before` for the next (older) page; absent on the last page. */
  nextBefore: T.Optional(T.String()),
});
export type AuditPage = Static<typeof AuditPage>;

export const UndoReport = T.Object({
  turnId: T.String(),
  /** Workspace-relative paths given back their content from before the turn. */
  restored: T.Array(T.String()),
  /** Files the turn created, now deleted. */
  deleted: T.Array(T.String()),
  /** Files already as they were before the turn. */
  unchanged: T.Array(T.String()),
  /** Files that could not be restored, and why (too large to snapshot, now a folder, ...). */
  notRestorable: T.Array(T.Object({ path: T.String(), reason: T.String() })),
  /** When the turn was marked undone (absent for a turn that changed no files). */
  undoneAt: T.Optional(T.Number()),
});
export type UndoReport = Static<typeof UndoReport>;

/** A file a turn changed, as its Undo would treat it. */
export const TurnChangedFile = T.Object({
  /** Workspace-relative path. */
  path: T.String(),
  /** The turn created it: undo deletes it (else undo puts its old content back). */
  created: T.Boolean(),
});
export type TurnChangedFile = Static<typeof TurnChangedFile>;

/** One turn's file changes (what its Undo would restore) and whether Undo was already used. */
export const TurnFileChanges = T.Object({
  turnId: T.String(),
  files: T.Array(TurnChangedFile),
  /** When the user undid this turn, or null. */
  undoneAt: T.Union([T.Number(), T.Null()]),
});
export type TurnFileChanges = Static<typeof TurnFileChanges>;
