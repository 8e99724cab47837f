/**
 * The agent loop (the original's `SAgent.run_stream`): step until the model answers without tool calls.
 *
 * Each step: deliver queued guidance -> check the step limit (ask to continue) -> check the context
 * budget (compact when needed) -> stream the model (retrying 429/5xx/network with backoff, visibly) ->
 * run the requested tools concurrently, results kept in call order -> repeat. An answer without tool
 * calls ends the turn, unless guidance arrived while it streamed (then the model gets one more step).
 * A provider that still says the context is too long (our estimate was low) gets one compaction and
 * one more try per turn; the refused step stays in the transcript as an error part.
 *
 * Contract: never throws for provider or tool failures (they are recorded as data); honours the abort
 * signal at every await; a call that fails identically REPEAT_LIMIT times in a row is not run again.
 */
import type { Message, Usage } from "../shared/parts.ts";
import { compactHistory } from "./compaction.ts";
import { checkBudget, estimateMessageTokens, estimateTokens } from "./context-budget.ts";
import { modelVisibleMessages, toModelMessages } from "./history.ts";
import { runModelStep, toolSet } from "./model-step.ts";
import { buildSystemPrompt } from "./prompt.ts";
import { backoffDelay, MAX_ATTEMPTS, sleep } from "./retry.ts";
import { runToolCall } from "./tool-runner.ts";
import type { ToolOutcome, TurnRequest, TurnResult } from "./types.ts";

export const REPEAT_LIMIT = 3;

export async function runTurn(request: TurnRequest): Promise<TurnResult> {
  const { sink, interaction, signal } = request;
  const history: Message[] = [...request.history];
  const total: Usage = { inputTokens: 0, outputTokens: 0 };
  const failures = new Map<string, number>();
  const tools = await toolSet(request.tools);
  const system = buildSystemPrompt({
    agent: request.agent,
    workspaceRoot: request.workspace.root,
    date: new Date(),
    extras: request.systemExtras,
  });
  const fixedTokens =
    estimateTokens(system) +
    estimateTokens(JSON.stringify(request.tools.map((t) => [t.name, t.description, t.parameters])));
  let stepsSinceCheck = 0;
  let compactedAfterRefusal = false;

  for (;;) {
    if (signal.aborted) return { status: "stopped", usage: total };
    for (const text of interaction.takeGuidance()) history.push(sink.addGuidance(text));

    if (stepsSinceCheck >= request.agent.stepLimit) {
      const answer = await interaction.ask({
        purpose: "continue",
        questions: [
          {
            id: "continue",
            prompt: `The agent has taken ${stepsSinceCheck} steps in this turn. Let it continue?`,
            kind: "single",
            options: ["Continue", "Stop here"],
          },
        ],
      });
      if (signal.aborted) return { status: "stopped", usage: total };
      if (answer?.continue !== "Continue") return { status: "completed", reason: "step limit", usage: total };
      stepsSinceCheck = 0;
    }

    const budget = checkBudget({
      contextWindow: request.model.info.contextWindow,
      maxOutputTokens: request.agent.maxOutputTokens,
      fixedTokens,
      messages: modelVisibleMessages(history),
    });
    if (budget.overBudget) {
      const summary = await compactHistory(request, history, budget.estimated);
      if (signal.aborted) return { status: "stopped", usage: total };
      if (summary) history.push(summary);
    }

    const step = await streamWithRetries(request, history, system, tools);
    addUsage(total, step.usage);
    if (step.failureCode === "context_length" && !compactedAfterRefusal) {
      compactedAfterRefusal = true;
      const summary = await compactHistory(request, history, estimateHistory(history, fixedTokens));
      if (signal.aborted) return { status: "stopped", usage: total };
      if (summary) {
        history.push(summary);
        continue;
      }
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
        const key = `${call.tool}\u0000${JSON.stringify(call.input)}`;
        let outcome: ToolOutcome;
        if ((failures.get(key) ?? 0) >= REPEAT_LIMIT) {
          const text = `This exact ${call.tool} call has already failed ${REPEAT_LIMIT} times in a row. It was not run again. Change the arguments or take a different approach.`;
          outcome = { status: "error", error: text, modelText: text, durationMs: 0 };
        } else {
          outcome = await runToolCall({ ...call, messageId: step.message.info.id }, request);
        }
        sink.toolEnded(step.message.info.id, call.partId, outcome);
        return outcome;
      }),
    );
    step.calls.forEach((call, i) => {
      const outcome = outcomes[i] as ToolOutcome;
      const key = `${call.tool}\u0000${JSON.stringify(call.input)}`;
      failures.set(key, outcome.status === "error" ? (failures.get(key) ?? 0) + 1 : 0);
      const part = step.message.parts.find((p) => p.id === call.partId);
      if (part?.type === "tool") {
        part.status = outcome.status;
        part.output = outcome.output;
        part.error = outcome.error;
      }
    });
    if (signal.aborted) return { status: "stopped", usage: total };
    stepsSinceCheck += 1;
  }
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
  history: Message[],
  system: string,
  tools: Awaited<ReturnType<typeof toolSet>>,
): Promise<StepOutcome> {
  const { sink, signal } = request;
  const messages = await toModelMessages(history, {
    vision: request.model.info.vision === true,
    readAttachment: request.readAttachment,
  });
  let failed: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const messageId = sink.startStep(request.model.info.id, failed);
    const result = await runModelStep(request, messageId, system, messages, tools);
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
    const delay = backoffDelay(attempt, result.failure.retryAfterMs);
    sink.retrying(attempt, delay, result.failure.message);
    if (!(await sleep(delay, signal))) {
      return { outcome: "stopped", message: sink.message(messageId), calls: [], usage: undefined };
    }
  }
}

function estimateHistory(history: Message[], fixedTokens: number): number {
  return modelVisibleMessages(history).reduce((sum, m) => sum + estimateMessageTokens(m), fixedTokens);
}

function addUsage(total: Usage, usage: Usage | undefined): void {
  if (!usage) return;
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  if (usage.cachedInputTokens)
    total.cachedInputTokens = (total.cachedInputTokens ?? 0) + usage.cachedInputTokens;
  if (usage.reasoningTokens) total.reasoningTokens = (total.reasoningTokens ?? 0) + usage.reasoningTokens;
}
