/**
 * Token accounting for the context window. Provider usage is the truth where we have it (the input
 * plus output tokens of the newest measured step cover everything up to it); what came after is
 * estimated. The estimate is
 * deliberately generous for non-Latin scripts (about one token per character), where chars/4 would
 * badly undercount.
 */
import type { Message } from "../shared/parts.ts";

export const DEFAULT_CONTEXT_WINDOW = 128_000;
/** Compact when the next request would use more than this share of the usable window. */
export const COMPACT_AT = 0.8;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4 + other);
}

export function estimateMessageTokens(message: Message): number {
  let tokens = 4;
  for (const part of message.parts) {
    switch (part.type) {
      case "text":
      case "reasoning":
        tokens += estimateTokens(part.text);
        break;
      case "tool":
        tokens +=
          8 +
          estimateTokens(JSON.stringify(part.input ?? {})) +
          estimateTokens(part.output?.text ?? part.error ?? "");
        tokens += (part.output?.images?.length ?? 0) * 1000;
        break;
      case "file":
        tokens += part.mime.startsWith("image/") ? 1000 : 20;
        break;
      case "compaction":
        tokens += estimateTokens(part.summary);
        break;
      case "error":
        break;
    }
  }
  return tokens;
}

export interface BudgetInput {
  contextWindow: number | undefined;
  maxOutputTokens: number | undefined;
  /** System prompt + tool schemas, estimated. */
  fixedTokens: number;
  messages: Message[];
}

export interface BudgetCheck {
  estimated: number;
  limit: number;
  overBudget: boolean;
}

export function checkBudget(input: BudgetInput): BudgetCheck {
  const window = input.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const reserve = Math.min(input.maxOutputTokens ?? 8192, Math.floor(window / 4));
  const limit = Math.floor((window - reserve) * COMPACT_AT);
  // Walk back from the newest message; the newest step with provider usage covers everything before it.
  // Usage measured before the newest compaction counted the replaced history: not trusted.
  let estimated = 0;
  let measured = false;
  let afterSummary = true;
  for (let i = input.messages.length - 1; i >= 0; i--) {
    const message = input.messages[i] as Message;
    const usage = message.info.usage;
    if (message.info.kind === "summary") afterSummary = false;
    if (afterSummary && message.info.role === "assistant" && usage && usage.inputTokens > 0) {
      estimated += usage.inputTokens + usage.outputTokens;
      measured = true;
      break;
    }
    estimated += estimateMessageTokens(message);
  }
  if (!measured) estimated += input.fixedTokens;
  return { estimated, limit, overBudget: estimated > limit };
}
