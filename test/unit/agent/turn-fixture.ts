/**
 * Test helper: `runTurn` without HTTP. The model is the AI SDK's mock language model answering from a
 * script (one entry per model call); the sink keeps messages in memory (through the shared transcript
 * reducer, as TurnRecorder does) and logs every call in order;
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
import type { DraftEvent, ServerEvent } from "../../../src/shared/events.ts";
import type { Message, MessageInfo, Part, ToolPart } from "../../../src/shared/parts.ts";
import { applyMessageEvent, type TranscriptState } from "../../../src/shared/transcript.ts";

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

  // The sink keeps its messages as TurnRecorder does: each call emits its event and the shared
  // transcript reducer applies it, so what these tests see is what a client folding the events sees.
  const state: Pick<TranscriptState, "order" | "messages" | "parts"> = { order: [], messages: {}, parts: {} };
  let seq = 0;
  const emit = (draft: DraftEvent) =>
    applyMessageEvent(state, { ...draft, seq: ++seq, at: Date.now() } as ServerEvent);
  const live = (id: string): Message => ({
    get info(): MessageInfo {
      return state.messages[id] as MessageInfo;
    },
    parts: state.parts[id] as Part[],
  });
  const create = (info: MessageInfo, parts: Part[] = []): Message => {
    emit({ type: "message.created", sessionId: info.sessionId, message: info });
    for (const part of parts)
      emit({ type: "message.part.updated", sessionId: info.sessionId, messageId: info.id, part });
    messages.set(info.id, live(info.id));
    return live(info.id);
  };
  const part = (messageId: string, partId: string): Part => {
    const found = state.parts[messageId]?.find((p) => p.id === partId);
    if (!found) throw new Error(`no part ${partId} in ${messageId}`);
    return found;
  };
  const putPart = (messageId: string, updated: Part) =>
    emit({ type: "message.part.updated", sessionId: "ses_test", messageId, part: updated });
  const sink: TurnSink = {
    startStep(modelName, retryOf) {
      const id = nextId("msg");
      log.push(`startStep${retryOf ? ` retryOf ${retryOf}` : ""}`);
      const failed = retryOf ? state.messages[retryOf] : undefined;
      if (failed)
        emit({ type: "message.updated", sessionId: "ses_test", message: { ...failed, supersededBy: id } });
      create({
        id,
        sessionId: "ses_test",
        role: "assistant",
        parentId: null,
        turnId: "trn_test",
        kind: "normal",
        status: "streaming",
        createdAt: Date.now(),
        model: modelName,
      });
      return id;
    },
    startText(messageId, kind) {
      const id = nextId("prt");
      putPart(
        messageId,
        kind === "text" ? { id, type: "text", text: "" } : { id, type: "reasoning", text: "", startedAt: 0 },
      );
      return id;
    },
    appendText(messageId, partId, delta) {
      emit({ type: "message.part.delta", sessionId: "ses_test", messageId, partId, delta });
    },
    endText() {},
    addToolCall(messageId, callId, tool, input) {
      const existing = state.parts[messageId]?.find(
        (p): p is ToolPart => p.type === "tool" && p.callId === callId,
      );
      if (existing) {
        putPart(messageId, { ...existing, input });
        return existing.id;
      }
      const id = nextId("prt");
      putPart(messageId, { id, type: "tool", callId, tool, input, status: "pending" });
      log.push(`addToolCall ${callId} ${tool}`);
      return id;
    },
    toolStarted(messageId, partId) {
      const target = part(messageId, partId) as ToolPart;
      emit({ type: "tool.started", sessionId: "ses_test", messageId, partId, callId: target.callId });
      log.push(`toolStarted ${target.callId}`);
    },
    toolProgress(messageId, partId, stream, text) {
      emit({ type: "tool.progress", sessionId: "ses_test", messageId, partId, stream, text });
    },
    toolEnded(messageId, partId, outcome: ToolOutcome) {
      const target = part(messageId, partId) as ToolPart;
      emit({
        type: "tool.ended",
        sessionId: "ses_test",
        messageId,
        partId,
        status: outcome.status,
        output: outcome.output,
        error: outcome.error,
        durationMs: outcome.durationMs,
      });
      log.push(`toolEnded ${target.callId} ${outcome.status}`);
    },
    addError(messageId, failure) {
      putPart(messageId, {
        id: nextId("prt"),
        type: "error",
        code: failure.code,
        message: failure.message,
        retryable: failure.retryable,
      });
      log.push(`addError ${failure.code}`);
    },
    finishStep(messageId, status, usage) {
      const info = state.messages[messageId];
      if (info) {
        const change = usage ? { status, usage } : { status };
        emit({ type: "message.updated", sessionId: "ses_test", message: { ...info, ...change } });
      }
      log.push(`finishStep ${status}`);
    },
    retrying(attempt, delayMs, reason) {
      retries.push({ attempt, delayMs, reason });
      log.push(`retrying ${attempt}`);
    },
    addGuidance(text) {
      log.push(`addGuidance ${text}`);
      return create(
        {
          id: nextId("msg"),
          sessionId: "ses_test",
          role: "user",
          parentId: null,
          turnId: "trn_test",
          kind: "guidance",
          status: "completed",
          createdAt: Date.now(),
        },
        [{ id: nextId("prt"), type: "text", text }],
      );
    },
    addCompaction() {
      throw new Error("no compaction expected in these tests");
    },
    usage() {},
    message(messageId) {
      if (!state.messages[messageId]) throw new Error(`no message ${messageId}`);
      return live(messageId);
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
