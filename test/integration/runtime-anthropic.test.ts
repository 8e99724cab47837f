/**
 * The same runtime through the real /ws endpoint with an Anthropic-format provider: text and thinking,
 * parallel tool calls with results in order, malformed arguments, 429 and a cut stream, stop, guidance.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FakeRequest } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";
import {
  conversationText,
  ended,
  eventually,
  modelRequests,
  openSession,
  partsOf,
  runTurn,
  storedMessages,
  storedTranscript,
  submit,
  textOf,
  transcriptCore,
  workspaceRoot,
} from "../support/session-steps.ts";

const app = useBackend({ provider: "anthropic" });
beforeAll(async () => {
  mkdirSync(join(workspaceRoot(app()), "docs"), { recursive: true });
  writeFileSync(join(workspaceRoot(app()), "docs", "readme.md"), "# Read me\nAnthropic side.\n");
});

interface ContentBlock {
  type: string;
  tool_use_id?: string;
  id?: string;
  content?: unknown;
  is_error?: boolean;
  text?: string;
}

/** Anthropic tool results of a request, in order. */
function anthropicResults(request: FakeRequest | undefined): ContentBlock[] {
  return (request?.body?.messages ?? [])
    .flatMap((m) => (Array.isArray(m.content) ? (m.content as unknown as ContentBlock[]) : []))
    .filter((block) => block.type === "tool_result");
}

describe("Anthropic wire format", () => {
  test("thinking and text stream over /ws and are stored; the request used the messages API", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue({ reasoning: ["Let me ", "think."], text: ["Bonjour ", "à ", "vous."] });
    expect((await runTurn(session, "Greet me")).status).toBe("completed");
    const [request] = modelRequests(app(), from);
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe("test-key-0001");
    expect(JSON.stringify(request?.body?.system)).toContain("You are Sage");
    const messages = await storedMessages(app(), session.sessionId);
    const assistant = messages[1];
    expect(assistant?.parts.map((p) => p.type)).toEqual(["reasoning", "text"]);
    expect(textOf(assistant)).toBe("Bonjour à vous.");
    expect(partsOf(messages, "reasoning")[0]?.text).toBe("Let me think.");
    expect(transcriptCore(session.socket.transcript(session.sessionId))).toEqual(
      transcriptCore(await storedTranscript(app(), session.sessionId)),
    );
    session.socket.close();
  });

  test("parallel tool calls: results go back as tool_result blocks in call order", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        reasoning: "Two lookups.",
        text: "Checking.",
        toolCalls: [
          { id: "toolu_read", name: "read_file", arguments: { path: "docs/readme.md" } },
          { id: "toolu_list", name: "list_dir", arguments: { path: "docs" } },
          { id: "toolu_glob", name: "glob", arguments: { pattern: "**/*.md" } },
        ],
      },
      { text: "Found the readme." },
    );
    expect((await runTurn(session, "Look at the docs")).status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(2);
    const results = anthropicResults(requests[1]);
    expect(results.map((r) => r.tool_use_id)).toEqual(["toolu_read", "toolu_list", "toolu_glob"]);
    expect(JSON.stringify(results[0]?.content)).toContain("Anthropic side.");
    expect(JSON.stringify(results[1]?.content)).toContain("readme.md");
    // The assistant turn sent back carries the tool_use blocks with their ids and inputs.
    const assistant = (requests[1]?.body?.messages ?? []).find((m) => m.role === "assistant");
    const uses = ((assistant?.content ?? []) as unknown as ContentBlock[]).filter(
      (b) => b.type === "tool_use",
    );
    expect(uses.map((b) => b.id)).toEqual(["toolu_read", "toolu_list", "toolu_glob"]);
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools.map((t) => t.status)).toEqual(["completed", "completed", "completed"]);
    session.socket.close();
  });

  test("malformed tool input is an error result; the corrected call runs", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "toolu_bad", name: "read_file", arguments: '{"path": "docs/readme.md"' }] },
      { toolCalls: [{ id: "toolu_good", name: "read_file", arguments: { path: "docs/readme.md" } }] },
      { text: "Read it." },
    );
    expect((await runTurn(session, "Read the readme")).status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(3);
    const [bad] = anthropicResults(requests[1]);
    expect(bad?.tool_use_id).toBe("toolu_bad");
    expect(bad?.is_error).toBe(true);
    expect(JSON.stringify(bad?.content)).toContain("not valid JSON");
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools.map((t) => [t.callId, t.status])).toEqual([
      ["toolu_bad", "error"],
      ["toolu_good", "completed"],
    ]);
    session.socket.close();
  });

  test("a 429 and a cut stream are retried visibly, then the answer arrives", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      { error: { status: 429, retryAfterSeconds: 0 } },
      { text: ["Partly ", "there ", "and ", "then ", "gone"], cutAfterChunks: 6 },
      { text: "Complete answer." },
    );
    const end = await runTurn(session, "Try");
    expect(end.status).toBe("completed");
    const retries = session.socket.ofType("turn.retrying");
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries[0]?.reason).toContain("429");
    expect(retries[1]?.reason).toContain("broke off");
    // One answer in the chat, recording both failed attempts (which stay stored, superseded).
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.status)).toEqual(["completed", "completed"]);
    expect(partsOf(messages, "error")).toHaveLength(0);
    expect(messages[1]?.info.attempts?.map((a) => a.code)).toEqual(["rate_limited", "stream_cut"]);
    expect(textOf(messages[1])).toBe("Complete answer.");
    session.socket.close();
  });

  test("stop mid-stream keeps the partial reply", async () => {
    const session = await openSession(app());
    const words = Array.from({ length: 60 }, (_, i) => `mot${i} `);
    app().fake.enqueue({ text: words, tokenDelayMs: 25 });
    const started = await submit(session, "Long answer");
    await eventually(() => (session.socket.ofType("message.part.delta").length >= 3 ? true : undefined));
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    const [, assistant] = await storedMessages(app(), session.sessionId);
    expect(assistant?.info.status).toBe("stopped");
    const partial = textOf(assistant);
    expect(partial.length).toBeGreaterThan(0);
    expect(words.join("").startsWith(partial)).toBe(true);
    session.socket.close();
  });

  test("guidance after a tool result reaches the model in the same user turn", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "toolu_slow", name: "list_dir", arguments: { path: "." } }], tokenDelayMs: 30 },
      { text: "Will do." },
    );
    const started = await submit(session, "Look around");
    await session.socket.waitFor("message.part.updated", (e) => e.part.type === "tool");
    session.socket.send({ type: "inject", sessionId: session.sessionId, text: "Mind the docs folder" });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    const second = modelRequests(app(), from)[1];
    expect(conversationText(second)).toContain("Mind the docs folder");
    // Roles alternate as the messages API requires: the tool result and the guidance share one user turn.
    const roles = (second?.body?.messages ?? []).map((m) => m.role);
    expect(roles).toEqual(["user", "assistant", "user"]);
    session.socket.close();
  });
});
