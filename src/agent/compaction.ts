/**
 * Compaction by summary: older history is summarised by the (fast) model into a summary message. The
 * model then sees the summary instead of the older messages; the originals stay stored, visible and
 * searchable. Pruning (pruning.ts) is tried first: it is free; this costs a model call.
 *
 * Contract:
 * - The cut may fall between any two messages, also between two steps of the same turn (each step
 *   carries its own tool results). The newest message is always kept; automatic compaction keeps as
 *   many of the newest messages as fit `keepTokens`, `/compact` keeps the newest KEEP_RECENT.
 * - A new summary builds on the previous one: the summary request gets the previous summary and only
 *   the messages after it, and is told to update it. That request is bounded too: tool outputs are
 *   clipped, and the oldest messages are left out (said so) when even that does not fit.
 * - What the agent needs to continue is in every summary: the model's own account (task, decisions,
 *   files, commands, open problems, next steps), plus, added verbatim by Sage, the current request when
 *   it was summarised away and the open todo items.
 * - Returns why it did nothing instead of throwing: too little to summarise, or the summary call failed.
 */

import type { ModelMessage } from "ai";
import type { CompactionPart, Message } from "../shared/parts.ts";
import { loadAiSdk } from "./ai-sdk.ts";
import {
  Calibration,
  type ContextBudget,
  contextBudget,
  estimateFixed,
  estimateMessageTokens,
  estimateModelMessages,
  estimateTokens,
} from "./context-budget.ts";
import {
  isPrunable,
  isSummary,
  modelVisibleMessages,
  prunedMessageIds,
  pruneStub,
  toModelMessages,
} from "./history.ts";
import { buildSystemPrompt } from "./prompt.ts";
import type { TurnRequest, TurnResult } from "./types.ts";

const SUMMARY_PROMPT = `You keep the running summary of a long working session between a user and an AI agent
(you). The summary replaces the older messages, so it must hold everything needed to continue the work:
the user's goals and constraints, the current task and how far it got, decisions made, files created or
changed (with paths), commands run and their important results, errors met and how they were solved, open
problems and next steps. If the conversation starts with an earlier summary, update it: keep what is still
true and relevant, add the new messages, drop what was superseded. Be specific and factual; use short
Markdown sections. Do not address the user.`;

/** Headings Sage appends itself; stripped from a previous summary before it is summarised again. */
const REQUEST_HEADING = "## Current request (verbatim)";
const TODOS_HEADING = "## Open todo items";

/** How many of the newest messages `/compact` always keeps verbatim (besides the current one). */
export const KEEP_RECENT = 6;
/** Tool outputs in a summary request are clipped to this many characters, then fewer if needed. */
const CLIP_STEPS = [2000, 500, 100];
/** The current request is quoted up to this length. */
const REQUEST_QUOTE_CHARS = 4000;

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

/** How long a summary may be (tokens): an eighth of the landing target, within 400-4000. */
export function summaryAllowance(budget: ContextBudget): number {
  return Math.max(400, Math.min(4000, Math.floor(budget.target / 8)));
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
  let text: string;
  try {
    text = await summaryText(request, older, sizes.budget, sizes.calibration);
  } catch (error) {
    if (request.signal.aborted) return { kind: "failed", error: "Stopped." };
    return { kind: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  if (!text) return { kind: "failed", error: "the model returned an empty summary" };
  const summary = withAppendix(text, request, older);
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

/** The summary request (bounded to the budget) and the model's answer. */
async function summaryText(
  request: TurnRequest,
  older: Message[],
  budget: ContextBudget,
  calibration: Calibration,
): Promise<string> {
  const allowance = summaryAllowance(budget);
  const room = calibration.raw(budget.limit) - estimateTokens(SUMMARY_PROMPT) - allowance;
  const input = await boundedInput(request, stripAppendix(older), room);
  const { generateText } = await loadAiSdk();
  const result = await generateText({
    model: request.model.fast,
    system: SUMMARY_PROMPT,
    messages: [
      ...input,
      {
        role: "user",
        content: `Write the updated summary now, in at most about ${Math.floor(allowance * 0.6)} words.`,
      },
    ],
    maxOutputTokens: allowance,
    abortSignal: request.signal,
    maxRetries: 2,
  });
  return result.text.trim();
}

/** The messages to summarise, with tool outputs clipped, and the oldest left out if still too big. */
async function boundedInput(request: TurnRequest, older: Message[], room: number): Promise<ModelMessage[]> {
  const options = {
    vision: false,
    readAttachment: request.readAttachment,
    toolOutputDir: request.toolOutputDir,
  };
  let messages: ModelMessage[] = [];
  for (const clip of CLIP_STEPS) {
    messages = await toModelMessages(older, { ...options, clipOutputs: clip });
    if (estimateModelMessages(messages) <= room) return messages;
  }
  // Still too big: leave out the oldest messages after the previous summary, and say so.
  let dropped = 0;
  while (messages.length > 2 && estimateModelMessages(messages) > room) {
    const index = isSummary(older[0]) ? 1 : 0;
    messages.splice(index, 1);
    dropped++;
  }
  if (dropped > 0)
    messages.splice(isSummary(older[0]) ? 1 : 0, 0, {
      role: "user",
      content: `[${dropped} older messages did not fit into this summary request and are left out.]`,
    });
  return messages;
}

/** The previous summary without the sections Sage appends itself (they are added again, fresh). */
function stripAppendix(older: Message[]): Message[] {
  return older.map((message) => {
    if (!isSummary(message)) return message;
    return {
      ...message,
      parts: message.parts.map((part) =>
        part.type === "compaction" ? { ...part, summary: withoutAppendix(part.summary) } : part,
      ),
    };
  });
}

function withoutAppendix(summary: string): string {
  const at = [summary.indexOf(`\n${REQUEST_HEADING}`), summary.indexOf(`\n${TODOS_HEADING}`)]
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  return at === undefined ? summary : summary.slice(0, at).trimEnd();
}

/** The model's summary plus, verbatim, the current request (when summarised away) and open todos. */
function withAppendix(text: string, request: TurnRequest, older: Message[]): string {
  const sections = [withoutAppendix(text)];
  const current = request.history.findLast((m) => m.info.role === "user" && m.info.kind === "normal");
  if (current && older.some((m) => m.info.id === current.info.id)) {
    const words = current.parts
      .map((p) => (p.type === "text" ? p.text : p.type === "file" ? `[attached: ${p.path}]` : ""))
      .filter(Boolean)
      .join("\n");
    const quoted = words.length > REQUEST_QUOTE_CHARS ? `${words.slice(0, REQUEST_QUOTE_CHARS)} […]` : words;
    sections.push(`${REQUEST_HEADING}\n\n${quoted.replace(/^/gm, "> ")}`);
  }
  const todos = (request.services.todos?.get() ?? []).filter(
    (t) => t.status === "pending" || t.status === "in_progress",
  );
  if (todos.length > 0)
    sections.push(`${TODOS_HEADING}\n\n${todos.map((t) => `- [${t.status}] ${t.text}`).join("\n")}`);
  return sections.join("\n\n");
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
