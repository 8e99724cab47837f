/**
 * Test helper for the loop tests: small tools (one that echoes after a delay, one that always fails,
 * one that waits for the stop), readers of what a model call was sent, and provider errors.
 */
import { Type } from "@sinclair/typebox";
import { APICallError } from "ai";
import { type AnyTool, defineTool } from "../../../src/agent/tool-contract.ts";
import type { CallOptions } from "./turn-fixture.ts";

/** Answers `text` after `delayMs`; records when it ran. */
export function echoTool(runs: string[]): AnyTool {
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

export const failingTool = defineTool({
  name: "read_thing",
  description: "Always fails.",
  kind: "read",
  parameters: Type.Object({ path: Type.String(), offset: Type.Optional(Type.Number()) }),
  async execute({ path }) {
    throw new Error(`cannot read ${path}: disk on fire`);
  },
});

/** Waits for the stop; returns its partial output marked as stopped. */
export function waitingTool(started: () => void): AnyTool {
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
export function toolResultsIn(call: CallOptions | undefined): [string, string, string][] {
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

export function promptText(call: CallOptions | undefined): string {
  return JSON.stringify(call?.prompt ?? []);
}

export function apiError(statusCode: number, headers: Record<string, string> = {}): APICallError {
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
