/**
 * Sampling: an MCP server asks the client's model to write something (`sampling/createMessage`). Sage
 * answers only while one of that server's tools runs in a chat turn, and only after the user allowed it:
 * the request is shown as a question in the chat (the server, its system prompt, the messages, the token
 * limit) and, if allowed, answered with the agent's model. Without a turn (the Tools page runner) or
 * when the user declines, the server gets an error it can report.
 *
 * - `createSamplingService(model)`: the turn's service (`ToolServices.mcpSampling`): one `generateText`
 *   call with the server's system prompt, messages (text and images), token limit and temperature.
 * - `samplerFor(server, ctx)`: the answerer one tool call hands to its connection.
 */
import type { CreateMessageRequest, CreateMessageResult } from "@modelcontextprotocol/sdk/types.js";
import type { LanguageModel, ModelMessage } from "ai";
import { loadAiSdk } from "../agent/ai-sdk.ts";
import type { ToolContext } from "../agent/tool-contract.ts";

export type SamplingParams = CreateMessageRequest["params"];

/** Answers a sampling request on behalf of one tool call. */
export type McpSampler = (params: SamplingParams) => Promise<CreateMessageResult>;

/** `ToolServices.mcpSampling`: the agent's model, for sampling requests the user allowed. */
export interface McpSamplingService {
  complete(params: SamplingParams, signal: AbortSignal): Promise<CreateMessageResult>;
}

/** The most a server may ask for, whatever its `maxTokens` says. */
const MAX_SAMPLING_TOKENS = 8192;
const ALLOW = "Allow";
const DENY = "Deny";

export function createSamplingService(model: LanguageModel, modelName: string): McpSamplingService {
  return {
    async complete(params, signal) {
      const { generateText } = await loadAiSdk();
      const result = await generateText({
        model,
        ...(params.systemPrompt ? { system: params.systemPrompt } : {}),
        messages: params.messages.map(toModelMessage),
        maxOutputTokens: Math.min(Math.max(1, params.maxTokens), MAX_SAMPLING_TOKENS),
        ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
        ...(params.stopSequences?.length ? { stopSequences: params.stopSequences } : {}),
        abortSignal: signal,
        maxRetries: 2,
      });
      return {
        role: "assistant",
        content: { type: "text", text: result.text },
        model: modelName,
        stopReason: result.finishReason === "length" ? "maxTokens" : "endTurn",
      };
    },
  };
}

/** The answerer for one tool call of `server`: ask the user in the chat, then the agent's model. */
export function samplerFor(
  server: string,
  ctx: Pick<ToolContext, "ask" | "services" | "signal">,
): McpSampler {
  return async (params) => {
    // The SDK is loaded by then (a server is asking); imported here so start-up never loads it.
    const { ErrorCode, McpError } = await import("@modelcontextprotocol/sdk/types.js");
    const service = ctx.services.mcpSampling as McpSamplingService | undefined;
    if (!service)
      throw new McpError(ErrorCode.InvalidRequest, "Sage answers sampling requests only during a chat turn.");
    let answers: Awaited<ReturnType<ToolContext["ask"]>>;
    try {
      answers = await ctx.ask([
        { id: "sampling", prompt: describeRequest(server, params), kind: "single", options: [ALLOW, DENY] },
      ]);
    } catch (error) {
      throw new McpError(ErrorCode.InvalidRequest, error instanceof Error ? error.message : String(error));
    }
    if (answers?.sampling !== ALLOW)
      throw new McpError(ErrorCode.InvalidRequest, "The user declined the sampling request.");
    return service.complete(params, ctx.signal);
  };
}

/** What the user reads before allowing: who asks, with which instructions and messages, for how much. */
export function describeRequest(server: string, params: SamplingParams): string {
  const lines = [
    `The MCP server "${server}" asks to use this chat's model (at most ${Math.min(params.maxTokens, MAX_SAMPLING_TOKENS)} tokens). Allow it?`,
  ];
  if (params.systemPrompt) lines.push("", `Instructions: ${clip(params.systemPrompt)}`);
  for (const message of params.messages)
    lines.push("", `${message.role}: ${clip(contentText(message.content))}`);
  return lines.join("\n");
}

function contentText(content: SamplingParams["messages"][number]["content"]): string {
  const parts = Array.isArray(content) ? content : [content];
  return parts
    .map((part) => {
      if (part.type === "text") return part.text;
      if (part.type === "image" || part.type === "audio") return `[${part.type} ${part.mimeType}]`;
      return `[${part.type}]`;
    })
    .join(" ");
}

function toModelMessage(message: SamplingParams["messages"][number]): ModelMessage {
  const parts = Array.isArray(message.content) ? message.content : [message.content];
  if (message.role === "assistant") {
    return { role: "assistant", content: parts.map((part) => contentText(part)).join("\n") };
  }
  return {
    role: "user",
    content: parts.map((part) =>
      part.type === "image"
        ? { type: "image" as const, image: part.data, mediaType: part.mimeType }
        : { type: "text" as const, text: contentText(part) },
    ),
  };
}

function clip(text: string, limit = 2000): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** MCP servers' sampling requests, answered with the turn's model. */
    mcpSampling?: McpSamplingService;
  }
}
