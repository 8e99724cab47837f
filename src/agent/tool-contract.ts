/**
 * The tool contract. A tool is one file exporting a `ToolDefinition`: a TypeBox schema for its
 * arguments, the description the model reads, and `execute(params, ctx)`.
 *
 * The agent loop, not the tool, is responsible for: validating arguments against `parameters`,
 * applying the approval policy (using `kind` and `describe`), snapshotting the files named by
 * `touches` before the first change (undo), truncating long output (saving the full text to a file in
 * the workspace), recording the run in the audit log, and turning any thrown error into an error
 * result for the model. A tool simply does its work and throws a `ToolError` (or anything) on failure.
 */
import type { Static, TSchema } from "@sinclair/typebox";
import type { Question, TodoItem } from "../shared/events.ts";

/** How a tool affects the world; decides the default approval policy (see sandbox/approval-policy.ts). */
export type ToolKind =
  /** reads inside the workspace: allowed by default */
  | "read"
  /** creates, changes or deletes files in the workspace: asks by default */
  | "write"
  /** runs a process: asks by default */
  | "shell"
  /** reaches the network: asks by default */
  | "network"
  /** drives the browser: asks by default (navigation and reading pages may be allowed) */
  | "browser"
  /** talks to the user or the session only (todo, ask_user, load_skill): always allowed */
  | "interaction"
  /** a tool of an MCP server (src/mcp/): asks by default */
  | "mcp";

/** The agent's workspace folder; file tools may only touch what `resolve` accepts. */
export interface Workspace {
  /** Absolute, symlink-resolved root of the workspace. */
  readonly root: string;
  /**
   * Resolve a path given by the model to an absolute path inside the workspace.
   * Relative paths are taken from the root. Absolute paths, `..` escapes, and symlinks whose target
   * lies outside the root are refused with a `WorkspaceEscapeError`. The target need not exist.
   */
  resolve(path: string): string;
  /** The workspace-relative form of an absolute path inside the workspace (for messages and events). */
  relative(absolutePath: string): string;
  /**
   * Whether an absolute path lies in a folder no tool may touch (Sage's own folders, credential
   * folders): listings leave such entries out, `resolve` refuses them.
   */
  isHidden(absolutePath: string): boolean;
}

export type ProgressUpdate = { stream: "stdout" | "stderr" | "info"; text: string };

export type Answers = Record<string, string | string[]>;

export interface ToolContext {
  /** Aborted when the user stops the turn; every await in a tool must honour it. */
  signal: AbortSignal;
  workspace: Workspace;
  sessionId: string;
  agentId: string;
  turnId: string;
  callId: string;
  /** The assistant message and tool part of this call (absent outside a turn: the "try it" runner). */
  messageId?: string;
  partId?: string;
  /** Live progress shown under the tool's card (coalesced by the loop). */
  progress(update: ProgressUpdate): void;
  /**
   * Ask the user and wait. Resolves with the answers keyed by question id, or `null` when the user
   * cancelled or the turn was stopped. `purpose` "plan" shows the question as a plan to review
   * (src/shared/plan.ts); default "ask_user".
   */
  ask(questions: Question[], purpose?: "ask_user" | "plan"): Promise<Answers | null>;
  /** Session-scoped services a tool may need (todo list, skills, shell jobs, browser ...). */
  services: ToolServices;
}

/**
 * Services passed to tools, by name. Each is optional so a tool that needs one can say clearly when it
 * is missing (the Tools page's "try it" runner has no session; a turn without a search provider has no
 * `webSearch`). The session builds the object (src/sessions/turn-setup.ts).
 *
 * The contract imports no domain: each domain that offers a service declares its field beside the
 * service, by augmenting this interface (`declare module ".../agent/tool-contract.ts"`): `browser`
 * (src/browser/types.ts), `sandbox` (src/sandbox/types.ts), `shellJobs` (src/sandbox/shell-jobs.ts),
 * `skills` (src/skills/catalog.ts), `webFetch` (src/tools/web-fetch.ts), `webSearch`
 * (src/search/web-search.ts), `mcpSampling` (src/mcp/sampling.ts).
 */
export interface ToolServices {
  /** The session's todo list (the todo tool). */
  todos?: { get(): TodoItem[]; set(items: TodoItem[]): void };
}

export interface ToolImage {
  mime: string;
  /** Base64 data, sent to vision models. */
  data: string;
  /** Workspace-relative path where the image is stored (shown in the UI). */
  path?: string;
}

export interface ToolResult {
  /** What the model reads. Long text is truncated by the loop, never by the tool. */
  text: string;
  images?: ToolImage[];
  /**
   * Data for the UI card (exit code, diff, URL, byte size ...). Never sent to the model.
   * `stopped: true` says the stop cut the work short: the call is recorded as stopped (an error part
   * that keeps this partial output), not as completed.
   */
  details?: Record<string, unknown>;
}

/** What an approval prompt shows for one call. */
export interface ApprovalDescription {
  title: string;
  detail: string;
  detailKind: "command" | "diff" | "url" | "json";
  /** The call reaches this computer or the local network (the prompt says so plainly). */
  locality?: "this-computer" | "local-network";
}

export interface ToolDefinition<S extends TSchema = TSchema> {
  /** snake_case, unique, what the model calls. */
  name: string;
  /** What the model reads to decide when and how to call the tool. */
  description: string;
  parameters: S;
  kind: ToolKind;
  /**
   * Checks arguments instead of TypeBox (`parameters` is then plain JSON Schema, e.g. an MCP tool's):
   * returns the problems as one sentence, or undefined when the arguments are valid.
   */
  validate?(input: unknown): string | undefined;
  /**
   * The rule an agent gets when it sets none, instead of the kind's default. Only set where the user
   * chose it (an MCP server whose read-only tools they trust); never by a tool about itself.
   */
  defaultApproval?: "allow" | "ask";
  /** Where the tool comes from: built in (default) or an MCP server, with the server's name. */
  origin?: { source: "mcp"; server: string };
  /**
   * Summarise a call for an approval prompt; defaults to the tool name and JSON arguments. May look at
   * services (the browser's latest snapshot, the address policy) but must not start anything. Runs
   * before the approval: a `ToolError` thrown here refuses the call without asking (e.g. an address
   * the policy refuses). `services` may be absent (callers outside a turn).
   */
  describe?(
    params: Static<S>,
    ctx: Pick<ToolContext, "workspace"> & Partial<Pick<ToolContext, "services">>,
  ): ApprovalDescription | Promise<ApprovalDescription>;
  /** Absolute paths this call may change, snapshotted before it runs so the turn can be undone. */
  touches?(params: Static<S>, ctx: Pick<ToolContext, "workspace">): string[];
  execute(params: Static<S>, ctx: ToolContext): Promise<ToolResult>;
}

/** A tool failure with a message meant for the model (and the user). */
export class ToolError extends Error {
  override readonly name = "ToolError";
}

/** Helper that keeps the schema's static type attached to `execute`. */
export function defineTool<S extends TSchema>(tool: ToolDefinition<S>): ToolDefinition<S> {
  return tool;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every schema
export type AnyTool = ToolDefinition<any>;
