/**
 * `runTurn` itself, against the AI SDK's mock language model (no HTTP, no storage): the order tool
 * results go back in, stopping mid-stream, mid-tool and mid-backoff, the step limit, retries of
 * retryable provider errors, a context-length refusal, guidance injected into a running turn, loop
 * detection, long outputs cut for the model, and every kind of failed call (a thrown tool, bad
 * arguments, unparseable JSON, an unknown tool, a policy or user denial) returned to the model as text.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { APICallError } from "ai";
import { CONTEXT_EXHAUSTED, runTurn } from "../../../src/agent/loop.ts";
import { MAX_ATTEMPTS } from "../../../src/agent/retry.ts";
import { type AnyTool, defineTool } from "../../../src/agent/tool-contract.ts";
import { MODEL_OUTPUT_LIMIT } from "../../../src/agent/tool-runner.ts";
import { TOOL_STOPPED_ERROR } from "../../../src/shared/parts.ts";
import { type CallOptions, textStep, toolStep, turnFixture, WAIT_FOR_ABORT } from "./turn-fixture.ts";

/** Answers `text` after `delayMs`; records when it ran. */
function echoTool(runs: string[]): AnyTool {
  return defineTool({
    name: "echo",
    description: "Echo the text back.",
    kind: "read",
    parameters: Type.Object({ text: Type.String(), delayMs: Type.Optional(Type.Number()) }),
    async execute({ text, delayMs }) {
      runs.push(`start ${text}`);
      await Bun.sleep(delayMs ?? 0);
      runs.push(`end ${text}`);
      return { text: `echo: ${text}` };
    },
  });
}

const failingTool = defineTool({
  name: "read_thing",
  description: "Always fails.",
  kind: "read",
  parameters: Type.Object({ path: Type.String(), offset: Type.Optional(Type.Number()) }),
  async execute({ path }) {
    throw new Error(`cannot read ${path}: disk on fire`);
  },
});

/** Waits for the stop; returns its partial output marked as stopped. */
function waitingTool(started: () => void): AnyTool {
  return defineTool({
    name: "wait",
    description: "Waits until stopped.",
    kind: "read",
    parameters: Type.Object({}),
    execute: (_params, ctx) =>
      new Promise((resolve) => {
        started();
        ctx.signal.addEventListener("abort", () =>
          resolve({ text: "partial output", details: { stopped: true } }),
        );
      }),
  });
}

/** The tool results a model call was sent, in order: [callId, output type, value]. */
function toolResultsIn(call: CallOptions | undefined): [string, string, string][] {
  const results: [string, string, string][] = [];
  for (const message of call?.prompt ?? []) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      const output = part.output as { type: string; value: unknown };
      results.push([part.toolCallId, output.type, String(output.value)]);
    }
  }
  return results;
}

function promptText(call: CallOptions | undefined): string {
  return JSON.stringify(call?.prompt ?? []);
}

function apiError(statusCode: number, headers: Record<string, string> = {}): APICallError {
  return new APICallError({
    message: `HTTP ${statusCode}`,
    url: "http://mock/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    responseBody: "{}",
    isRetryable: statusCode === 429 || statusCode >= 500,
  });
}

describe("tool calls", () => {
  test("several calls in one step run together; each ends when done; results go back in call order", async () => {
    const runs: string[] = [];
    const fixture = turnFixture({
      tools: [echoTool(runs)],
      script: [
        toolStep(
          { id: "call_a", tool: "echo", input: { text: "a", delayMs: 40 } },
          { id: "call_b", tool: "echo", input: { text: "b", delayMs: 20 } },
          { id: "call_c", tool: "echo", input: { text: "c" } },
        ),
        textStep("All three done."),
      ],
    });
    const result = await runTurn(fixture.request);

    expect(result.status).toBe("completed");
    // All three started before the first ended (concurrent), and they ended fastest first.
    expect(runs.slice(0, 3)).toEqual(["start a", "start b", "start c"]);
    expect(fixture.log.filter((line) => line.startsWith("toolEnded"))).toEqual([
      "toolEnded call_c completed",
      "toolEnded call_b completed",
      "toolEnded call_a completed",
    ]);
    // The next request carries the calls and their results in the order the model asked.
    expect(fixture.model.doStreamCalls).toHaveLength(2);
    expect(toolResultsIn(fixture.model.doStreamCalls[1])).toEqual([
      ["call_a", "text", "echo: a"],
      ["call_b", "text", "echo: b"],
      ["call_c", "text", "echo: c"],
    ]);
    expect(fixture.toolParts().map((part) => [part.callId, part.status])).toEqual([
      ["call_a", "completed"],
      ["call_b", "completed"],
      ["call_c", "completed"],
    ]);
  });

  test("an answer without tool calls ends the turn after one model call, with its usage", async () => {
    const fixture = turnFixture({ script: [textStep("Hello.")] });
    const result = await runTurn(fixture.request);
    expect(result).toMatchObject({ status: "completed", usage: { inputTokens: 100, outputTokens: 10 } });
    expect(result.reason).toBeUndefined();
    const [step] = [...fixture.messages.values()];
    expect(step?.parts).toMatchObject([{ type: "text", text: "Hello." }]);
    expect(step?.info.status).toBe("completed");
  });

  test("a tool that throws: its message goes back to the model as an error result, and the turn goes on", async () => {
    const fixture = turnFixture({
      tools: [failingTool],
      script: [toolStep({ id: "call_1", tool: "read_thing", input: { path: "a.txt" } }), textStep("I see.")],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(toolResultsIn(fixture.model.doStreamCalls[1])).toEqual([
      ["call_1", "error-text", "cannot read a.txt: disk on fire"],
    ]);
    expect(fixture.toolParts()[0]).toMatchObject({
      status: "error",
      error: "cannot read a.txt: disk on fire",
    });
  });

  test("bad arguments, unparseable JSON and an unknown tool are refused before running, as text the model can act on", async () => {
    const runs: string[] = [];
    const fixture = turnFixture({
      tools: [echoTool(runs)],
      script: [
        toolStep(
          { id: "call_type", tool: "echo", input: { text: 42 } },
          { id: "call_missing", tool: "echo", input: {} },
          { id: "call_json", tool: "echo", input: '{"text": "unterminated' },
          { id: "call_unknown", tool: "format_disk", input: { now: true } },
        ),
        textStep("Let me fix that."),
      ],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(runs).toEqual([]);
    const results = toolResultsIn(fixture.model.doStreamCalls[1]);
    expect(results.map(([id, type]) => [id, type])).toEqual([
      ["call_type", "error-text"],
      ["call_missing", "error-text"],
      ["call_json", "error-text"],
      ["call_unknown", "error-text"],
    ]);
    const text = Object.fromEntries(results.map(([id, , value]) => [id, value]));
    expect(text.call_type).toStartWith("Invalid arguments for echo: /text:");
    expect(text.call_missing).toStartWith("Invalid arguments for echo:");
    expect(text.call_missing).toContain("text");
    expect(text.call_json).toContain("were not valid JSON");
    expect(text.call_unknown).toBe('Unknown tool "format_disk". Available tools: echo.');
  });

  test("a call the policy denies is not run; the model is told not to retry it", async () => {
    const runs: string[] = [];
    const fixture = turnFixture({
      tools: [echoTool(runs)],
      rule: "deny",
      script: [toolStep({ id: "call_1", tool: "echo", input: { text: "x" } }), textStep("OK.")],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(runs).toEqual([]);
    const [[, type, value] = []] = toolResultsIn(fixture.model.doStreamCalls[1]);
    expect(type).toBe("error-text");
    expect(value).toContain("does not allow echo. Do not retry it");
    expect(fixture.toolParts()[0]?.status).toBe("denied");
  });
});

describe("what goes back to the model", () => {
  test("a long output is cut to its head and tail for the model and saved whole in the workspace", async () => {
    const long = `${"head line\n".repeat(3000)}${"tail line\n".repeat(1000)}`;
    const big = defineTool({
      name: "big",
      description: "Returns a lot.",
      kind: "read",
      parameters: Type.Object({}),
      execute: async () => ({ text: long }),
    });
    const fixture = turnFixture({
      tools: [big],
      script: [toolStep({ id: "call_big", tool: "big", input: {} }), textStep("Read it.")],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    const [[, type, value = ""] = []] = toolResultsIn(fixture.model.doStreamCalls[1]);
    expect(type).toBe("text");
    expect(value.length).toBeLessThan(MODEL_OUTPUT_LIMIT + 500);
    expect(value).toStartWith("head line\n");
    expect(value).toEndWith("tail line\n");
    expect(value).toContain(
      "characters omitted. The full output (40000 characters) is saved in .sage/tool-output/call_big.txt",
    );
    const saved = await Bun.file(
      join(fixture.request.workspace.root, ".sage/tool-output/call_big.txt"),
    ).text();
    expect(saved).toBe(long);
    expect(fixture.toolParts()[0]?.output).toMatchObject({
      truncated: true,
      fullOutputPath: ".sage/tool-output/call_big.txt",
    });
  });

  test("a call the user denies (with a reason) is not run; the model reads the reason", async () => {
    const runs: string[] = [];
    const fixture = turnFixture({
      tools: [echoTool(runs)],
      rule: "ask",
      approval: { kind: "deny", via: "user", reason: "not in production" },
      script: [toolStep({ id: "call_1", tool: "echo", input: { text: "x" } }), textStep("Understood.")],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(runs).toEqual([]);
    expect(fixture.log).toContain("approve echo");
    expect(toolResultsIn(fixture.model.doStreamCalls[1])).toEqual([
      ["call_1", "error-text", "The user denied this echo call: not in production"],
    ]);
  });

  test("a context-length refusal with nothing left to compact ends the turn with what to do, without retrying", async () => {
    const fixture = turnFixture({
      script: [
        () => {
          throw new APICallError({
            message: "This model's maximum context length is 8192 tokens",
            url: "http://mock/v1/chat/completions",
            requestBodyValues: {},
            statusCode: 400,
            responseBody: '{"error":{"message":"maximum context length exceeded"}}',
            isRetryable: false,
          });
        },
      ],
    });
    const result = await runTurn(fixture.request);
    expect(result).toMatchObject({ status: "error", reason: CONTEXT_EXHAUSTED });
    expect(fixture.model.doStreamCalls).toHaveLength(1);
    expect(fixture.retries).toEqual([]);
  });
});

describe("stop", () => {
  test("before the first step: no model call", async () => {
    const fixture = turnFixture({ script: [] });
    fixture.controller.abort();
    expect((await runTurn(fixture.request)).status).toBe("stopped");
    expect(fixture.model.doStreamCalls).toHaveLength(0);
  });

  test("mid-stream: the partial text is kept, the step is marked stopped, no further call", async () => {
    const fixture = turnFixture({
      script: [
        () => {
          setTimeout(() => fixture.controller.abort(), 20);
          return [
            { type: "stream-start", warnings: [] },
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "Half an ans" },
            WAIT_FOR_ABORT,
          ];
        },
      ],
    });
    const started = performance.now();
    const result = await runTurn(fixture.request);
    expect(result.status).toBe("stopped");
    expect(performance.now() - started).toBeLessThan(1000);
    const [step] = [...fixture.messages.values()];
    expect(step?.info.status).toBe("stopped");
    expect(step?.parts).toMatchObject([{ type: "text", text: "Half an ans" }]);
    expect(fixture.model.doStreamCalls).toHaveLength(1);
    expect(fixture.log).not.toContain("retrying 1");
  });

  test("mid-tool: the tool sees the abort, its partial output is kept as stopped, no further call", async () => {
    const fixture = turnFixture({
      tools: [waitingTool(() => setTimeout(() => fixture.controller.abort(), 5))],
      script: [toolStep({ id: "call_wait", tool: "wait", input: {} })],
    });
    const result = await runTurn(fixture.request);
    expect(result.status).toBe("stopped");
    expect(fixture.toolParts()[0]).toMatchObject({
      status: "error",
      error: TOOL_STOPPED_ERROR,
      output: { text: "partial output" },
    });
    expect(fixture.model.doStreamCalls).toHaveLength(1);
  });

  test("during a retry's back-off: stops at once instead of waiting", async () => {
    const fixture = turnFixture({
      retryDelay: () => 60_000,
      script: [
        () => {
          setTimeout(() => fixture.controller.abort(), 10);
          throw apiError(503);
        },
      ],
    });
    const started = performance.now();
    expect((await runTurn(fixture.request)).status).toBe("stopped");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fixture.retries).toEqual([
      { attempt: 1, delayMs: 60_000, reason: expect.stringContaining("server error (503)") },
    ]);
    expect(fixture.model.doStreamCalls).toHaveLength(1);
  });
});

describe("step limit", () => {
  const loopingScript = () => [
    toolStep({ id: "call_1", tool: "echo", input: { text: "1" } }),
    toolStep({ id: "call_2", tool: "echo", input: { text: "2" } }),
    toolStep({ id: "call_3", tool: "echo", input: { text: "3" } }),
    textStep("Finished."),
  ];

  test("after stepLimit steps the user is asked; Stop here ends the turn as completed with the reason", async () => {
    const fixture = turnFixture({
      tools: [echoTool([])],
      agent: { stepLimit: 2 },
      continueAnswer: "Stop here",
      script: loopingScript(),
    });
    const result = await runTurn(fixture.request);
    expect(result).toMatchObject({ status: "completed", reason: "step limit" });
    expect(fixture.model.doStreamCalls).toHaveLength(2);
    expect(fixture.questions).toHaveLength(1);
    expect(fixture.questions[0]?.purpose).toBe("continue");
    expect(fixture.questions[0]?.questions[0]?.prompt).toContain("taken 2 steps");
  });

  test("Continue lets it go on and counts steps from zero again", async () => {
    const fixture = turnFixture({
      tools: [echoTool([])],
      agent: { stepLimit: 2 },
      continueAnswer: "Continue",
      script: loopingScript(),
    });
    const result = await runTurn(fixture.request);
    expect(result.status).toBe("completed");
    expect(result.reason).toBeUndefined();
    expect(fixture.model.doStreamCalls).toHaveLength(4);
    // Asked once after steps 1-2; steps 3-4 did not reach the limit again before the answer.
    expect(fixture.questions.map((q) => q.purpose)).toEqual(["continue"]);
  });
});

describe("retries", () => {
  test("429 and 5xx are retried with the policy's delay (Retry-After passed in); the retry replaces the failed attempt", async () => {
    const delays: [number, number | undefined][] = [];
    const fixture = turnFixture({
      retryDelay: (attempt, retryAfterMs) => {
        delays.push([attempt, retryAfterMs]);
        return 0;
      },
      script: [
        () => {
          throw apiError(503);
        },
        () => {
          throw apiError(429, { "retry-after": "2" });
        },
        textStep("Third time lucky."),
      ],
    });
    const started = performance.now();
    const result = await runTurn(fixture.request);
    expect(result.status).toBe("completed");
    expect(performance.now() - started).toBeLessThan(500);
    expect(delays).toEqual([
      [1, undefined],
      [2, 2000],
    ]);
    expect(fixture.retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(fixture.model.doStreamCalls).toHaveLength(3);
    const steps = [...fixture.messages.values()];
    expect(steps.map((m) => m.info.status)).toEqual(["error", "error", "completed"]);
    // Each attempt after the first names the one it replaces; failed attempts keep their error part.
    expect(fixture.log.filter((line) => line.startsWith("startStep"))).toEqual([
      "startStep",
      `startStep retryOf ${steps[0]?.info.id}`,
      `startStep retryOf ${steps[1]?.info.id}`,
    ]);
    expect(steps[0]?.parts).toMatchObject([{ type: "error", code: "server_error", retryable: true }]);
    expect(steps[1]?.parts).toMatchObject([{ type: "error", code: "rate_limited", retryable: true }]);
  });

  test(`a retryable failure that persists gives up after ${MAX_ATTEMPTS} attempts with the provider's message`, async () => {
    const fixture = turnFixture({
      script: Array.from({ length: MAX_ATTEMPTS }, () => () => {
        throw apiError(500);
      }),
    });
    const result = await runTurn(fixture.request);
    expect(result.status).toBe("error");
    expect(result.reason).toContain("server error (500)");
    expect(fixture.model.doStreamCalls).toHaveLength(MAX_ATTEMPTS);
    expect(fixture.retries).toHaveLength(MAX_ATTEMPTS - 1);
  });

  test("a non-retryable failure (401) ends the turn at once", async () => {
    const fixture = turnFixture({
      script: [
        () => {
          throw apiError(401);
        },
      ],
    });
    const result = await runTurn(fixture.request);
    expect(result.status).toBe("error");
    expect(result.reason).toContain("rejected the API key (401)");
    expect(fixture.retries).toEqual([]);
    expect(fixture.model.doStreamCalls).toHaveLength(1);
  });
});

describe("guidance injected into a running turn", () => {
  test("queued during a step, it is delivered before the next model call, after the tool results", async () => {
    const fixture = turnFixture({
      tools: [echoTool([])],
      guidanceAt: { 1: ["Use tabs, not spaces."] },
      script: [toolStep({ id: "call_1", tool: "echo", input: { text: "x" } }), textStep("Done, with tabs.")],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(promptText(fixture.model.doStreamCalls[0])).not.toContain("Use tabs");
    const second = fixture.model.doStreamCalls[1]?.prompt ?? [];
    const last = second.at(-1);
    expect(last?.role).toBe("user");
    expect(JSON.stringify(last)).toContain("[Guidance from the user, sent while you were working]");
    expect(JSON.stringify(last)).toContain("Use tabs, not spaces.");
    expect(second.at(-2)?.role).toBe("tool");
    expect(fixture.log.indexOf("addGuidance Use tabs, not spaces.")).toBeGreaterThan(
      fixture.log.indexOf("toolEnded call_1 completed"),
    );
  });

  test("arriving while the final answer streams, it gets one more step instead of being dropped", async () => {
    const fixture = turnFixture({
      guidanceAt: { 1: ["Also add a summary."] },
      script: [textStep("Here is the answer."), textStep("And the summary.")],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(fixture.model.doStreamCalls).toHaveLength(2);
    expect(promptText(fixture.model.doStreamCalls[1])).toContain("Also add a summary.");
  });
});

describe("loop detection", () => {
  // The same failing call, up to trivial differences (a leading ./, a number field).
  const sameFailure = () => [
    toolStep({ id: "call_1", tool: "read_thing", input: { path: "a.txt", offset: 1 } }),
    toolStep({ id: "call_2", tool: "read_thing", input: { path: "./a.txt", offset: 2 } }),
    toolStep({ id: "call_3", tool: "read_thing", input: { path: "a.txt " } }),
  ];

  test("the same call failing three times in a row pauses the turn; Stop here ends it", async () => {
    const fixture = turnFixture({
      tools: [failingTool],
      continueAnswer: "Stop here",
      script: sameFailure(),
    });
    const result = await runTurn(fixture.request);
    expect(result).toMatchObject({ status: "completed", reason: "loop" });
    expect(fixture.model.doStreamCalls).toHaveLength(3);
    expect(fixture.questions).toHaveLength(1);
    expect(fixture.questions[0]).toMatchObject({
      purpose: "loop",
      repeated: { tool: "read_thing", count: 3, error: "cannot read a.txt : disk on fire" },
    });
  });

  test("Continue forgives the streak: two more failures do not ask again", async () => {
    const fixture = turnFixture({
      tools: [failingTool],
      continueAnswer: "Continue",
      script: [
        ...sameFailure(),
        toolStep({ id: "call_4", tool: "read_thing", input: { path: "a.txt" } }),
        toolStep({ id: "call_5", tool: "read_thing", input: { path: "a.txt" } }),
        textStep("Giving up on that file."),
      ],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(fixture.questions.map((q) => q.purpose)).toEqual(["loop"]);
    expect(fixture.model.doStreamCalls).toHaveLength(6);
  });

  test("different failing calls are not a loop", async () => {
    const fixture = turnFixture({
      tools: [failingTool],
      script: [
        toolStep({ id: "call_1", tool: "read_thing", input: { path: "a.txt" } }),
        toolStep({ id: "call_2", tool: "read_thing", input: { path: "b.txt" } }),
        toolStep({ id: "call_3", tool: "read_thing", input: { path: "c.txt" } }),
        textStep("None of them."),
      ],
    });
    expect((await runTurn(fixture.request)).status).toBe("completed");
    expect(fixture.questions).toEqual([]);
  });
});
