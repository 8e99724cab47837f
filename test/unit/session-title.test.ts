/**
 * Session titles (src/agent/session-title.ts) against the AI SDK's mock language model: the model's reply
 * cleaned into a title, and the fallback (the start of the user's first message) whenever the model
 * cannot name the session — an error, no model, an empty reply, an abort.
 */
import { describe, expect, test } from "bun:test";
import type { LanguageModel } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { cleanTitle, fallbackTitle, sessionTitle, TITLE_MAX_LENGTH } from "../../src/agent/session-title.ts";
import type { Message } from "../../src/shared/parts.ts";

function message(role: "user" | "assistant", text: string, index: number): Message {
  return {
    info: {
      id: `msg_${index}`,
      sessionId: "ses_1",
      role,
      parentId: index === 0 ? null : `msg_${index - 1}`,
      turnId: "trn_1",
      kind: "normal",
      status: "completed",
      createdAt: index,
    },
    parts: [{ id: `prt_${index}`, type: "text", text }],
  };
}

const exchange = [
  message("user", "How do I bake sourdough bread at home?", 0),
  message("assistant", "Start with a starter.", 1),
  message("assistant", "Then knead, proof and bake.", 2),
];

function replying(text: string): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: {
      content: [{ type: "text", text }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 3, text: 3, reasoning: undefined },
      },
      warnings: [],
    },
  });
}

describe("sessionTitle", () => {
  test("the model's reply, cleaned, from the first user message and the last answer", async () => {
    const model = replying('"**Sourdough at home**."\nsecond line');
    const title = await sessionTitle({ messages: exchange, model: async () => model as LanguageModel });
    expect(title).toBe("Sourdough at home");
    const prompt = JSON.stringify(model.doGenerateCalls[0]?.prompt);
    expect(prompt).toContain("How do I bake sourdough bread at home?");
    expect(prompt).toContain("Then knead, proof and bake.");
    expect(prompt).not.toContain("Start with a starter.");
  });

  test("a model that fails gives the fallback and reports why", async () => {
    const failures: unknown[] = [];
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new Error("rate limited");
      },
    });
    const title = await sessionTitle({
      messages: exchange,
      model: async () => model as LanguageModel,
      onFailure: (error) => failures.push(error),
    });
    expect(title).toBe("How do I bake sourdough bread at home?");
    expect(failures).toHaveLength(1);
  });

  test("no model (resolving it throws) gives the fallback", async () => {
    const title = await sessionTitle({
      messages: exchange,
      model: async () => {
        throw new Error("No model is configured yet.");
      },
    });
    expect(title).toBe("How do I bake sourdough bread at home?");
  });

  test("an empty or punctuation-only reply gives the fallback", async () => {
    for (const reply of ["", "  \n", '"."']) {
      const title = await sessionTitle({
        messages: exchange,
        model: async () => replying(reply) as LanguageModel,
      });
      expect(title).toBe("How do I bake sourdough bread at home?");
    }
  });

  test("an aborted request gives the fallback", async () => {
    const closing = new AbortController();
    closing.abort();
    const model = new MockLanguageModelV4({
      doGenerate: async (options) => {
        options.abortSignal?.throwIfAborted();
        return {
          content: [{ type: "text", text: "Too late" }],
          finishReason: { unified: "stop", raw: "stop" },
          usage: {
            inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: 1, text: 1, reasoning: undefined },
          },
          warnings: [],
        };
      },
    });
    const title = await sessionTitle({
      messages: exchange,
      model: async () => model as LanguageModel,
      signal: closing.signal,
    });
    expect(title).toBe("How do I bake sourdough bread at home?");
  });

  test("no messages at all: New chat", async () => {
    expect(await sessionTitle({ messages: [], model: async () => replying("") as LanguageModel })).toBe(
      "New chat",
    );
  });
});

describe("cleanTitle and fallbackTitle", () => {
  test("cleanTitle keeps the first line, drops Markdown, quotes and a final full stop, and cuts long ones", () => {
    expect(cleanTitle("# Plan a trip。")).toBe("Plan a trip");
    expect(cleanTitle("“Quoted title”")).toBe("Quoted title");
    expect(cleanTitle(`${"x".repeat(200)}`)).toHaveLength(TITLE_MAX_LENGTH);
  });

  test("fallbackTitle drops leading /skill commands, folds spaces and cuts at 50 with an ellipsis", () => {
    expect(fallbackTitle("/pdf /review   read   this file")).toBe("read this file");
    expect(fallbackTitle("/pdf ")).toBe("New chat");
    expect(fallbackTitle("   ")).toBe("New chat");
    const long = fallbackTitle("word ".repeat(30));
    expect(long.endsWith("…")).toBe(true);
    expect(long.length).toBeLessThanOrEqual(51);
  });
});
