/**
 * The agent loop (the original's `SAgent.run_stream`): step until the model answers without tool calls.
 *
 * Each step: deliver queued guidance -> check the step limit (ask to continue) -> fit the request into
 * the context window (prune, then summarise; see context-window.ts) -> stream the model (retrying
 * 429/5xx/network with backoff, visibly) -> run the requested tools concurrently, results kept in call
 * order -> ask the user when the same call keeps failing (loop-detection.ts) -> repeat. An answer
 * without tool calls ends the turn, unless guidance arrived while it streamed (then the model gets one
 * more step). A provider that still says the context is too long (our estimate was low) gets one
 * harder compaction and one more try per turn; the refused step stays in the transcript as an error
 * part, and a second refusal ends the turn with an error that says what to do. In plan mode
 * (plan-mode.ts) the prompt carries the plan-mode instruction until the user approves the plan; a
 * rejected plan ends the turn after that step's tool calls.
 *
 * Contract: never throws for provider or tool failures (they are recorded as data); honours the abort
 * signal at every await.
 */
import type { ModelMessage } from "ai";
import type { Message, Usage } from "../shared/parts.ts";
import { Calibration, contextBudget, estimateFixed } from "./context-budget.ts";
import { fitContext } from "./context-window.ts";
import { RepeatedFailures } from "./loop-detection.ts";
import { runModelStep, toolSet } from "./model-step.ts";
import { PLAN_REJECTED } from "./plan-mode.ts";
import { buildSystemPrompt } from "./prompt.ts";
import { backoffDelay, MAX_ATTEMPTS, sleep } from "./retry.ts";
import { runToolCall } from "./tool-runner.ts";
import type { ToolOutcome, TurnRequest, TurnResult } from "./types.ts";

export { REPEAT_LIMIT } from "./loop-detection.ts";

/** The turn's reason when the provider refused the request and compacting harder could not help. */
export const CONTEXT_EXHAUSTED =
  "The conversation is longer than the model's context window, and compacting could not make it fit. Pick a model with a larger context window, or continue in a new chat from a summary.";

const CONTINUE = "Continue";
const STOP = "Stop here";

export async function runTurn(request: TurnRequest): Promise<TurnResult> {
  const { sink, interaction, signal } = request;
  const history: Message[] = [...request.history];
  const total: Usage = { inputTokens: 0, outputTokens: 0 };
  const failures = new RepeatedFailures();
  const tools = await toolSet(request.tools);
  // Plan mode's instruction leaves the prompt once the user approved the plan (same turn, normal mode).
  const promptFor = (planning: boolean) =>
    buildSystemPrompt({
      agent: request.agent,
      workspaceRoot: request.workspace.root,
      date: new Date(),
      extras: request.systemExtras,
      planning,
    });
  let planning = request.planMode?.active ?? false;
  let system = promptFor(planning);
  let fixed = estimateFixed(system, request.tools);
  const budget = contextBudget(request.model.info.contextWindow, request.agent.maxOutputTokens);
  const calibration = new Calibration(request.history);
  let stepsSinceCheck = 0;
  let compactedAfterRefusal = false;

  for (;;) {
    if (signal.aborted) return { status: "stopped", usage: total };
    for (const text of interaction.takeGuidance()) history.push(sink.addGuidance(text));

    if (stepsSinceCheck >= request.agent.stepLimit) {
      const go = await askToContinue(request, "continue", {
        id: "continue",
        prompt: `The agent has taken ${stepsSinceCheck} steps in this turn. Let it continue?`,
      });
      if (signal.aborted) return { status: "stopped", usage: total };
      if (!go) return { status: "completed", reason: "step limit", usage: total };
      stepsSinceCheck = 0;
    }

    const fitted = await fitContext({ request, history, fixed, budget, calibration });
    if (signal.aborted) return { status: "stopped", usage: total };

    const step = await streamWithRetries(request, fitted.messages, system, tools, fitted.raw);
    addUsage(total, step.usage);
    calibration.observe(fitted.raw, step.usage?.inputTokens);
    if (step.failureCode === "context_length") {
      if (!compactedAfterRefusal) {
        compactedAfterRefusal = true;
        calibration.refused(fitted.raw, budget.window);
        const harder = await fitContext({ request, history, fixed, budget, calibration, hard: true });
        if (signal.aborted) return { status: "stopped", usage: total };
        if (harder.changed) continue;
      }
      history.push(step.message);
      return { status: "error", reason: CONTEXT_EXHAUSTED, usage: total };
    }
    history.push(step.message);
    if (step.outcome === "stopped") return { status: "stopped", usage: total };
    if (step.outcome === "failed") return { status: "error", reason: step.reason, usage: total };
    if (step.calls.length === 0) {
      // Guidance that arrived while the model wrote its final answer gets one more step to answer it.
      const late = interaction.takeGuidance();
      if (late.length === 0) return { status: "completed", usage: total };
      for (const text of late) history.push(sink.addGuidance(text));
      stepsSinceCheck += 1;
      continue;
    }

    // Each call's end is recorded as soon as it finishes (a fast call does not look busy while a slow
    // one runs); the results go back to the model in call order.
    const outcomes = await Promise.all(
      step.calls.map(async (call) => {
        const outcome = await runToolCall({ ...call, messageId: step.message.info.id }, request);
        sink.toolEnded(step.message.info.id, call.partId, outcome);
        return outcome;
      }),
    );
    step.calls.forEach((call, i) => {
      const outcome = outcomes[i] as ToolOutcome;
      failures.record(call.tool, call.input, outcome.status === "error", outcome.error);
    });
    if (signal.aborted) return { status: "stopped", usage: total };
    if (request.planMode?.state === "rejected")
      return { status: "completed", reason: PLAN_REJECTED, usage: total };
    if (planning && !request.planMode?.active) {
      planning = false;
      system = promptFor(false);
      fixed = estimateFixed(system, request.tools);
    }
    stepsSinceCheck += 1;

    const loop = failures.detected();
    if (loop) {
      const { key, ...repeated } = loop;
      const go = await askToContinue(
        request,
        "loop",
        {
          id: "continue",
          prompt: `The same ${repeated.tool} call failed ${repeated.count} times in a row. Let the agent continue?`,
        },
        repeated,
      );
      if (signal.aborted) return { status: "stopped", usage: total };
      if (!go) return { status: "completed", reason: "loop", usage: total };
      failures.forgive(key);
    }
  }
}

/** The step limit's or a loop's question; true when the user chose Continue. */
async function askToContinue(
  request: TurnRequest,
  purpose: "continue" | "loop",
  question: { id: string; prompt: string },
  repeated?: Parameters<TurnRequest["interaction"]["ask"]>[0]["repeated"],
): Promise<boolean> {
  const answer = await request.interaction.ask({
    purpose,
    questions: [{ ...question, kind: "single", options: [CONTINUE, STOP] }],
    ...(repeated ? { repeated } : {}),
  });
  return answer?.[question.id] === CONTINUE;
}

interface StepOutcome {
  outcome: "done" | "stopped" | "failed";
  reason?: string;
  failureCode?: string;
  message: Message;
  calls: { callId: string; tool: string; input: unknown; invalidReason?: string; partId: string }[];
  usage: Usage | undefined;
}

/**
 * One step, retried on retryable failures. Each attempt is stored as its own assistant message; a
 * retry replaces the failed attempt in the chat (see `TurnSink.startStep`), so the step shows as one
 * message whatever the number of attempts. During the back-off the failed attempt stays shown.
 */
async function streamWithRetries(
  request: TurnRequest,
  messages: ModelMessage[],
  system: string,
  tools: Awaited<ReturnType<typeof toolSet>>,
  estimated: number,
): Promise<StepOutcome> {
  const { sink, signal } = request;
  // Sage's estimate of this request is stored beside the provider's count (calibration).
  const withEstimate = (usage: Usage | undefined) =>
    usage ? { ...usage, estimatedInputTokens: estimated } : undefined;
  let failed: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const messageId = sink.startStep(request.model.info.id, failed);
    const result = await runModelStep(request, messageId, system, messages, tools);
    result.usage = withEstimate(result.usage);
    if (!result.failure) {
      sink.finishStep(messageId, "completed", result.usage);
      if (result.usage) sink.usage(result.usage);
      return { outcome: "done", message: sink.message(messageId), calls: result.calls, usage: result.usage };
    }
    if (result.failure.code === "aborted" || signal.aborted) {
      sink.finishStep(messageId, "stopped", result.usage);
      return { outcome: "stopped", message: sink.message(messageId), calls: [], usage: result.usage };
    }
    sink.addError(messageId, result.failure);
    sink.finishStep(messageId, "error", result.usage);
    if (!result.failure.retryable || attempt >= MAX_ATTEMPTS) {
      return {
        outcome: "failed",
        reason: result.failure.message,
        failureCode: result.failure.code,
        message: sink.message(messageId),
        calls: [],
        usage: result.usage,
      };
    }
    failed = messageId;
    const delay = (request.retryDelay ?? backoffDelay)(attempt, result.failure.retryAfterMs);
    sink.retrying(attempt, delay, result.failure.message);
    if (!(await sleep(delay, signal))) {
      return { outcome: "stopped", message: sink.message(messageId), calls: [], usage: undefined };
    }
  }
}

function addUsage(total: Usage, usage: Usage | undefined): void {
  if (!usage) return;
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  if (usage.cachedInputTokens)
    total.cachedInputTokens = (total.cachedInputTokens ?? 0) + usage.cachedInputTokens;
  if (usage.reasoningTokens) total.reasoningTokens = (total.reasoningTokens ?? 0) + usage.reasoningTokens;
}
