/**
 * `runTurn` against the AI SDK's mock language model (no HTTP, no storage): tool calls. Several calls
 * in one step run together and their results go back in call order; every kind of failed call (a
 * thrown tool, bad arguments, unparseable JSON, an unknown tool, a policy or user denial) goes back
 * to the model as text; a long output is cut for the model and saved whole; a context-length refusal.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { APICallError } from "ai";
import { CONTEXT_EXHAUSTED, runTurn } from "../../../src/agent/loop.ts";
import { defineTool } from "../../../src/agent/tool-contract.ts";
import { MODEL_OUTPUT_LIMIT } from "../../../src/agent/tool-runner.ts";
import { echoTool, failingTool, toolResultsIn } from "./loop-fixture-tools.ts";
import { textStep, toolStep, turnFixture } from "./turn-fixture.ts";

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
