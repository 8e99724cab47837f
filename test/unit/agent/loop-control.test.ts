/**
 * `runTurn` against the AI SDK's mock language model (no HTTP, no storage): control of the turn.
 * Stopping before, mid-stream, mid-tool and mid-backoff; the step limit's question; retries of
 * retryable provider errors with the policy's delay; guidance injected into a running turn; loop
 * detection of the same failing call.
 */
import { describe, expect, test } from "bun:test";
import { runTurn } from "../../../src/agent/loop.ts";
import { MAX_ATTEMPTS } from "../../../src/agent/retry.ts";
import { TOOL_STOPPED_ERROR } from "../../../src/shared/parts.ts";
import { apiError, echoTool, failingTool, promptText, waitingTool } from "./loop-fixture-tools.ts";
import { textStep, toolStep, turnFixture, WAIT_FOR_ABORT } from "./turn-fixture.ts";

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
