/**
 * Fitting the next request into the model's context window, checked before every step (also between
 * the steps of one turn), not after the provider refuses.
 *
 * The request is built and measured as it will be sent (see context-budget.ts). While it is over the
 * limit, in this order and stopping as soon as it fits:
 * 1. prune: stub the oldest tool outputs (not the newest step's) down to the landing target;
 * 2. summarise: replace the older messages by a summary (building on the previous one), keeping the
 *    newest messages that fit, so that summary + kept land at the target (at most half the window) and
 *    the next turns do not compact again at once;
 * 3. prune what the summary kept, the newest step's outputs last.
 * A harder fit (after the provider refused a request) aims at HARD_LAND_AT and may stub the newest
 * step's outputs at once. Every prune and summary is recorded (an event and a marker in the
 * transcript) and pushed onto `history`.
 *
 * Contract: never throws for a failed summary call (it prunes harder instead); returns the messages to
 * send, their raw and calibrated size, and whether anything was changed.
 */
import type { ModelMessage } from "ai";
import type { Message } from "../shared/parts.ts";
import { cutByTokens, summarise } from "./compaction.ts";
import type { Calibration, ContextBudget } from "./context-budget.ts";
import { estimateModelMessages } from "./context-budget.ts";
import { modelVisibleMessages, prunedMessageIds, toModelMessages } from "./history.ts";
import { planPrune, provisionalMarker, saveFullOutputs } from "./pruning.ts";
import { summaryAllowance } from "./summary.ts";
import type { TurnRequest } from "./types.ts";

export interface FitInput {
  request: TurnRequest;
  /** The turn's history; markers that are recorded are pushed onto it. */
  history: Message[];
  /** Raw tokens of the system prompt and tool schemas. */
  fixed: number;
  budget: ContextBudget;
  calibration: Calibration;
  /** After a refusal: land at the hard target, the newest step's outputs included. */
  hard?: boolean;
}

export interface FittedRequest {
  messages: ModelMessage[];
  /** Raw estimate of the whole request (system and tools included). */
  raw: number;
  /** Calibrated. */
  tokens: number;
  /** A prune or summary was recorded. */
  changed: boolean;
  /** Set when a summary was wanted but the summary call failed. */
  summaryError?: string;
}

export async function fitContext(input: FitInput): Promise<FittedRequest> {
  const { request, history, budget, calibration, hard = false } = input;
  const toolOutputDir = request.toolOutputDir;
  const build = async (extra: Message[] = []) => {
    const messages = await toModelMessages([...history, ...extra], {
      vision: request.model.info.vision === true,
      readAttachment: request.readAttachment,
      toolOutputDir,
    });
    return { messages, raw: input.fixed + estimateModelMessages(messages) };
  };
  let built = await build();
  let changed = false;
  let summaryError: string | undefined;
  const result = () => ({ ...built, tokens: calibration.tokens(built.raw), changed, summaryError });
  const limit = calibration.raw(budget.limit);
  const target = calibration.raw(hard ? budget.hardTarget : budget.target);
  const fits = () => built.raw <= (hard ? target : limit);
  if (!hard && fits()) return result();

  const prune = async (protectNewest: boolean): Promise<boolean> => {
    const plan = planPrune(history, built.raw - target, { protectNewest, toolOutputDir });
    if (!plan) return false;
    await saveFullOutputs(request, plan);
    const after = await build([provisionalMarker(plan)]);
    const marker = request.sink.addCompaction({
      mode: "prune",
      summary: "",
      upToMessageId: plan.upTo.info.id,
      replacedCount: plan.parts.length,
      tokensBefore: calibration.tokens(built.raw),
      tokensAfter: calibration.tokens(after.raw),
    });
    history.push(marker);
    built = await build();
    changed = true;
    return true;
  };

  await prune(!hard);
  if (fits()) return result();

  // Keep the newest messages that fit beside the fixed part and the summary, at the target.
  const keep = target - input.fixed - calibration.raw(summaryAllowance(budget));
  const cut = cutByTokens(modelVisibleMessages(history), prunedMessageIds(history), Math.max(0, keep));
  if (cut >= 0) {
    const outcome = await summarise(
      request,
      history,
      cut,
      { budget, calibration, tokensBefore: calibration.tokens(built.raw) },
      async (provisional) => calibration.tokens((await build([provisional])).raw),
    );
    if (outcome.kind === "compacted") {
      history.push(outcome.summary);
      built = await build();
      changed = true;
    } else if (outcome.kind === "failed") {
      summaryError = outcome.error;
    }
  }
  if (fits() || request.signal.aborted) return result();
  if (!hard && (await prune(true)) && fits()) return result();
  await prune(false);
  return result();
}
