/**
 * Compaction by summary: older history is summarised by the (fast) model into a summary message. The
 * model then sees the summary instead of the older messages; the originals stay stored, visible and
 * searchable. Pruning (pruning.ts) is tried first: it is free; this costs a model call.
 *
 * Contract:
 * - The cut may fall between any two messages, also between two steps of the same turn (each step
 *   carries its own tool results). The newest message is always kept; automatic compaction keeps as
 *   many of the newest messages as fit `keepTokens`, `/compact` keeps the newest KEEP_RECENT.
 * - A new summary builds on the previous one, its request is bounded, and it carries the latest
 *   request and open todos verbatim (see summary.ts).
 * - Returns why it did nothing instead of throwing: too little to summarise, or the summary call failed.
 */

import type { CompactionPart, Message } from "../shared/parts.ts";
import {
  Calibration,
  type ContextBudget,
  contextBudget,
  estimateFixed,
  estimateMessageTokens,
  estimateTokens,
} from "./context-budget.ts";
import { isPrunable, isSummary, modelVisibleMessages, prunedMessageIds, pruneStub } from "./history.ts";
import { buildSystemPrompt } from "./prompt.ts";
import { type SummaryContext, writeSummary } from "./summary.ts";
import type { TurnRequest, TurnResult } from "./types.ts";

/** How many of the newest messages `/compact` always keeps verbatim (besides the current one). */
export const KEEP_RECENT = 6;

export type CompactionOutcome =
  | { kind: "compacted"; summary: Message }
  | { kind: "nothing" }
  | { kind: "failed"; error: string };

/** Raw tokens of a visible message as it is sent (pruned outputs counted as their stubs). */
function sentTokens(message: Message, pruned: Set<string>): number {
  if (!pruned.has(message.info.id)) return estimateMessageTokens(message);
  let tokens = estimateMessageTokens(message);
  for (const part of message.parts)
    if (isPrunable(part)) tokens += estimateTokens(pruneStub(part)) - estimateTokens(part.output?.text ?? "");
  return tokens;
}

/**
 * Index (in `visible`) of the last message a summary would stand for, keeping the newest messages
 * that fit `keepTokens` (raw) and at least the newest one; -1 when nothing new would be summarised.
 */
export function cutByTokens(visible: Message[], pruned: Set<string>, keepTokens: number): number {
  let kept = 0;
  let cut = visible.length - 2;
  for (; cut >= 0; cut--) {
    const next = visible[cut + 1] as Message;
    kept += sentTokens(next, pruned);
    if (kept > keepTokens) break;
  }
  return worthIt(visible, cut) ? cut : -1;
}

/** `/compact`: keep the newest KEEP_RECENT messages (and the current one). */
export function cutByCount(visible: Message[]): number {
  const cut = visible.length - KEEP_RECENT - 1;
  return worthIt(visible, cut) ? cut : -1;
}

/** A cut is worth a summary when it covers at least one message that is not already a summary. */
function worthIt(visible: Message[], cut: number): boolean {
  return cut >= 0 && visible.slice(0, cut + 1).some((m) => !isSummary(m));
}

/**
 * Summarise `visible[0..cut]` (the previous summary, if any, first) into a summary message and record
 * it. `tokensBefore`/`tokensAfter` are for the marker; `measure` gives the size of the request the
 * summary would lead to, before it is recorded.
 */
export async function summarise(
  request: TurnRequest,
  history: Message[],
  cut: number,
  sizes: { budget: ContextBudget; calibration: Calibration; tokensBefore: number },
  measure: (provisional: Message) => Promise<number>,
): Promise<CompactionOutcome> {
  const visible = modelVisibleMessages(history);
  if (!worthIt(visible, cut)) return { kind: "nothing" };
  const older = visible.slice(0, cut + 1);
  const upTo = older[older.length - 1] as Message;
  let summary: string;
  try {
    summary = await writeSummary(summaryContext(request), older, sizes.budget, sizes.calibration);
  } catch (error) {
    if (request.signal.aborted) return { kind: "failed", error: "Stopped." };
    return { kind: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  const fields: Omit<CompactionPart, "id" | "type"> = {
    mode: "summary",
    summary,
    upToMessageId: upTo.info.id,
    replacedCount: older.filter((m) => !isSummary(m)).length,
    tokensBefore: sizes.tokensBefore,
    tokensAfter: 0,
  };
  const tokensAfter = await measure(provisionalSummary(upTo, fields));
  return { kind: "compacted", summary: request.sink.addCompaction({ ...fields, tokensAfter }) };
}

/** What the summariser needs from a turn. */
function summaryContext(request: TurnRequest): SummaryContext {
  return {
    fast: request.model.fast,
    signal: request.signal,
    readAttachment: request.readAttachment,
    toolOutputDir: request.toolOutputDir,
    latestRequest: request.history.findLast((m) => m.info.role === "user" && m.info.kind === "normal"),
    todos: request.services.todos?.get() ?? [],
  };
}

/** The summary message before it is recorded (to measure the request it leads to). */
function provisionalSummary(upTo: Message, fields: Omit<CompactionPart, "id" | "type">): Message {
  return {
    info: { ...upTo.info, id: "provisional-summary", kind: "summary", role: "assistant", usage: undefined },
    parts: [{ id: "provisional-part", type: "compaction", ...fields }],
  };
}

/**
 * `/compact`: compact the session now, whatever the budget says. When it cannot, the result carries a
 * notice saying why (too little conversation, with the numbers; or the summary request's error) and
 * the conversation is left exactly as it was.
 */
export async function compactNow(request: TurnRequest): Promise<TurnResult> {
  const calibration = new Calibration(request.history);
  const usage = { inputTokens: 0, outputTokens: 0 };
  const budget = contextBudget(request.model.info.contextWindow, request.agent.maxOutputTokens);
  const visible = modelVisibleMessages(request.history);
  const pruned = prunedMessageIds(request.history);
  const system = buildSystemPrompt({
    agent: request.agent,
    workspaceRoot: request.workspace.root,
    date: new Date(),
    extras: request.systemExtras,
  });
  const fixed = estimateFixed(system, request.tools);
  const measureRaw = (messages: Message[]) => messages.reduce((sum, m) => sum + sentTokens(m, pruned), fixed);
  const estimated = calibration.tokens(measureRaw(visible));
  const cut = cutByCount(visible);
  const outcome =
    cut < 0
      ? ({ kind: "nothing" } as const)
      : await summarise(
          request,
          request.history,
          cut,
          { budget, calibration, tokensBefore: estimated },
          async (provisional) => calibration.tokens(measureRaw([provisional, ...visible.slice(cut + 1)])),
        );
  if (request.signal.aborted) return { status: "stopped", usage };
  if (outcome.kind === "nothing") {
    return {
      status: "completed",
      reason: `Nothing to compact yet: the conversation is short (${visible.length} messages, about ${estimated} of ${budget.limit} tokens).`,
      usage,
      notice: {
        code: "nothing-to-compact",
        messages: visible.length,
        keptMessages: KEEP_RECENT,
        tokens: estimated,
        limit: budget.limit,
      },
    };
  }
  if (outcome.kind === "failed") {
    return {
      status: "completed",
      reason: `Could not compact: the summary request failed (${outcome.error}).`,
      usage,
      notice: { code: "compact-failed", error: outcome.error },
    };
  }
  return { status: "completed", reason: "compacted", usage };
}
