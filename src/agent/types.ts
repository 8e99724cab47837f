/**
 * The agent runtime's contract with the layer that stores and streams (src/sessions). The runtime
 * decides *what* happens in a turn; the sink records it (SQLite + event log) and the session layer
 * answers approvals and questions. No storage, HTTP or socket code below this line.
 *
 * A turn is a sequence of steps. Each step is one model call and becomes one assistant message whose
 * parts are, in order: reasoning, text, and the tool calls the model asked for (their results are
 * stored on the tool parts). Steps repeat until the model answers without tool calls, the user stops,
 * or the step limit asks the user whether to go on. A step retried after a provider failure is still
 * one message in the chat: each attempt is stored, the last one replaces the ones before it.
 */
import type { LanguageModel } from "ai";
import type { AgentConfig } from "../shared/agent.ts";
import type { ApprovalScope, Question, RepeatedCall, TurnNotice } from "../shared/events.ts";
import type { CompactionPart, Message, ToolOutput, ToolStatus, Usage } from "../shared/parts.ts";
import type { ModelInfo } from "../shared/provider.ts";
import type { PlanMode } from "./plan-mode.ts";
import type { ProviderFailure } from "./provider-errors.ts";
import type { ProviderAccess, ReasoningEffort } from "./providers.ts";
import type { Answers, AnyTool, ApprovalDescription, ToolServices, Workspace } from "./tool-contract.ts";

/** The model a turn talks to. */
export interface ResolvedModel {
  provider: ProviderAccess;
  info: ModelInfo;
  model: LanguageModel;
  /** For titles and summaries (the fast model when one is set). */
  fast: LanguageModel;
}

export type ApprovalDecision =
  | {
      kind: "allow";
      via: "policy" | "remembered" | "once" | "session" | "always";
      /** For "session" / "always": the chosen scope's pattern (one the request offered). */
      scope?: string;
    }
  | { kind: "deny"; via: "policy" | "user"; reason?: string };

/** Records what the runtime does. Implemented by the session layer; every method emits events. */
export interface TurnSink {
  /**
   * A new assistant message for one step. `retryOf`: an automatic retry of that failed attempt. The
   * retry takes its place (same parent) and lists its error (and the ones it listed) in
   * `info.attempts`; the failed attempt stays stored, marked `supersededBy`, and leaves the chat.
   */
  startStep(model: string, retryOf?: string): string;
  startText(messageId: string, kind: "text" | "reasoning"): string;
  appendText(messageId: string, partId: string, delta: string): void;
  endText(messageId: string, partId: string): void;
  addToolCall(messageId: string, callId: string, tool: string, input: unknown): string;
  toolStarted(messageId: string, partId: string): void;
  toolProgress(messageId: string, partId: string, stream: "stdout" | "stderr" | "info", text: string): void;
  toolEnded(messageId: string, partId: string, outcome: ToolOutcome): void;
  addError(messageId: string, failure: ProviderFailure): void;
  finishStep(messageId: string, status: "completed" | "stopped" | "error", usage: Usage | undefined): void;
  retrying(attempt: number, delayMs: number, reason: string): void;
  /** Guidance the user injected while the turn ran, now delivered: stored as a user message. */
  addGuidance(text: string): Message;
  /**
   * A context marker: a summary replacing messages up to `upToMessageId` for the model, or a prune
   * (`mode: "prune"`) stubbing the tool outputs up to it. Stored as a message of kind "summary".
   */
  addCompaction(compaction: Omit<CompactionPart, "id" | "type">): Message;
  usage(usage: Usage): void;
  /** The message as recorded so far (info and parts), kept current: later calls show in it. */
  message(messageId: string): Message;
}

/** Asks the user things and waits (approvals, ask_user, step limit, loop). Resolves null when cancelled. */
export interface TurnInteraction {
  approve(request: {
    messageId: string;
    partId: string;
    tool: string;
    description: ApprovalDescription;
    input: unknown;
    /** What "for this session" / "always" may cover, narrowest first. */
    scopes: ApprovalScope[];
    /** Also ends the request as stopped (besides the turn's stop): a sub-agent's own stop. */
    signal?: AbortSignal;
    /** The id to ask it under (a sub-agent's request keeps one id in every chat that shows it). */
    approvalId?: string;
  }): Promise<ApprovalDecision>;
  ask(request: {
    messageId?: string;
    partId?: string;
    purpose: "ask_user" | "continue" | "loop" | "plan";
    questions: Question[];
    /** With purpose "loop": the call that kept failing. */
    repeated?: RepeatedCall;
    /** Also ends the question as cancelled (besides the turn's stop): a sub-agent's own stop. */
    signal?: AbortSignal;
    /** The id to ask it under (a sub-agent's question keeps one id in every chat that shows it). */
    questionId?: string;
  }): Promise<Answers | null>;
  /** Guidance queued by the user since the last call (delivered at the next step). */
  takeGuidance(): string[];
}

export interface ToolOutcome {
  status: Extract<ToolStatus, "completed" | "error" | "denied">;
  output?: ToolOutput;
  error?: string;
  /** What goes back to the model. */
  modelText: string;
  modelImages?: { mime: string; data: string }[];
  durationMs: number;
}

/** Policy and bookkeeping around tool runs (approval rules, undo snapshots, the audit log). */
export interface ToolGuard {
  /** allow / ask / deny for this call, before any prompt (remembered approvals count as allow). */
  rule(tool: AnyTool, input: unknown, description: ApprovalDescription): "allow" | "ask" | "deny";
  /** What "for this session" / "always" may cover for this call, narrowest first (never empty). */
  scopes(tool: AnyTool, input: unknown): ApprovalScope[];
  /**
   * Remember a user's "session" / "always" answer for `pattern`, one of `scopes(tool, input)`; any
   * other value (or none) remembers the narrowest scope.
   */
  remember(tool: AnyTool, input: unknown, via: "session" | "always", pattern?: string): void;
  /** Save the current content of paths before the turn first changes them. */
  snapshot(paths: string[]): void;
  audit(entry: {
    callId: string;
    tool: string;
    input: unknown;
    decision: string;
    status: string;
    summary: string;
    startedAt: number;
  }): void;
}

export interface TurnRequest {
  sessionId: string;
  turnId: string;
  agentId: string;
  agent: AgentConfig;
  model: ResolvedModel;
  /** The conversation on the active branch, ending with the user's new message. */
  history: Message[];
  /** Extra system text for this turn (enabled skills list, pinned skill bodies ...). */
  systemExtras: string[];
  tools: AnyTool[];
  workspace: Workspace;
  services: ToolServices;
  sink: TurnSink;
  interaction: TurnInteraction;
  guard: ToolGuard;
  signal: AbortSignal;
  reasoningEffort?: ReasoningEffort;
  /** Read a workspace file as base64 (attachments, images for vision models). */
  readAttachment(path: string): Promise<{ data: string; mime: string } | undefined>;
  /** Where long tool output is written (workspace-relative folder). */
  toolOutputDir: string;
  /**
   * The wait before retry number `attempt` of a failed step (default `backoffDelay` in retry.ts: the
   * provider's Retry-After, else exponential with jitter). Tests of the loop pass zero.
   */
  retryDelay?: (attempt: number, retryAfterMs: number | undefined) => number;
  /** Set when the user sent this message in plan mode (see plan-mode.ts). */
  planMode?: PlanMode;
}

export interface TurnResult {
  status: "completed" | "stopped" | "error";
  reason?: string;
  usage: Usage;
  /** Set when the turn did nothing visible and the user should be told why (see TurnNotice). */
  notice?: TurnNotice;
}
