/**
 * Test helper: `runTurn` without HTTP. The model is the AI SDK's mock language model answering from a
 * script (one entry per model call); the sink keeps messages in memory and logs every call in order;
 * the user's answers (approvals, continue questions) and queued guidance are plain values; retries
 * wait zero milliseconds unless a test says otherwise.
 *
 * Contract: a script entry is either the stream parts of one step, or a function that gets the call
 * options (the request the loop sent) and returns parts or throws (a provider error). A call past the
 * end of the script fails the test with a readable message.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockLanguageModelV4 } from "ai/test";
import type { AnyTool } from "../../../src/agent/tool-contract.ts";
import type {
  ApprovalDecision,
  ToolGuard,
  ToolOutcome,
  TurnInteraction,
  TurnRequest,
  TurnSink,
} from "../../../src/agent/types.ts";
import { createWorkspace } from "../../../src/sandbox/workspace.ts";
import { type AgentConfig, DEFAULT_AGENT_CONFIG } from "../../../src/shared/agent.ts";
import type { Message, Part, ToolPart } from "../../../src/shared/parts.ts";

type StreamResult = Awaited<ReturnType<MockLanguageModelV4["doStream"]>>;
export type StreamPart = StreamResult["stream"] extends ReadableStream<infer P> ? P : never;
export type CallOptions = MockLanguageModelV4["doStreamCalls"][number];
export type ScriptStep = StreamPart[] | ((options: CallOptions) => StreamPart[] | Promise<StreamPart[]>);

const USAGE = {
  inputTokens: { total: 100, noCache: 100, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 10, text: 10, reasoning: undefined },
};

/** One step that answers with text (and ends the turn). */
export function textStep(text: string): StreamPart[] {
  return [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: text },
    { type: "text-end", id: "t" },
    { type: "finish", usage: USAGE, finishReason: { unified: "stop", raw: "stop" } },
  ];
}

/** One step that asks for tool calls, in this order (input: an object, or raw text sent as is). */
export function toolStep(...calls: { id: string; tool: string; input: unknown }[]): StreamPart[] {
  return [
    { type: "stream-start", warnings: [] },
    ...calls.map(
      (call): StreamPart => ({
        type: "tool-call",
        toolCallId: call.id,
        toolName: call.tool,
        input: typeof call.input === "string" ? call.input : JSON.stringify(call.input),
      }),
    ),
    { type: "finish", usage: USAGE, finishReason: { unified: "tool-calls", raw: "tool_calls" } },
  ];
}

export interface FixtureOptions {
  script: ScriptStep[];
  tools?: AnyTool[];
  agent?: Partial<AgentConfig>;
  /** The user's answer to every "continue?" question (step limit, loop): Continue or Stop here. */
  continueAnswer?: "Continue" | "Stop here";
  /** The rule the guard gives every call (default allow) and the user's answer when it asks. */
  rule?: "allow" | "ask" | "deny";
  approval?: ApprovalDecision;
  /** Guidance handed over at the n-th `takeGuidance()` call (0-based). */
  guidanceAt?: Record<number, string[]>;
  /** The wait before each retry (default zero). */
  retryDelay?: TurnRequest["retryDelay"];
}

export interface TurnFixture {
  request: TurnRequest;
  model: MockLanguageModelV4;
  controller: AbortController;
  /** Every sink and interaction call, in order, e.g. "toolEnded call_b completed". */
  log: string[];
  /** Messages the sink recorded, by id, in creation order. */
  messages: Map<string, Message>;
  questions: Parameters<TurnInteraction["ask"]>[0][];
  retries: { attempt: number; delayMs: number; reason: string }[];
  /** The tool parts of every recorded step, in order. */
  toolParts(): ToolPart[];
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${++counter}`;

export function turnFixture(options: FixtureOptions): TurnFixture {
  const controller = new AbortController();
  const log: string[] = [];
  const messages = new Map<string, Message>();
  const questions: TurnFixture["questions"] = [];
  const retries: TurnFixture["retries"] = [];
  const script = [...options.script];
  const model = new MockLanguageModelV4({
    provider: "mock",
    modelId: "mock-model",
    doStream: async (call) => {
      const step = script.shift();
      if (!step) throw new Error(`the model was called more often than scripted (call ${log.length})`);
      const parts = typeof step === "function" ? await step(call) : step;
      return { stream: streamOf(parts, call.abortSignal) };
    },
  });

  const part = (messageId: string, partId: string): Part => {
    const found = messages.get(messageId)?.parts.find((p) => p.id === partId);
    if (!found) throw new Error(`no part ${partId} in ${messageId}`);
    return found;
  };
  const sink: TurnSink = {
    startStep(modelName, retryOf) {
      const id = nextId("msg");
      log.push(`startStep${retryOf ? ` retryOf ${retryOf}` : ""}`);
      messages.set(id, {
        info: {
          id,
          sessionId: "ses_test",
          role: "assistant",
          parentId: null,
          turnId: "trn_test",
          kind: "normal",
          status: "streaming",
          createdAt: Date.now(),
          model: modelName,
        },
        parts: [],
      });
      if (retryOf) {
        const failed = messages.get(retryOf);
        if (failed) failed.info.supersededBy = id;
      }
      return id;
    },
    startText(messageId, kind) {
      const id = nextId("prt");
      const parts = messages.get(messageId)?.parts;
      parts?.push(
        kind === "text" ? { id, type: "text", text: "" } : { id, type: "reasoning", text: "", startedAt: 0 },
      );
      return id;
    },
    appendText(messageId, partId, delta) {
      const target = part(messageId, partId);
      if (target.type === "text" || target.type === "reasoning") target.text += delta;
    },
    endText() {},
    addToolCall(messageId, callId, tool, input) {
      const parts = messages.get(messageId)?.parts ?? [];
      const existing = parts.find((p): p is ToolPart => p.type === "tool" && p.callId === callId);
      if (existing) {
        existing.input = input;
        return existing.id;
      }
      const id = nextId("prt");
      parts.push({ id, type: "tool", callId, tool, input, status: "pending" });
      log.push(`addToolCall ${callId} ${tool}`);
      return id;
    },
    toolStarted(messageId, partId) {
      const target = part(messageId, partId) as ToolPart;
      target.status = "running";
      log.push(`toolStarted ${target.callId}`);
    },
    toolProgress() {},
    toolEnded(messageId, partId, outcome: ToolOutcome) {
      // As the real sink does (TurnRecorder): the recorded part shows the outcome.
      const target = part(messageId, partId) as ToolPart;
      target.status = outcome.status;
      target.output = outcome.output;
      target.error = outcome.error;
      log.push(`toolEnded ${target.callId} ${outcome.status}`);
    },
    addError(messageId, failure) {
      messages.get(messageId)?.parts.push({
        id: nextId("prt"),
        type: "error",
        code: failure.code,
        message: failure.message,
        retryable: failure.retryable,
      });
      log.push(`addError ${failure.code}`);
    },
    finishStep(messageId, status, usage) {
      const message = messages.get(messageId);
      if (message) {
        message.info.status = status;
        message.info.usage = usage;
      }
      log.push(`finishStep ${status}`);
    },
    retrying(attempt, delayMs, reason) {
      retries.push({ attempt, delayMs, reason });
      log.push(`retrying ${attempt}`);
    },
    addGuidance(text) {
      const id = nextId("msg");
      const message: Message = {
        info: {
          id,
          sessionId: "ses_test",
          role: "user",
          parentId: null,
          turnId: "trn_test",
          kind: "guidance",
          status: "completed",
          createdAt: Date.now(),
        },
        parts: [{ id: nextId("prt"), type: "text", text }],
      };
      messages.set(id, message);
      log.push(`addGuidance ${text}`);
      return message;
    },
    addCompaction() {
      throw new Error("no compaction expected in these tests");
    },
    usage() {},
    message(messageId) {
      const message = messages.get(messageId);
      if (!message) throw new Error(`no message ${messageId}`);
      return message;
    },
  };

  let guidanceCalls = 0;
  const interaction: TurnInteraction = {
    async approve(request) {
      log.push(`approve ${request.tool}`);
      return options.approval ?? { kind: "allow", via: "once" };
    },
    async ask(request) {
      questions.push(request);
      log.push(`ask ${request.purpose}`);
      const first = request.questions[0];
      return first ? { [first.id]: options.continueAnswer ?? "Stop here" } : null;
    },
    takeGuidance() {
      return options.guidanceAt?.[guidanceCalls++] ?? [];
    },
  };

  const guard: ToolGuard = {
    rule: () => options.rule ?? "allow",
    scopes: () => [{ pattern: "*", kind: "tool", target: "any call" }],
    remember() {},
    snapshot() {},
    audit() {},
  };

  const userMessage: Message = {
    info: {
      id: nextId("msg"),
      sessionId: "ses_test",
      role: "user",
      parentId: null,
      turnId: "trn_test",
      kind: "normal",
      status: "completed",
      createdAt: Date.now(),
    },
    parts: [{ id: nextId("prt"), type: "text", text: "Do the task." }],
  };

  const request: TurnRequest = {
    sessionId: "ses_test",
    turnId: "trn_test",
    agentId: "agt_test",
    agent: { ...structuredClone(DEFAULT_AGENT_CONFIG), ...options.agent },
    model: {
      provider: {
        id: "prv_mock",
        name: "Mock",
        kind: "openai-compatible",
        baseUrl: "http://mock",
        apiKey: undefined,
      },
      info: { id: "mock-model", contextWindow: 128_000, tools: true },
      model,
      fast: model,
    },
    history: [userMessage],
    systemExtras: [],
    tools: options.tools ?? [],
    workspace: createWorkspace(mkdtempSync(join(tmpdir(), "sage-loop-"))),
    services: {},
    sink,
    interaction,
    guard,
    signal: controller.signal,
    readAttachment: async () => undefined,
    toolOutputDir: ".sage/tool-output",
    retryDelay: options.retryDelay ?? (() => 0),
  };

  return {
    request,
    model,
    controller,
    log,
    messages,
    questions,
    retries,
    toolParts: () =>
      [...messages.values()].flatMap((m) => m.parts).filter((p): p is ToolPart => p.type === "tool"),
  };
}

/**
 * The parts as a stream that, like a provider's, errors with an AbortError when the call's signal
 * aborts (a part of type "wait-for-abort" is not sent: the stream just stops there until the abort).
 */
function streamOf(parts: StreamPart[], signal: AbortSignal | undefined): ReadableStream<StreamPart> {
  let index = 0;
  return new ReadableStream<StreamPart>({
    start(controller) {
      signal?.addEventListener("abort", () => {
        try {
          controller.error(new DOMException("The operation was aborted.", "AbortError"));
        } catch {
          // already closed
        }
      });
    },
    pull(controller) {
      const next = parts[index++];
      if (next === undefined) return controller.close();
      if ((next as { type: string }).type === "wait-for-abort") return new Promise<void>(() => {});
      controller.enqueue(next);
    },
  });
}

/** A stream part that holds the stream open until the call is aborted (see `streamOf`). */
export const WAIT_FOR_ABORT = { type: "wait-for-abort" } as unknown as StreamPart;
