/**
 * Token accounting for the context window: how big the request about to be sent is, and how big it may
 * be.
 *
 * What is counted is what is sent: the system prompt (agent prompt, environment, skills list, pinned
 * skills), the tool schemas, and the model messages after compaction and pruning (attachments and
 * images included). The raw estimate is characters/4 for ASCII and one token per other character
 * (generous for CJK, where chars/4 would badly undercount); images count IMAGE_TOKENS each.
 *
 * Calibration: every step stores its raw estimate beside the provider's input count
 * (`Usage.estimatedInputTokens` / `Usage.inputTokens`), so the ratio between them is measured on the
 * same request. The next request's size is its raw estimate times that ratio. Only ratios are carried
 * over, never absolute counts: usage measured before a summary or prune counted a different history and
 * says nothing about the next request's size, but its ratio still describes the provider's tokenizer.
 */
import type { ModelMessage, ToolResultPart } from "ai";
import type { Message } from "../shared/parts.ts";

export const DEFAULT_CONTEXT_WINDOW = 128_000;
/** Compact when the next request would use more than this share of the usable window. */
export const COMPACT_AT = 0.8;
/** After pruning or summarising, the request should be at most this share of the limit. */
export const LAND_AT = 0.7;
/** After the provider refused a request as too long: land this low before the one retry. */
export const HARD_LAND_AT = 0.35;
/** What one image costs (providers charge roughly 800-1600 tokens for a screenshot). */
export const IMAGE_TOKENS = 1000;
/** Per message: role markers and separators. */
const MESSAGE_OVERHEAD = 4;
/** Calibration ratios outside this range are taken as bad usage data and clamped. */
const MIN_RATIO = 0.5;
const MAX_RATIO = 10;

export interface ContextBudget {
  /** The model's context window (or the default when the model does not say). */
  window: number;
  /** Compaction starts when the next request would pass this many tokens. */
  limit: number;
  /** Where pruning and summarising aim to land (at most half the window). */
  target: number;
  /** Where a harder compaction (after a refusal) aims to land. */
  hardTarget: number;
}

export function contextBudget(contextWindow: number | undefined, maxOutputTokens?: number): ContextBudget {
  const window = contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const reserve = Math.min(maxOutputTokens ?? 8192, Math.floor(window / 4));
  const limit = Math.floor((window - reserve) * COMPACT_AT);
  return {
    window,
    limit,
    target: Math.floor(Math.min(limit * LAND_AT, window / 2)),
    hardTarget: Math.floor(limit * HARD_LAND_AT),
  };
}

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4 + other);
}

/** A stored message as the model would see it without pruning (used to choose where to cut). */
export function estimateMessageTokens(message: Message): number {
  let tokens = MESSAGE_OVERHEAD;
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
        tokens += (part.output?.images?.length ?? 0) * IMAGE_TOKENS;
        break;
      case "file":
        tokens += part.mime.startsWith("image/") ? IMAGE_TOKENS : 20;
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

/** The raw estimate of model messages exactly as they go to the provider. */
export function estimateModelMessages(messages: ModelMessage[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += MESSAGE_OVERHEAD;
    if (typeof message.content === "string") {
      tokens += estimateTokens(message.content);
      continue;
    }
    for (const part of message.content) {
      switch (part.type) {
        case "text":
        case "reasoning":
          tokens += estimateTokens(part.text);
          break;
        case "image":
        case "file":
          tokens += IMAGE_TOKENS;
          break;
        case "tool-call":
          tokens += 8 + estimateTokens(part.toolName) + estimateTokens(JSON.stringify(part.input ?? {}));
          break;
        case "tool-result":
          tokens += 8 + estimateToolOutput(part.output);
          break;
        default:
          tokens += estimateTokens(JSON.stringify(part));
      }
    }
  }
  return tokens;
}

function estimateToolOutput(output: ToolResultPart["output"]): number {
  switch (output.type) {
    case "text":
    case "error-text":
      return estimateTokens(output.value);
    case "content":
      return output.value.reduce(
        (sum: number, item: { type: string; text?: string }) =>
          sum + (item.type === "text" ? estimateTokens(item.text ?? "") : IMAGE_TOKENS),
        0,
      );
    default:
      return estimateTokens(JSON.stringify(output));
  }
}

/** The fixed part of every request of a turn: system prompt and tool schemas, as sent. */
export function estimateFixed(
  system: string,
  tools: { name: string; description: string; parameters: unknown }[],
) {
  return (
    estimateTokens(system) +
    estimateTokens(JSON.stringify(tools.map((t) => [t.name, t.description, t.parameters])))
  );
}

/**
 * Provider counts over our raw estimates of the same requests. Starts from the newest measured step
 * of the history (any step: a ratio describes the tokenizer, not the history), else 1.
 */
export class Calibration {
  private current: number;

  constructor(history: Message[] = []) {
    this.current = 1;
    for (let i = history.length - 1; i >= 0; i--) {
      const usage = history[i]?.info.usage;
      if (usage?.estimatedInputTokens && usage.inputTokens > 0) {
        this.current = clampRatio(usage.inputTokens / usage.estimatedInputTokens);
        break;
      }
    }
  }

  get ratio(): number {
    return this.current;
  }

  /** The provider counted `measured` input tokens for a request we estimated at `estimated`. */
  observe(estimated: number, measured: number | undefined): void {
    if (!measured || measured <= 0 || estimated <= 0) return;
    this.current = clampRatio(measured / estimated);
  }

  /**
   * The provider refused a request we estimated at `estimated` as longer than `window`: its real size
   * was above the window, so the ratio is at least window/estimated (plus a tenth, to be safe).
   */
  refused(estimated: number, window: number): void {
    if (estimated <= 0) return;
    this.current = Math.max(this.current, clampRatio((window / estimated) * 1.1));
  }

  /** Calibrated tokens of a raw estimate. */
  tokens(raw: number): number {
    return Math.ceil(raw * this.current);
  }

  /** The raw estimate that corresponds to `tokens` calibrated tokens. */
  raw(tokens: number): number {
    return Math.floor(tokens / this.current);
  }
}

function clampRatio(ratio: number): number {
  return Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio));
}
