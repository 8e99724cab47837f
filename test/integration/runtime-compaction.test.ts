/**
 * Compaction through the real /ws endpoint, with a provider model whose context window is small: a long
 * session is summarised into a visible summary message before the next request would overflow; the
 * model then gets the summary instead of the oldest messages, which stay stored. `/compact` does it on
 * request, and once more when the provider refuses a request as too long.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CompactionPart } from "../../src/shared/parts.ts";
import { startTestApp, type TestApp } from "./runtime-harness.ts";
import {
  conversationText,
  modelRequests,
  openSession,
  partsOf,
  runTurn,
  type Subscribed,
  storedMessages,
  storedTranscript,
  textOf,
  transcriptCore,
} from "./runtime-helpers.ts";

/** Usable budget: (4000 - 1000 reserved for output) * 0.8 = 2400 tokens. */
const CONTEXT_WINDOW = 4000;
const SMALL = { inputTokens: 100, outputTokens: 10 };
const HUGE = { inputTokens: 3000, outputTokens: 10 };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ contextWindow: CONTEXT_WINDOW });
});
afterAll(async () => {
  await app.stop();
});

/** Five short exchanges whose measured usage stays small (no compaction yet). */
async function longSession(session: Subscribed, lastUsage = SMALL): Promise<void> {
  for (let i = 1; i <= 5; i++) {
    app.fake.enqueue({ text: `answer number ${i}`, usage: i === 5 ? lastUsage : SMALL });
    expect((await runTurn(session, `question number ${i}`)).status).toBe("completed");
  }
}

describe("automatic compaction", () => {
  test("a request that would overflow is preceded by a summary; the model sees it instead of the oldest messages", async () => {
    const session = await openSession(app);
    await longSession(session, HUGE);
    expect(partsOf(await storedMessages(app, session.sessionId), "compaction")).toHaveLength(0);

    const from = app.fake.requests.length;
    app.fake.enqueue(
      { text: "SUMMARY: the user asked five numbered questions." },
      { text: "answer number 6", usage: SMALL },
    );
    expect((await runTurn(session, "question number 6")).status).toBe("completed");
    const requests = modelRequests(app, from);
    expect(requests).toHaveLength(2);
    // The summary request was not streamed and carried the older history.
    expect(requests[0]?.body?.stream).not.toBe(true);
    expect(conversationText(requests[0])).toContain("question number 1");
    expect(conversationText(requests[0])).toContain("Summarise the conversation");

    const next = conversationText(requests[1]);
    expect(next).toContain("SUMMARY: the user asked five numbered questions.");
    expect(next).not.toContain("question number 1");
    expect(next).not.toContain("answer number 2");
    expect(next).toContain("question number 4");
    expect(next).toContain("question number 6");

    const messages = await storedMessages(app, session.sessionId);
    const summary = messages.find((m) => m.info.kind === "summary");
    expect(summary?.info.role).toBe("assistant");
    expect(summary?.info.status).toBe("completed");
    const part = summary?.parts[0] as CompactionPart;
    expect(part.type).toBe("compaction");
    expect(part.summary).toBe("SUMMARY: the user asked five numbered questions.");
    expect(part.replacedCount).toBe(5);
    expect(part.upToMessageId).toBe(messages[4]?.info.id ?? "");
    expect(part.tokensBefore).toBeGreaterThan(part.tokensAfter);
    // The originals stay stored and visible; the summary sits before the answer it made room for.
    expect(textOf(messages[0])).toBe("question number 1");
    expect(messages.map((m) => m.info.kind).slice(-3)).toEqual(["normal", "summary", "normal"]);
    expect(textOf(messages.at(-1))).toBe("answer number 6");
    expect(transcriptCore(session.socket.transcript(session.sessionId))).toEqual(
      transcriptCore(await storedTranscript(app, session.sessionId)),
    );

    // The next turn keeps using the summary (no second compaction while usage is small).
    const later = app.fake.requests.length;
    app.fake.enqueue({ text: "answer number 7", usage: SMALL });
    expect((await runTurn(session, "question number 7")).status).toBe("completed");
    const seventh = modelRequests(app, later);
    expect(seventh).toHaveLength(1);
    expect(conversationText(seventh[0])).toContain("SUMMARY: the user asked five numbered questions.");
    expect(conversationText(seventh[0])).not.toContain("question number 1");
    session.socket.close();
  });

  test("the budget is re-checked between the steps of a long tool loop", async () => {
    const session = await openSession(app);
    await longSession(session);
    const from = app.fake.requests.length;
    app.fake.enqueue(
      { toolCalls: [{ name: "list_dir", arguments: { path: "." } }], usage: HUGE },
      { text: "SUMMARY: mid-turn summary." },
      { text: "Done after compaction.", usage: SMALL },
    );
    expect((await runTurn(session, "list and answer")).status).toBe("completed");
    const requests = modelRequests(app, from);
    expect(requests).toHaveLength(3);
    expect(conversationText(requests[2])).toContain("SUMMARY: mid-turn summary.");
    expect(conversationText(requests[2])).not.toContain("question number 1");
    // The tool call and its result are still sent together after the cut.
    const roles = (requests[2]?.body?.messages ?? []).map((m) => m.role);
    expect(roles.indexOf("tool")).toBe(roles.indexOf("assistant", roles.lastIndexOf("user")) + 1);
    session.socket.close();
  });

  test("when the summary request fails the turn goes on uncompacted", async () => {
    const session = await openSession(app);
    await longSession(session, HUGE);
    const from = app.fake.requests.length;
    // A 400 is not retried by the summary call.
    const failure = { error: { status: 400, message: "no summaries today" } };
    app.fake.enqueue(failure, { text: "answered anyway" });
    expect((await runTurn(session, "question number 6")).status).toBe("completed");
    expect(modelRequests(app, from)).toHaveLength(2);
    const messages = await storedMessages(app, session.sessionId);
    expect(messages.some((m) => m.info.kind === "summary")).toBe(false);
    expect(textOf(messages.at(-1))).toBe("answered anyway");
    session.socket.close();
  });
});

describe("a provider that refuses the request as too long", () => {
  const refusal = { contextLengthExceeded: true } as const;

  test("gets one compaction and one more try; the refusal stays visible", async () => {
    const session = await openSession(app);
    await longSession(session);
    const from = app.fake.requests.length;
    app.fake.enqueue(
      refusal,
      { text: "SUMMARY: made room after a refusal." },
      { text: "answer number 6", usage: SMALL },
    );
    expect((await runTurn(session, "question number 6")).status).toBe("completed");
    const requests = modelRequests(app, from);
    expect(requests).toHaveLength(3);
    expect(conversationText(requests[0])).toContain("question number 1");
    expect(conversationText(requests[1])).toContain("Summarise the conversation");
    expect(conversationText(requests[2])).toContain("SUMMARY: made room after a refusal.");
    expect(conversationText(requests[2])).not.toContain("question number 1");
    expect(conversationText(requests[2])).toContain("question number 6");

    const messages = await storedMessages(app, session.sessionId);
    const errors = partsOf(messages, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("context window");
    expect(messages.map((m) => m.info.kind).slice(-2)).toEqual(["summary", "normal"]);
    expect(textOf(messages.at(-1))).toBe("answer number 6");
    expect(transcriptCore(session.socket.transcript(session.sessionId))).toEqual(
      transcriptCore(await storedTranscript(app, session.sessionId)),
    );
    session.socket.close();
  });

  test("refused again after compacting, the turn ends with the error (no loop)", async () => {
    const session = await openSession(app);
    await longSession(session);
    const from = app.fake.requests.length;
    app.fake.enqueue(refusal, { text: "SUMMARY: not enough." }, refusal);
    const end = await runTurn(session, "question number 6");
    expect(end.status).toBe("error");
    expect(end.reason).toContain("context window");
    expect(modelRequests(app, from)).toHaveLength(3);
    session.socket.close();
  });

  test("with nothing old enough to compact, the turn ends with the error at once", async () => {
    const session = await openSession(app);
    const from = app.fake.requests.length;
    app.fake.enqueue(refusal);
    const end = await runTurn(session, "a single enormous question");
    expect(end.status).toBe("error");
    expect(end.reason).toContain("context window");
    expect(modelRequests(app, from)).toHaveLength(1);
    session.socket.close();
  });
});

describe("/compact", () => {
  test("typed by the user, it compacts now, whatever the budget", async () => {
    const session = await openSession(app);
    await longSession(session);
    const from = app.fake.requests.length;
    app.fake.enqueue({ text: "SUMMARY: compacted on request." });
    const end = await runTurn(session, "/compact");
    expect(end).toMatchObject({ status: "completed", reason: "compacted" });
    expect(modelRequests(app, from)).toHaveLength(1);
    const messages = await storedMessages(app, session.sessionId);
    // No user message for the command itself; the summary is the newest message.
    expect(messages.some((m) => textOf(m) === "/compact")).toBe(false);
    expect(messages.at(-1)?.info.kind).toBe("summary");
    expect(partsOf(messages, "compaction")[0]?.summary).toBe("SUMMARY: compacted on request.");

    const later = app.fake.requests.length;
    app.fake.enqueue({ text: "answer number 6", usage: SMALL });
    expect((await runTurn(session, "question number 6")).status).toBe("completed");
    const next = conversationText(modelRequests(app, later)[0]);
    expect(next).toContain("SUMMARY: compacted on request.");
    expect(next).not.toContain("question number 1");
    session.socket.close();
  });

  test("on a short session it says why nothing was compacted, with the numbers, and changes nothing", async () => {
    const session = await openSession(app);
    app.fake.enqueue({ text: "hi", usage: SMALL });
    await runTurn(session, "hello");
    const before = await storedMessages(app, session.sessionId);
    const from = app.fake.requests.length;
    const end = await runTurn(session, "/compact");
    expect(end.status).toBe("completed");
    expect(end.reason).toStartWith("Nothing to compact yet: the conversation is short");
    // What the chat shows, in the user's language, comes from these numbers.
    expect(end.notice).toEqual({
      code: "nothing-to-compact",
      messages: 2,
      keptMessages: 6,
      tokens: expect.any(Number),
      limit: 2400,
    });
    if (end.notice?.code !== "nothing-to-compact") throw new Error("no notice");
    expect(end.notice.tokens).toBeGreaterThan(0);
    expect(end.notice.tokens).toBeLessThan(end.notice.limit);
    expect(end.reason).toContain(`about ${end.notice.tokens} of 2400 tokens`);
    expect(modelRequests(app, from)).toHaveLength(0);
    // Nothing lost, nothing added: the same messages, no summary, no "/compact" message.
    expect(await storedMessages(app, session.sessionId)).toEqual(before);
    session.socket.close();
  });

  test("when the summary request fails it says so and changes nothing", async () => {
    const session = await openSession(app);
    await longSession(session);
    const before = await storedMessages(app, session.sessionId);
    app.fake.enqueue({ error: { status: 400, message: "no summaries today" } });
    const end = await runTurn(session, "/compact");
    expect(end.status).toBe("completed");
    expect(end.notice?.code).toBe("compact-failed");
    expect(end.notice?.code === "compact-failed" && end.notice.error).toContain("no summaries today");
    expect(end.reason).toStartWith("Could not compact: the summary request failed");
    expect(await storedMessages(app, session.sessionId)).toEqual(before);
    session.socket.close();
  });
});
