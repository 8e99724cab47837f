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
import type { ApprovalRule } from "./agent.ts";

export type ToolKindName = "read" | "write" | "shell" | "network" | "browser" | "interaction" | "mcp";

/** Where a tool comes from: built into Sage, or an MCP server. */
export type ToolSource = "builtin" | "mcp";

export interface ToolInfo {
  name: string;
  description: string;
  kind: ToolKindName;
  source: ToolSource;
  /** The MCP server of an `mcp` tool. */
  server?: string;
  /** The rule an agent gets when it sets none for this tool. */
  defaultRule: ApprovalRule;
  /** Asks before every call, whatever was remembered (browser_evaluate). */
  alwaysAsks: boolean;
  /**
   * Set when the tool cannot do its work outside a chat session (the plan, questions to the user):
   * says why, for the "try it" runner.
   */
  needsSession?: string;
  /** The arguments' JSON Schema (TypeBox schemas are JSON Schema). */
  parameters: JsonSchema;
}

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

export interface ToolRunRequest {
  /** The agent whose workspace, skills and browser the run uses; the default agent when absent. */
  agentId?: string;
  /** The tool's arguments, checked against its schema. */
  input: unknown;
}

export interface ToolRunImage {
  mime: string;
  /** `data:<mime>;base64,...`, ready for an <img>. */
  dataUrl: string;
  /** Workspace-relative path where the tool saved the image, when it did. */
  path?: string;
}

export interface ToolRunResult {
  tool: string;
  agentId: string;
  /** `denied`: the agent's policy denies this tool; nothing ran. */
  status: "completed" | "error" | "denied";
  text: string;
  error?: string;
  details?: Record<string, unknown>;
  images: ToolRunImage[];
  /** Progress lines the tool reported while it ran. */
  progress: string;
  /** The text was longer than the runner returns; the rest was dropped. */
  truncated: boolean;
  durationMs: number;
  /** The audit log entry of this run. */
  auditId: string;
}

export interface SandboxStatusInfo {
  mode: "bubblewrap" | "seatbelt" | "none";
  reason: string;
  bubblewrap?: { path: string; extraArgs: string[] };
  /** Whether the "internet" network mode works here (slirp4netns), and why not. */
  internet?: { available: boolean; reason: string; slirp4netns?: string };
}

/** An "always for this agent" approval (session-scoped ones live in memory and end with the session). */
export interface RememberedApproval {
  id: string;
  agentId: string;
  /** The agent's name when the agent still exists. */
  agentName?: string;
  tool: string;
  /**
   * What it covers (src/sandbox/approval-scopes.ts): `file:<absolute path>`, `folder:<absolute path>`,
   * `command:<exact command>`, `program:<program>`, `host:<host>`, or `*` (every call of the tool).
   */
  pattern: string;
  createdAt: number;
}

/** A row of the audit log. `sessionId` is empty for runs from the "try it" runner. */
export interface AuditEntry {
  id: string;
  sessionId: string;
  agentId: string;
  turnId: string | null;
  callId: string;
  tool: string;
  /** The arguments as JSON text (cut at 20,000 characters). */
  input: string;
  /** allowed | approved-once | approved-session | approved-always | denied | policy-denied | manual | none */
  decision: string;
  /** completed | error | denied | stopped */
  status: string;
  summary: string;
  startedAt: number;
  endedAt: number | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  nextBefore?: string;
}

export interface UndoReport {
  turnId: string;
  /** Workspace-relative paths given back their content from before the turn. */
  restored: string[];
  /** Files the turn created, now deleted. */
  deleted: string[];
  /** Files already as they were before the turn. */
  unchanged: string[];
  /** Files that could not be restored, and why (too large to snapshot, now a folder, ...). */
  notRestorable: { path: string; reason: string }[];
  /** When the turn was marked undone (absent for a turn that changed no files). */
  undoneAt?: number;
}

/** A file a turn changed, as its Undo would treat it. */
export interface TurnChangedFile {
  /** Workspace-relative path. */
  path: string;
  /** The turn created it: undo deletes it (else undo puts its old content back). */
  created: boolean;
}

/** One turn's file changes (what its Undo would restore) and whether Undo was already used. */
export interface TurnFileChanges {
  turnId: string;
  files: TurnChangedFile[];
  /** When the user undid this turn, or null. */
  undoneAt: number | null;
}
