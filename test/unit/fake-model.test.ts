/**
 * The fake model server, driven through the real AI SDK providers: if these pass, the app's provider
 * code sees the fake exactly as it would see the real services.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import {
  APICallError,
  generateText,
  jsonSchema,
  type LanguageModel,
  streamText,
  type ToolSet,
  tool,
} from "ai";
import { type FakeModel, FakeScriptError, startFakeModel } from "../fixtures/fake-model/index.ts";

const API_KEY = "test-key-123456789";

const readFileTool = tool({
  description: "Read a file",
  inputSchema: jsonSchema<{ path: string }>({
    type: "object",
    properties: { path: { type: "string" } },
    required: ["path"],
    additionalProperties: false,
  }),
});
const tools = { read_file: readFileTool } satisfies ToolSet;

function openAICompatibleModel(fake: FakeModel, apiKey = API_KEY): LanguageModel {
  return createOpenAICompatible({ baseURL: fake.url, name: "fake", apiKey, includeUsage: true })(
    "fake-model",
  );
}

function anthropicModel(fake: FakeModel, apiKey = API_KEY): LanguageModel {
  return createAnthropic({ baseURL: fake.url, apiKey })("claude-fake");
}

/**
 * Run one streamed call and collect every part. Errors reported through `onError` and an error thrown
 * by the stream itself (a reset connection) both land in `errors`.
 */
async function streamParts(model: LanguageModel, prompt = "hello") {
  const errors: unknown[] = [];
  const result = streamText({
    model,
    prompt,
    tools,
    maxRetries: 0,
    // Explicit, so the SDK does not warn that "claude-fake" is an unknown model.
    maxOutputTokens: 1000,
    onError: ({ error }) => {
      errors.push(error);
    },
  });
  const parts = [];
  try {
    for await (const part of result.fullStream) parts.push(part);
  } catch (error) {
    errors.push(error);
  }
  return { parts, errors };
}

type Part = Awaited<ReturnType<typeof streamParts>>["parts"][number];

function partsOfType<K extends Part["type"]>(parts: Part[], type: K): Extract<Part, { type: K }>[] {
  return parts.filter((part): part is Extract<Part, { type: K }> => part.type === type);
}

let fake: FakeModel;
beforeEach(async () => {
  fake = await startFakeModel({ apiKey: API_KEY });
});
afterEach(async () => {
  await fake.stop();
});

describe("OpenAI chat completions", () => {
  test("text streams as several deltas and finishes with stop", async () => {
    fake.enqueue({ text: ["Hel", "lo ", "wor", "ld"] });
    const { parts, errors } = await streamParts(openAICompatibleModel(fake));
    expect(errors).toEqual([]);
    const deltas = partsOfType(parts, "text-delta").map((part) => part.text);
    expect(deltas).toEqual(["Hel", "lo ", "wor", "ld"]);
    expect(partsOfType(parts, "finish")[0]?.finishReason).toBe("stop");
  });

  test("a plain string is split into word deltas", async () => {
    fake.enqueue({ text: "The quick brown fox" });
    const { parts } = await streamParts(openAICompatibleModel(fake));
    expect(partsOfType(parts, "text-delta").map((part) => part.text)).toEqual([
      "The ",
      "quick ",
      "brown ",
      "fox",
    ]);
  });

  test("reasoning_content arrives as reasoning parts before the text", async () => {
    fake.enqueue({ reasoning: ["Let me ", "think."], text: "Done" });
    const { parts } = await streamParts(openAICompatibleModel(fake));
    expect(partsOfType(parts, "reasoning-delta").map((part) => part.text)).toEqual(["Let me ", "think."]);
    const types = parts.map((part) => part.type);
    expect(types.indexOf("reasoning-end")).toBeLessThan(types.indexOf("text-start"));
  });

  test("a tool call with arguments streamed in fragments is parsed", async () => {
    fake.enqueue({
      toolCalls: [{ id: "call_1", name: "read_file", arguments: { path: "src/some/long/file.ts" } }],
    });
    const { parts } = await streamParts(openAICompatibleModel(fake));
    expect(partsOfType(parts, "tool-input-delta").length).toBeGreaterThan(1);
    const calls = partsOfType(parts, "tool-call");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      toolCallId: "call_1",
      toolName: "read_file",
      input: { path: "src/some/long/file.ts" },
    });
    expect(partsOfType(parts, "finish")[0]?.finishReason).toBe("tool-calls");
  });

  test("two parallel tool calls are both parsed", async () => {
    fake.enqueue({
      text: "Reading both.",
      toolCalls: [
        { name: "read_file", arguments: { path: "a.ts" } },
        { name: "read_file", arguments: { path: "b.ts" } },
      ],
    });
    const { parts } = await streamParts(openAICompatibleModel(fake));
    const calls = partsOfType(parts, "tool-call");
    expect(calls.map((call) => call.input)).toEqual([{ path: "a.ts" }, { path: "b.ts" }]);
    expect(new Set(calls.map((call) => call.toolCallId)).size).toBe(2);
  });

  test("malformed raw arguments reach the SDK verbatim as an invalid call", async () => {
    fake.enqueue({ toolCalls: [{ name: "read_file", arguments: '{"path": "a.ts"' }] });
    const { parts } = await streamParts(openAICompatibleModel(fake));
    const deltas = partsOfType(parts, "tool-input-delta").map((part) => part.delta);
    expect(deltas.join("")).toBe('{"path": "a.ts"');
    const calls = partsOfType(parts, "tool-call");
    expect(calls[0]?.invalid).toBe(true);
  });

  test("usage is reported with cached and reasoning tokens", async () => {
    fake.enqueue({
      reasoning: "hmm",
      text: "ok",
      usage: { inputTokens: 120, cachedInputTokens: 100, outputTokens: 30, reasoningTokens: 10 },
    });
    const { parts } = await streamParts(openAICompatibleModel(fake));
    const usage = partsOfType(parts, "finish")[0]?.totalUsage;
    expect(usage?.inputTokens).toBe(120);
    expect(usage?.inputTokenDetails.cacheReadTokens).toBe(100);
    expect(usage?.outputTokens).toBe(30);
    expect(usage?.outputTokenDetails.reasoningTokens).toBe(10);
  });

  test("the final usage chunk is only sent when stream_options.include_usage is set", async () => {
    const withoutUsage = createOpenAICompatible({ baseURL: fake.url, name: "fake", apiKey: API_KEY })("m");
    const { parts } = await streamParts(withoutUsage);
    expect(fake.lastRequest?.body?.stream_options).toBeUndefined();
    expect(partsOfType(parts, "finish")[0]?.totalUsage.inputTokens).toBeUndefined();
  });

  test("429 with Retry-After surfaces as an APICallError", async () => {
    fake.enqueue({ error: { status: 429, retryAfterSeconds: 7 } });
    const { errors } = await streamParts(openAICompatibleModel(fake));
    const [error] = errors;
    if (!APICallError.isInstance(error)) throw new Error(`expected an APICallError, got ${String(error)}`);
    expect(error.statusCode).toBe(429);
    expect(error.isRetryable).toBe(true);
    expect(error.responseHeaders?.["retry-after"]).toBe("7");
    expect(error.message).toContain("Rate limit");
  });

  test("500, 404 with a custom message and context length have the provider's bodies", async () => {
    fake.enqueue({ error: { status: 500 } }, { error: { status: 404, message: "model not found" } });
    fake.enqueue({ contextLengthExceeded: true });
    const statuses = [];
    for (let call = 0; call < 3; call++) {
      const [error] = (await streamParts(openAICompatibleModel(fake))).errors;
      if (!APICallError.isInstance(error)) throw new Error("expected an APICallError");
      statuses.push([error.statusCode, error.message]);
      if (call === 2)
        expect(JSON.parse(error.responseBody ?? "{}").error.code).toBe("context_length_exceeded");
    }
    expect(statuses[0]).toEqual([
      500,
      "The server had an error while processing your request. Sorry about that!",
    ]);
    expect(statuses[1]).toEqual([404, "model not found"]);
    expect(statuses[2]?.[0]).toBe(400);
    expect(String(statuses[2]?.[1])).toContain("maximum context length");
  });

  test("a stream cut mid-way errors without a finish reason", async () => {
    fake.enqueue({ text: ["one ", "two ", "three ", "four"], cutAfterChunks: 3 });
    const { parts, errors } = await streamParts(openAICompatibleModel(fake));
    expect(partsOfType(parts, "text-delta").map((part) => part.text)).toEqual(["one ", "two "]);
    expect(partsOfType(parts, "finish")).toEqual([]);
    const [error] = errors;
    if (!APICallError.isInstance(error)) throw new Error(`expected an APICallError, got ${String(error)}`);
    expect(String(error.cause)).toContain("ECONNRESET");
  });

  test("a wrong key gets the provider's 401, the right key is recorded", async () => {
    const { errors } = await streamParts(openAICompatibleModel(fake, "wrong-key-000000000"));
    const [error] = errors;
    if (!APICallError.isInstance(error)) throw new Error("expected an APICallError");
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain("Incorrect API key");
    expect(error.message).not.toContain("wrong-key-000000000");
    await streamParts(openAICompatibleModel(fake));
    expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
      "Bearer wrong-key-000000000",
      `Bearer ${API_KEY}`,
    ]);
  });

  test("requests record the system prompt, messages, tools and temperature", async () => {
    const result = streamText({
      model: openAICompatibleModel(fake),
      system: "You are Sage.",
      prompt: "What is in a.ts?",
      tools,
      temperature: 0.3,
    });
    await result.consumeStream();
    const body = fake.lastRequest?.body;
    expect(fake.lastRequest?.path).toBe("/v1/chat/completions");
    expect(body?.messages?.[0]).toEqual({ role: "system", content: "You are Sage." });
    expect(body?.messages?.[1]).toMatchObject({ role: "user" });
    expect(body?.temperature).toBe(0.3);
    expect(body?.tools?.[0]).toMatchObject({ type: "function", function: { name: "read_file" } });
  });

  test("non-streaming requests get a chat.completion object", async () => {
    fake.enqueue({ text: "A short title", usage: { inputTokens: 5, outputTokens: 3 } });
    const result = await generateText({ model: openAICompatibleModel(fake), prompt: "title?" });
    expect(result.text).toBe("A short title");
    expect(result.usage.inputTokens).toBe(5);
    expect(fake.lastRequest?.body?.stream).toBeUndefined();
  });

  test("the @ai-sdk/openai chat model works too", async () => {
    fake.enqueue({ text: ["a", "b"], usage: { inputTokens: 9, outputTokens: 2 } });
    const model = createOpenAI({ baseURL: fake.url, apiKey: API_KEY }).chat("gpt-fake");
    const { parts, errors } = await streamParts(model);
    expect(errors).toEqual([]);
    expect(partsOfType(parts, "text-delta").map((part) => part.text)).toEqual(["a", "b"]);
    expect(partsOfType(parts, "finish")[0]?.totalUsage.inputTokens).toBe(9);
  });

  test("GET /v1/models lists the models in OpenAI format", async () => {
    const response = await fetch(`${fake.url}/models`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(await response.json()).toEqual({
      object: "list",
      data: [{ id: "fake-model", object: "model", created: 1700000000, owned_by: "fake-model" }],
    });
  });
});

describe("Anthropic messages", () => {
  test("thinking, text and a tool_use block stream as parts", async () => {
    fake.enqueue({
      reasoning: ["Need ", "the file."],
      text: ["Let me ", "look."],
      toolCalls: [{ id: "toolu_1", name: "read_file", arguments: { path: "notes/todo.md" } }],
      usage: { inputTokens: 50, cachedInputTokens: 20, outputTokens: 12 },
    });
    const { parts, errors } = await streamParts(anthropicModel(fake));
    expect(errors).toEqual([]);
    // The closing signature_delta surfaces as an empty reasoning delta carrying the signature.
    const reasoning = partsOfType(parts, "reasoning-delta").filter((part) => part.text !== "");
    expect(reasoning.map((part) => part.text)).toEqual(["Need ", "the file."]);
    expect(partsOfType(parts, "text-delta").map((part) => part.text)).toEqual(["Let me ", "look."]);
    expect(partsOfType(parts, "tool-input-delta").length).toBeGreaterThan(1);
    expect(partsOfType(parts, "tool-call")[0]).toMatchObject({
      toolCallId: "toolu_1",
      toolName: "read_file",
      input: { path: "notes/todo.md" },
    });
    const finish = partsOfType(parts, "finish")[0];
    expect(finish?.finishReason).toBe("tool-calls");
    expect(finish?.totalUsage.inputTokens).toBe(50);
    expect(finish?.totalUsage.inputTokenDetails.cacheReadTokens).toBe(20);
    expect(finish?.totalUsage.outputTokens).toBe(12);
    expect(fake.lastRequest?.headers["x-api-key"]).toBe(API_KEY);
    expect(fake.lastRequest?.format).toBe("anthropic");
  });

  test("the system prompt arrives in the system field", async () => {
    const result = streamText({
      model: anthropicModel(fake),
      system: "Be brief.",
      prompt: "hi",
      maxOutputTokens: 100,
    });
    await result.consumeStream();
    expect(JSON.stringify(fake.lastRequest?.body?.system)).toContain("Be brief.");
  });

  test("non-streaming requests get a message object", async () => {
    fake.enqueue({ text: "Title here" });
    const result = await generateText({
      model: anthropicModel(fake),
      prompt: "title?",
      maxOutputTokens: 100,
    });
    expect(result.text).toBe("Title here");
    expect(result.finishReason).toBe("stop");
  });

  test("a wrong key gets Anthropic's authentication_error", async () => {
    const { errors } = await streamParts(anthropicModel(fake, "wrong-key"));
    const [error] = errors;
    if (!APICallError.isInstance(error)) throw new Error("expected an APICallError");
    expect(error.statusCode).toBe(401);
    expect(JSON.parse(error.responseBody ?? "{}")).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "invalid x-api-key" },
    });
  });

  test("429 and context length use Anthropic's error shapes", async () => {
    fake.enqueue({ error: { status: 429, retryAfterSeconds: 3 } }, { contextLengthExceeded: true });
    const [rateLimited] = (await streamParts(anthropicModel(fake))).errors;
    const [tooLong] = (await streamParts(anthropicModel(fake))).errors;
    if (!APICallError.isInstance(rateLimited) || !APICallError.isInstance(tooLong))
      throw new Error("expected errors");
    expect(rateLimited.statusCode).toBe(429);
    expect(rateLimited.responseHeaders?.["retry-after"]).toBe("3");
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.message).toMatch(/^prompt is too long: \d+ tokens > 128000 maximum$/);
  });

  test("a cut stream errors", async () => {
    fake.enqueue({ text: ["a ", "b ", "c ", "d"], cutAfterChunks: 5 });
    const { parts, errors } = await streamParts(anthropicModel(fake));
    expect(partsOfType(parts, "text-delta").map((part) => part.text)).toEqual(["a ", "b "]);
    expect(partsOfType(parts, "finish")).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  test("GET /v1/models with anthropic-version lists models in Anthropic format", async () => {
    const headers = { "x-api-key": API_KEY, "anthropic-version": "2023-06-01" };
    const response = await fetch(`${fake.url}/models`, { headers });
    const body = await response.json();
    expect(body).toMatchObject({ data: [{ type: "model", id: "fake-model" }], has_more: false });
  });
});

/** The `data:` payloads of a raw SSE response, in order. */
async function ssePayloads(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .flatMap((event) => event.split("\n").filter((line) => line.startsWith("data: ")))
    .map((line) => line.slice("data: ".length));
}

function postChat(body: object, apiKey = API_KEY): Promise<Response> {
  return fetch(`${fake.url}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("scripting", () => {
  test("an empty queue answers with the default text, then the fallback", async () => {
    expect((await generateText({ model: openAICompatibleModel(fake), prompt: "x" })).text).toBe("ok");
    const withFallback = await startFakeModel({
      fallback: (request) => ({ text: `echo ${request.body?.model}` }),
    });
    try {
      withFallback.enqueue({ text: "queued" });
      expect(withFallback.pendingReplies).toBe(1);
      const model = createOpenAICompatible({ baseURL: withFallback.url, name: "fake" })("m-1");
      expect((await generateText({ model, prompt: "x" })).text).toBe("queued");
      expect(withFallback.pendingReplies).toBe(0);
      expect((await generateText({ model, prompt: "x" })).text).toBe("echo m-1");
    } finally {
      await withFallback.stop();
    }
  });

  test("invalid replies are refused with the offending field named", () => {
    expect(() => fake.enqueue({ text: { repeat: "x", count: -1 } })).toThrow(
      "reply.text.count: Expected integer to be greater or equal to 0",
    );
    expect(() => fake.enqueue({ error: { status: 200 } })).toThrow(FakeScriptError);
    expect(() => fake.enqueue(JSON.parse('{"txt": "typo"}'))).toThrow("reply.txt: Unexpected property");
    expect(fake.pendingReplies).toBe(0);
  });

  test("an invalid fallback reply becomes a 500 that names the problem", async () => {
    const broken = await startFakeModel({ fallback: () => JSON.parse('{"finishReason": "done"}') });
    try {
      const response = await fetch(`${broken.url}/chat/completions`, { method: "POST", body: "{}" });
      expect(response.status).toBe(500);
      expect(JSON.stringify(await response.json())).toContain("reply.finishReason");
    } finally {
      await broken.stop();
    }
  });

  test("a body that is not JSON gets a 400 and an unknown route a 404, both recorded", async () => {
    const badJson = await fetch(`${fake.url}/messages`, {
      method: "POST",
      headers: { "x-api-key": API_KEY },
      body: "{not json",
    });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.type).toBe("invalid_request_error");
    const unknown = await postChat({});
    expect(unknown.status).toBe(200);
    const missing = await fetch(`${fake.url}/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(missing.status).toBe(404);
    expect(fake.requests.map((request) => request.path)).toEqual([
      "/v1/messages",
      "/v1/chat/completions",
      "/v1/embeddings",
    ]);
  });

  test("bulk mode streams every repeat as its own event and stamps each send time", async () => {
    fake.enqueue({ text: { repeat: "tok ", count: 20_000 } });
    const payloads = await ssePayloads(await postChat({ model: "m", stream: true, messages: [] }));
    const contents = payloads.filter((payload) => payload.includes('"content":"tok "'));
    expect(contents).toHaveLength(20_000);
    expect(payloads.at(-1)).toBe("[DONE]");
    expect(fake.sentAt).toHaveLength(20_000);
    expect(fake.sentAt.every((time, index) => index === 0 || time >= (fake.sentAt[index - 1] ?? 0))).toBe(
      true,
    );
  });

  test("paced mode spaces deltas on a fixed schedule; tokenDelayMs slows every event", async () => {
    fake.enqueue({ text: { repeat: "t", count: 6 }, paced: { intervalMs: 30 } });
    await (await postChat({ model: "m", stream: true, messages: [] })).text();
    const span = (fake.sentAt.at(-1) ?? 0) - (fake.sentAt[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(5 * 30 - 2);
    expect(span).toBeLessThan(5 * 30 + 500);

    fake.enqueue({ text: ["a", "b", "c"], tokenDelayMs: 40 });
    const started = performance.now();
    const { parts } = await streamParts(openAICompatibleModel(fake));
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 40);
    expect(partsOfType(parts, "text-delta")).toHaveLength(3);
  });

  test("a cut non-streaming answer makes generateText fail", async () => {
    fake.enqueue({ text: "a title that never arrives", cutAfterChunks: 0 });
    const call = generateText({ model: openAICompatibleModel(fake), prompt: "title?", maxRetries: 0 });
    await expect(call).rejects.toThrow();
  });
});
