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

const KEEP_RECENT = 6;
const SUMMARY_PROMPT = `Summarise the conversation so far for your own later use. The summary replaces the
older messages, so keep everything needed to continue the work: the user's goals and constraints, decisions
made, files created or changed (with paths), commands run and their important results, open problems and
next steps. Be specific and factual; use short Markdown sections. Do not address the user.`;

export async function compactHistory(
  request: TurnRequest,
  history: Message[],
  tokensBefore: number,
): Promise<Message | undefined> {
  const visible = modelVisibleMessages(history);
  let cut = visible.length - KEEP_RECENT - 1;
  // Never cut between a step and the next message (tool results live on the step's parts), and keep the
  // newest user message verbatim.
  while (cut > 0 && visible[cut + 1]?.info.role === "assistant" && visible[cut]?.info.role === "assistant")
    cut--;
  if (cut < 1) return undefined;
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
  } catch {
    return undefined;
  }
  if (!summary) return undefined;
  const kept = visible.slice(cut + 1);
  const tokensAfter =
    Math.ceil(summary.length / 4) + kept.reduce((sum, m) => sum + estimateMessageTokens(m), 0);
  return request.sink.addCompaction(summary, upTo.info.id, older.length, tokensBefore, tokensAfter);
}

/** `/compact`: compact the session now, whatever the budget says. */
export async function compactNow(request: TurnRequest): Promise<TurnResult> {
  const usage = { inputTokens: 0, outputTokens: 0 };
  const visible = modelVisibleMessages(request.history);
  const { estimated } = checkBudget({
    contextWindow: request.model.info.contextWindow,
    maxOutputTokens: request.agent.maxOutputTokens,
    fixedTokens: estimateTokens(request.systemExtras.join("\n")),
    messages: visible,
  });
  const summary = await compactHistory(request, request.history, estimated);
  if (request.signal.aborted) return { status: "stopped", usage };
  if (!summary)
    return { status: "completed", reason: "There is not enough conversation to compact yet.", usage };
  return { status: "completed", reason: "compacted", usage };
}
