/**
 * The summariser: turns older messages (the previous summary first, when there is one) into a summary
 * the agent can continue from. Used by compaction (compaction.ts) and by "continue in a new chat".
 *
 * Contract:
 * - A new summary builds on the previous one: the model is told to update it, and is given only the
 *   messages after it. The sections Sage appends itself are stripped from the previous summary first
 *   (they are appended again, fresh), so they never pile up.
 * - The summary request fits the budget: tool outputs are clipped (2000, then 500, then 100
 *   characters), and when even that is too big the oldest messages after the previous summary are
 *   left out, with a line saying how many.
 * - Appended verbatim by Sage, not left to the model: the user's latest request when it is among the
 *   summarised messages, and the open todo items.
 * - Throws when the summary call fails or returns nothing (callers turn that into data).
 */
import type { LanguageModel, ModelMessage } from "ai";
import type { TodoItem } from "../shared/events.ts";
import type { Message } from "../shared/parts.ts";
import { loadAiSdk } from "./ai-sdk.ts";
import {
  type Calibration,
  type ContextBudget,
  estimateModelMessages,
  estimateTokens,
} from "./context-budget.ts";
import { type HistoryOptions, isSummary, toModelMessages } from "./history.ts";

export const SUMMARY_PROMPT = `You keep the running summary of a long working session between a user and an AI agent
(you). The summary replaces the older messages, so it must hold everything needed to continue the work:
the user's goals and constraints, the current task and how far it got, decisions made, files created or
changed (with paths), commands run and their important results, errors met and how they were solved, open
problems and next steps. If the conversation starts with an earlier summary, update it: keep what is still
true and relevant, add the new messages, drop what was superseded. Be specific and factual; use short
Markdown sections. Do not address the user.`;

/** Headings Sage appends itself. */
export const REQUEST_HEADING = "## The user's latest request (verbatim)";
export const TODOS_HEADING = "## Open todo items";

/** Tool outputs in a summary request are clipped to these lengths in turn until the request fits. */
const CLIP_STEPS = [2000, 500, 100];
/** The latest request is quoted up to this length. */
const REQUEST_QUOTE_CHARS = 4000;

export class EmptySummaryError extends Error {
  override readonly name = "EmptySummaryError";
  constructor() {
    super("the model returned an empty summary");
  }
}

export interface SummaryContext {
  /** The model that writes summaries (the fast one when set). */
  fast: LanguageModel;
  signal: AbortSignal;
  readAttachment: HistoryOptions["readAttachment"];
  toolOutputDir: string;
  /** The user's newest request: quoted when it is among the summarised messages. */
  latestRequest: Message | undefined;
  todos: TodoItem[];
}

/** How long a summary may be (tokens): an eighth of the landing target, within 400-4000. */
export function summaryAllowance(budget: ContextBudget): number {
  return Math.max(400, Math.min(4000, Math.floor(budget.target / 8)));
}

/** The summary of `older` (visible messages, the previous summary first if any), appendix included. */
export async function writeSummary(
  context: SummaryContext,
  older: Message[],
  budget: ContextBudget,
  calibration: Calibration,
): Promise<string> {
  const allowance = summaryAllowance(budget);
  const room = calibration.raw(budget.limit) - estimateTokens(SUMMARY_PROMPT) - allowance;
  const input = await boundedInput(context, stripAppendix(older), room);
  const { generateText } = await loadAiSdk();
  const result = await generateText({
    model: context.fast,
    system: SUMMARY_PROMPT,
    messages: [
      ...input,
      {
        role: "user",
        content: `Write the updated summary now, in at most about ${Math.floor(allowance * 0.6)} words.`,
      },
    ],
    maxOutputTokens: allowance,
    abortSignal: context.signal,
    maxRetries: 2,
  });
  const text = withoutAppendix(result.text.trim());
  if (!text) throw new EmptySummaryError();
  return withAppendix(text, context, older);
}

/** The messages to summarise, with tool outputs clipped, and the oldest left out if still too big. */
async function boundedInput(
  context: SummaryContext,
  older: Message[],
  room: number,
): Promise<ModelMessage[]> {
  const options = {
    vision: false,
    readAttachment: context.readAttachment,
    toolOutputDir: context.toolOutputDir,
  };
  let messages: ModelMessage[] = [];
  for (const clip of CLIP_STEPS) {
    messages = await toModelMessages(older, { ...options, clipOutputs: clip });
    if (estimateModelMessages(messages) <= room) return messages;
  }
  // Still too big: leave out the oldest messages after the previous summary, and say so.
  const first = isSummary(older[0]) ? 1 : 0;
  let dropped = 0;
  while (messages.length > first + 1 && estimateModelMessages(messages) > room) {
    messages.splice(first, 1);
    dropped++;
  }
  if (dropped > 0)
    messages.splice(first, 0, {
      role: "user",
      content: `[${dropped} older messages did not fit into this summary request and are left out.]`,
    });
  return messages;
}

/** The previous summary without the sections Sage appends itself. */
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
  const at = [summary.indexOf(REQUEST_HEADING), summary.indexOf(TODOS_HEADING)]
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  return at === undefined ? summary : summary.slice(0, at).trimEnd();
}

function withAppendix(text: string, context: SummaryContext, older: Message[]): string {
  const sections = [text];
  const latest = context.latestRequest;
  if (latest && older.some((m) => m.info.id === latest.info.id)) {
    const words = latest.parts
      .map((p) => (p.type === "text" ? p.text : p.type === "file" ? `[attached: ${p.path}]` : ""))
      .filter(Boolean)
      .join("\n");
    const quoted = words.length > REQUEST_QUOTE_CHARS ? `${words.slice(0, REQUEST_QUOTE_CHARS)} […]` : words;
    sections.push(`${REQUEST_HEADING}\n\n${quoted.replace(/^/gm, "> ")}`);
  }
  const open = context.todos.filter((t) => t.status === "pending" || t.status === "in_progress");
  if (open.length > 0)
    sections.push(`${TODOS_HEADING}\n\n${open.map((t) => `- [${t.status}] ${t.text}`).join("\n")}`);
  return sections.join("\n\n");
}
