/**
 * Compaction: when the next request would not fit the context window, older history is summarised by
 * the (fast) model into a summary message. The model then sees the summary instead of the older
 * messages; the originals stay stored, visible and searchable.
 *
 * Contract: keeps the newest messages (at least the current user message and the last KEEP_RECENT
 * messages) verbatim; never splits an assistant step from its tool results; returns undefined when there
 * is nothing worth compacting or the summary call fails (the turn then goes on and may hit the limit).
 */

import type { Message } from "../shared/parts.ts";
import { loadAiSdk } from "./ai-sdk.ts";
import { checkBudget, estimateMessageTokens, estimateTokens } from "./context-budget.ts";
import { modelVisibleMessages, toModelMessages } from "./history.ts";
import type { TurnRequest, TurnResult } from "./types.ts";

const SUMMARY_PROMPT = `Summarise the conversation so far for your own later use. The summary replaces the
older messages, so keep everything needed to continue the work: the user's goals and constraints, decisions
made, files created or changed (with paths), commands run and their important results, open problems and
next steps. Be specific and factual; use short Markdown sections. Do not address the user.`;

/** How many of the newest messages compaction always keeps verbatim (besides the current one). */
export const KEEP_RECENT = 6;

/**
 * Index (in `visible`) of the last message a summary would stand for, or -1 when there is nothing
 * worth compacting: too few messages, or only the newest ones, which are always kept.
 */
export function compactionCut(visible: Message[]): number {
  let cut = visible.length - KEEP_RECENT - 1;
  // Never cut between a step and the next message (tool results live on the step's parts), and keep the
  // newest user message verbatim.
  while (cut > 0 && visible[cut + 1]?.info.role === "assistant" && visible[cut]?.info.role === "assistant")
    cut--;
  return cut < 1 ? -1 : cut;
}

export type CompactionOutcome =
  | { kind: "compacted"; summary: Message }
  | { kind: "nothing" }
  | { kind: "failed"; error: string };

/** Summarise the older history into a summary message; says why when it did not. */
export async function tryCompaction(
  request: TurnRequest,
  history: Message[],
  tokensBefore: number,
): Promise<CompactionOutcome> {
  const visible = modelVisibleMessages(history);
  const cut = compactionCut(visible);
  if (cut < 0) return { kind: "nothing" };
  const older = visible.slice(0, cut + 1);
  const upTo = older[older.length - 1] as Message;
  const messages = await toModelMessages(older, { vision: false, readAttachment: request.readAttachment });
  let summary: string;
  try {
    const { generateText } = await loadAiSdk();
    const result = await generateText({
      model: request.model.fast,
      system: SUMMARY_PROMPT,
      messages: [...messages, { role: "user", content: "Write the summary now." }],
      abortSignal: request.signal,
      maxRetries: 2,
    });
    summary = result.text.trim();
  } catch (error) {
    return { kind: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  if (!summary) return { kind: "failed", error: "the model returned an empty summary" };
  const kept = visible.slice(cut + 1);
  const tokensAfter =
    Math.ceil(summary.length / 4) + kept.reduce((sum, m) => sum + estimateMessageTokens(m), 0);
  return {
    kind: "compacted",
    summary: request.sink.addCompaction(summary, upTo.info.id, older.length, tokensBefore, tokensAfter),
  };
}

/** The summary message, or undefined when there is nothing worth compacting or the summary call failed. */
export async function compactHistory(
  request: TurnRequest,
  history: Message[],
  tokensBefore: number,
): Promise<Message | undefined> {
  const outcome = await tryCompaction(request, history, tokensBefore);
  return outcome.kind === "compacted" ? outcome.summary : undefined;
}

/**
 * `/compact`: compact the session now, whatever the budget says. When it cannot, the result carries a
 * notice saying why (too little conversation, with the numbers; or the summary request's error) and
 * the conversation is left exactly as it was.
 */
export async function compactNow(request: TurnRequest): Promise<TurnResult> {
  const usage = { inputTokens: 0, outputTokens: 0 };
  const visible = modelVisibleMessages(request.history);
  const { estimated, limit } = checkBudget({
    contextWindow: request.model.info.contextWindow,
    maxOutputTokens: request.agent.maxOutputTokens,
    fixedTokens: estimateTokens(request.systemExtras.join("\n")),
    messages: visible,
  });
  const outcome = await tryCompaction(request, request.history, estimated);
  if (request.signal.aborted) return { status: "stopped", usage };
  if (outcome.kind === "nothing") {
    return {
      status: "completed",
      reason: `Nothing to compact yet: the conversation is short (${visible.length} messages, about ${estimated} of ${limit} tokens).`,
      usage,
      notice: {
        code: "nothing-to-compact",
        messages: visible.length,
        keptMessages: KEEP_RECENT,
        tokens: estimated,
        limit,
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
