/**
 * One model call: stream it through the AI SDK and record each piece as it arrives (reasoning and text
 * deltas, tool calls). Tools are declared without `execute`, so the SDK never runs them: the loop does.
 *
 * The call goes through the SDK's single-call entry point (`experimental_streamLanguageModelCall`):
 * it standardises the prompt and tools and parses tool inputs like `streamText`, without the
 * multi-step machinery, replay buffers and stream tees this loop does not use — measured at about a
 * third of `streamText`'s CPU cost per streamed delta. It has no retries of its own (the loop retries).
 *
 * Contract: never throws; a provider failure is returned as `failure` together with whether anything
 * had been streamed (a retry is only clean when nothing was).
 */
import type { ModelMessage, ToolSet } from "ai";
import type { Usage } from "../shared/parts.ts";
import { loadAiSdk } from "./ai-sdk.ts";
import { classifyProviderError, type ProviderFailure } from "./provider-errors.ts";
import { reasoningOptions } from "./providers.ts";
import type { AnyTool } from "./tool-contract.ts";
import type { TurnRequest } from "./types.ts";

export interface StepCall {
  callId: string;
  tool: string;
  input: unknown;
  invalidReason?: string;
  partId: string;
}

export interface StepResult {
  calls: StepCall[];
  usage: Usage | undefined;
  finishReason: string | undefined;
  failure: ProviderFailure | undefined;
  /** True when any text, reasoning or tool call reached the sink. */
  streamed: boolean;
}

export async function toolSet(tools: AnyTool[]): Promise<ToolSet> {
  const { jsonSchema, tool } = await loadAiSdk();
  const set: ToolSet = {};
  for (const t of tools) {
    set[t.name] = tool({ description: t.description, inputSchema: jsonSchema(t.parameters as object) });
  }
  return set;
}

export async function runModelStep(
  request: TurnRequest,
  messageId: string,
  system: string,
  messages: ModelMessage[],
  tools: ToolSet,
): Promise<StepResult> {
  const { sink, model, agent } = request;
  const calls: StepCall[] = [];
  const open = new Map<string, { partId: string; kind: "text" | "reasoning" }>();
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  let failure: ProviderFailure | undefined;
  let streamed = false;

  const closeAll = () => {
    for (const { partId } of open.values()) sink.endText(messageId, partId);
    open.clear();
  };

  try {
    const { experimental_streamLanguageModelCall: streamLanguageModelCall } = await loadAiSdk();
    const result = await streamLanguageModelCall({
      model: model.model,
      system: system || undefined,
      messages,
      tools: model.info.tools === false ? undefined : tools,
      abortSignal: request.signal,
      temperature: agent.temperature,
      maxOutputTokens: agent.maxOutputTokens,
      providerOptions: reasoningOptions(
        model.provider,
        request.reasoningEffort ?? agent.reasoningEffort,
      ) as never,
    });
    // HTTP errors reject the call above; a broken stream throws here; an abort throws AbortError.
    for await (const part of result.stream) {
      switch (part.type) {
        case "text-start":
        case "reasoning-start": {
          const kind = part.type === "text-start" ? "text" : "reasoning";
          open.set(part.id + kind, { partId: sink.startText(messageId, kind), kind });
          break;
        }
        case "text-delta":
        case "reasoning-delta": {
          if (!part.text) break;
          const kind = part.type === "text-delta" ? "text" : "reasoning";
          let entry = open.get(part.id + kind);
          if (!entry) {
            entry = { partId: sink.startText(messageId, kind), kind };
            open.set(part.id + kind, entry);
          }
          sink.appendText(messageId, entry.partId, part.text);
          streamed = true;
          break;
        }
        case "text-end":
        case "reasoning-end": {
          const key = part.id + (part.type === "text-end" ? "text" : "reasoning");
          const entry = open.get(key);
          if (entry) sink.endText(messageId, entry.partId);
          open.delete(key);
          break;
        }
        case "tool-input-start":
          sink.addToolCall(messageId, part.id, part.toolName, undefined);
          streamed = true;
          break;
        case "tool-call": {
          const invalid = (part as { invalid?: boolean }).invalid === true;
          const error = (part as { error?: unknown }).error;
          const input = invalid && typeof part.input !== "object" ? rawInput(part.input) : part.input;
          // Creates the tool part, or completes the one tool-input-start opened with the final input.
          const partId = sink.addToolCall(messageId, part.toolCallId, part.toolName, input ?? {});
          calls.push({
            callId: part.toolCallId,
            tool: part.toolName,
            input,
            invalidReason:
              invalid && isJsonError(error)
                ? error instanceof Error
                  ? error.message
                  : "unparseable"
                : undefined,
            partId,
          });
          streamed = true;
          break;
        }
        case "model-call-end":
          usage = toUsage(part.usage);
          finishReason = part.finishReason;
          break;
        case "error":
          failure = classifyProviderError(part.error, request.model.provider.name);
          break;
        default:
          break;
      }
    }
  } catch (error) {
    failure = request.signal.aborted
      ? { code: "aborted", message: "Stopped.", retryable: false }
      : classifyProviderError(error, request.model.provider.name);
  }
  closeAll();
  return { calls, usage, finishReason, failure, streamed };
}

function toUsage(usage: {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  inputTokenDetails?: { cacheReadTokens: number | undefined };
  outputTokenDetails?: { reasoningTokens: number | undefined };
}): Usage {
  const out: Usage = { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
  const cached = usage.inputTokenDetails?.cacheReadTokens;
  const reasoning = usage.outputTokenDetails?.reasoningTokens;
  if (cached) out.cachedInputTokens = cached;
  if (reasoning) out.reasoningTokens = reasoning;
  return out;
}

function rawInput(input: unknown): unknown {
  return typeof input === "string" ? { _unparsed: input } : input;
}

function isJsonError(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? "";
  return name.includes("JSONParse") || name.includes("InvalidToolInput") || name === "";
}
