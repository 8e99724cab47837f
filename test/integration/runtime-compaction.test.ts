/**
 * Compaction through the real /ws endpoint, with a provider model whose context window is 20,000
 * tokens. What is measured is the request as sent (system prompt and 20-odd tool schemas are some 6,000
 * of them). Before a request would pass the limit, old tool outputs are pruned (stubs naming the saved
 * output), and when that is not enough the older history is summarised into a visible summary message;
 * the model then gets the summary instead of the oldest messages, which stay stored. `/compact` does it
 * on request; a provider refusal gets one harder compaction.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { contextBudget } from "../../src/agent/context-budget.ts";
import { CONTEXT_EXHAUSTED } from "../../src/agent/loop.ts";
import type { CompactionPart, Message } from "../../src/shared/parts.ts";
import { useBackend } from "../support/backend.ts";
import {
  BUDGET_CALIBRATION_TOOLS,
  configureAgent,
  conversationText,
  modelRequests,
  openSession,
  partsOf,
  runTurn,
  type Subscribed,
  storedMessages,
  storedTranscript,
  textOf,
  toolResults,
  transcriptCore,
  workspaceRoot,
} from "../support/session-steps.ts";

const CONTEXT_WINDOW = 20_000;
const BUDGET = contextBudget(CONTEXT_WINDOW);
/** An answer of about 1,500 tokens: four of them and the fixed part pass the limit (12,000). */
const LONG = "This answer explains the point at length, with examples and caveats. ".repeat(86);

const app = useBackend({ contextWindow: CONTEXT_WINDOW });
beforeAll(() => configureAgent(app(), { tools: BUDGET_CALIBRATION_TOOLS }));

/** A workspace file of `lines` lines of 100 characters. */
function writeLines(name: string, lines: number, fill = "x"): void {
  mkdirSync(workspaceRoot(app()), { recursive: true });
  writeFileSync(join(workspaceRoot(app()), name), `${fill.repeat(100)}\n`.repeat(lines));
}

/** Four exchanges with long answers: the fifth request passes the limit. */
async function longSession(session: Subscribed): Promise<void> {
  for (let i = 1; i <= 4; i++) {
    app().fake.enqueue({ text: `answer number ${i}. ${LONG}` });
    expect((await runTurn(session, `question number ${i}`)).status).toBe("completed");
  }
}

function compactions(messages: Message[], mode: "summary" | "prune"): CompactionPart[] {
  return partsOf(messages, "compaction").filter((p) => (p.mode ?? "summary") === mode);
}

describe("automatic compaction", () => {
  test("a request that would pass the limit is preceded by a summary that lands under the target", async () => {
    const session = await openSession(app());
    await longSession(session);
    expect(partsOf(await storedMessages(app(), session.sessionId), "compaction")).toHaveLength(0);

    const from = app().fake.requests.length;
    app().fake.enqueue(
      { text: "SUMMARY: the user asked four numbered questions." },
      { text: "answer number 5" },
    );
    expect((await runTurn(session, "question number 5")).status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(2);
    // The summary request was not streamed, carried the older history and was told to update it.
    expect(requests[0]?.body?.stream).not.toBe(true);
    expect(conversationText(requests[0])).toContain("question number 1");
    expect(conversationText(requests[0])).toContain("running summary");

    const next = conversationText(requests[1]);
    expect(next).toContain("SUMMARY: the user asked four numbered questions.");
    expect(next).not.toContain("question number 1");
    expect(next).not.toContain("answer number 2");
    expect(next).toContain("question number 5");
    // Landed well under the limit: the next turns have room before compacting again.
    expect(requests[1]?.promptTokens ?? 0).toBeLessThanOrEqual(BUDGET.target);

    const messages = await storedMessages(app(), session.sessionId);
    const summary = messages.find((m) => m.info.kind === "summary");
    expect(summary?.info.role).toBe("assistant");
    expect(summary?.info.status).toBe("completed");
    const part = summary?.parts[0] as CompactionPart;
    expect(part.type).toBe("compaction");
    expect(part.mode).toBe("summary");
    expect(part.summary).toStartWith("SUMMARY: the user asked four numbered questions.");
    // The current request was kept verbatim, so it is not quoted into the summary.
    expect(part.summary).not.toContain("latest request");
    // The oldest messages are replaced; the newest ones that fit under the target are kept.
    expect(part.replacedCount).toBeGreaterThanOrEqual(6);
    expect(part.upToMessageId).toBe(messages[part.replacedCount - 1]?.info.id ?? "");
    expect(part.tokensBefore).toBeGreaterThan(BUDGET.limit);
    expect(part.tokensAfter).toBeLessThanOrEqual(BUDGET.target);
    // The originals stay stored and visible; the summary sits before the answer it made room for.
    expect(textOf(messages[0])).toBe("question number 1");
    expect(messages.map((m) => m.info.kind).slice(-3)).toEqual(["normal", "summary", "normal"]);
    expect(textOf(messages.at(-1))).toBe("answer number 5");
    expect(transcriptCore(session.socket.transcript(session.sessionId))).toEqual(
      transcriptCore(await storedTranscript(app(), session.sessionId)),
    );

    // The next turn keeps using the summary (no second compaction).
    const later = app().fake.requests.length;
    app().fake.enqueue({ text: "answer number 6" });
    expect((await runTurn(session, "question number 6")).status).toBe("completed");
    const sixth = modelRequests(app(), later);
    expect(sixth).toHaveLength(1);
    expect(conversationText(sixth[0])).toContain("SUMMARY: the user asked four numbered questions.");
    expect(conversationText(sixth[0])).not.toContain("question number 1");
    session.socket.close();
  });

  test("inside a turn: the cut falls between two steps; usage measured before the summary is not trusted", async () => {
    const session = await openSession(app());
    for (let i = 1; i <= 3; i++) {
      app().fake.enqueue({ text: `answer number ${i}. ${LONG}` });
      await runTurn(session, `question number ${i}`);
    }
    // The turn's first request fits; the file it reads pushes the second over the limit.
    writeLines("notes.txt", 80);
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { text: "Reading first.", toolCalls: [{ name: "read_file", arguments: { path: "notes.txt" } }] },
      { text: "SUMMARY: mid-turn summary." },
      { text: "Done after compaction." },
    );
    expect((await runTurn(session, "read notes.txt and answer")).status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(3);
    expect(conversationText(requests[1])).toContain("running summary");
    const third = conversationText(requests[2]);
    expect(third).toContain("SUMMARY: mid-turn summary.");
    expect(third).not.toContain("question number 1");
    // The turn's own request was summarised away, so the summary quotes it.
    expect(third).toContain("The user's latest request (verbatim)");
    expect(third).toContain("> read notes.txt and answer");
    // The turn's step and its result are still sent together after the cut.
    const roles = (requests[2]?.body?.messages ?? []).map((m) => m.role);
    expect(roles.indexOf("tool")).toBe(roles.indexOf("assistant") + 1);
    const messages = await storedMessages(app(), session.sessionId);
    const summary = messages.find((m) => m.info.kind === "summary");
    expect(summary?.info.turnId).toBe(messages.at(-1)?.info.turnId ?? "");
    // The first step of the turn came before the summary (a cut inside the turn).
    const stepIndex = messages.findIndex((m) => textOf(m) === "Reading first.");
    expect(stepIndex).toBeGreaterThan(0);
    expect(stepIndex).toBeLessThan(messages.indexOf(summary as Message));

    // The first step's usage counted the whole old history; the next turn must not compact again.
    const later = app().fake.requests.length;
    app().fake.enqueue({ text: "short answer" });
    expect((await runTurn(session, "one more question")).status).toBe("completed");
    expect(modelRequests(app(), later)).toHaveLength(1);
    session.socket.close();
  });

  test("a new summary builds on the previous one", async () => {
    const session = await openSession(app());
    await longSession(session);
    app().fake.enqueue({ text: "SUMMARY ONE" }, { text: `answer number 5. ${LONG}` });
    await runTurn(session, "question number 5");
    for (let i = 6; i <= 9; i++) {
      app().fake.enqueue({ text: `answer number ${i}. ${LONG}` });
      await runTurn(session, `question number ${i}`);
    }
    const summaries = compactions(await storedMessages(app(), session.sessionId), "summary");
    expect(summaries.length).toBe(2);
    const second = app().fake.requests.filter(
      (r) => r.body?.stream !== true && r.path.endsWith("completions"),
    );
    const request = conversationText(second.at(-1));
    expect(request).toContain("SUMMARY ONE");
    expect(request).not.toContain("question number 1");
    expect(request).toContain("question number 6");
    session.socket.close();
  });

  test("pruning comes first: old tool outputs become stubs naming the saved output, no summary", async () => {
    const session = await openSession(app());
    for (let i = 1; i <= 3; i++) writeLines(`part${i}.txt`, 140, String(i));
    const from = app().fake.requests.length;
    const read = (i: number) => ({
      toolCalls: [{ id: `call_read${i}`, name: "read_file", arguments: { path: `part${i}.txt` } }],
    });
    app().fake.enqueue(read(1), read(2), read(3), { text: "Read all three." });
    expect((await runTurn(session, "Read the three parts")).status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(4);
    expect(requests.every((r) => r.body?.stream === true)).toBe(true);
    const last = toolResults(requests[3]);
    expect(last[0]?.content).toContain("Output pruned from the context");
    expect(last[0]?.content).toContain(".sage/tool-output/call_read1.txt");
    expect(last[2]?.content).toContain("3333333333");
    const saved = join(workspaceRoot(app()), ".sage", "tool-output", "call_read1.txt");
    expect(existsSync(saved)).toBe(true);
    expect(readFileSync(saved, "utf8")).toContain("1111111111");

    const messages = await storedMessages(app(), session.sessionId);
    const prunes = compactions(messages, "prune");
    expect(prunes.length).toBeGreaterThan(0);
    expect(prunes[0]?.tokensAfter).toBeLessThan(prunes[0]?.tokensBefore ?? 0);
    expect(compactions(messages, "summary")).toHaveLength(0);
    // The transcript keeps the full output.
    expect(partsOf(messages, "tool")[0]?.output?.text.length).toBeGreaterThan(14_000);
    session.socket.close();
  });

  test("when the summary request fails the turn goes on, pruned as far as it can be", async () => {
    const session = await openSession(app());
    await longSession(session);
    const from = app().fake.requests.length;
    // A 400 is not retried by the summary call.
    const failure = { error: { status: 400, message: "no summaries today" } };
    app().fake.enqueue(failure, { text: "answered anyway" });
    expect((await runTurn(session, "question number 5")).status).toBe("completed");
    expect(modelRequests(app(), from)).toHaveLength(2);
    const messages = await storedMessages(app(), session.sessionId);
    expect(compactions(messages, "summary")).toHaveLength(0);
    expect(textOf(messages.at(-1))).toBe("answered anyway");
    session.socket.close();
  });
});

describe("a provider that refuses the request as too long", () => {
  const refusal = { contextLengthExceeded: true } as const;

  test("gets one harder compaction and one more try; the refusal stays visible", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ text: `answer number 1. ${LONG}` });
    await runTurn(session, "question number 1");
    app().fake.enqueue({ text: `answer number 2. ${LONG}` });
    await runTurn(session, "question number 2");
    const from = app().fake.requests.length;
    app().fake.enqueue(refusal, { text: "SUMMARY: made room after a refusal." }, { text: "answer number 3" });
    expect((await runTurn(session, "question number 3")).status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(3);
    expect(conversationText(requests[0])).toContain("question number 1");
    expect(conversationText(requests[1])).toContain("running summary");
    expect(conversationText(requests[2])).toContain("SUMMARY: made room after a refusal.");
    expect(conversationText(requests[2])).not.toContain("question number 1");
    expect(conversationText(requests[2])).toContain("question number 3");

    const messages = await storedMessages(app(), session.sessionId);
    const errors = partsOf(messages, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("context window");
    expect(messages.map((m) => m.info.kind).slice(-2)).toEqual(["summary", "normal"]);
    expect(textOf(messages.at(-1))).toBe("answer number 3");
    expect(transcriptCore(session.socket.transcript(session.sessionId))).toEqual(
      transcriptCore(await storedTranscript(app(), session.sessionId)),
    );
    session.socket.close();
  });

  test("refused again after compacting, the turn ends with an error that says what to do (no loop)", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ text: `answer number 1. ${LONG}` });
    await runTurn(session, "question number 1");
    const from = app().fake.requests.length;
    app().fake.enqueue(refusal, { text: "SUMMARY: not enough." }, refusal);
    const end = await runTurn(session, "question number 2");
    expect(end.status).toBe("error");
    expect(end.reason).toBe(CONTEXT_EXHAUSTED);
    expect(modelRequests(app(), from)).toHaveLength(3);
    const errors = partsOf(await storedMessages(app(), session.sessionId), "error");
    expect(errors.map((e) => e.code)).toEqual(["context_length", "context_length"]);
    session.socket.close();
  });

  test("with nothing old enough to compact, the turn ends with the error at once", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(refusal);
    const end = await runTurn(session, "a single enormous question");
    expect(end.status).toBe("error");
    expect(end.reason).toBe(CONTEXT_EXHAUSTED);
    expect(modelRequests(app(), from)).toHaveLength(1);
    session.socket.close();
  });
});

describe("/compact", () => {
  test("typed by the user, it compacts now, whatever the budget", async () => {
    const session = await openSession(app());
    for (let i = 1; i <= 5; i++) {
      app().fake.enqueue({ text: `answer number ${i}` });
      await runTurn(session, `question number ${i}`);
    }
    const from = app().fake.requests.length;
    app().fake.enqueue({ text: "SUMMARY: compacted on request." });
    const end = await runTurn(session, "/compact");
    expect(end).toMatchObject({ status: "completed", reason: "compacted" });
    expect(modelRequests(app(), from)).toHaveLength(1);
    const messages = await storedMessages(app(), session.sessionId);
    // No user message for the command itself; the summary is the newest message.
    expect(messages.some((m) => textOf(m) === "/compact")).toBe(false);
    expect(messages.at(-1)?.info.kind).toBe("summary");
    expect(partsOf(messages, "compaction")[0]?.summary).toBe("SUMMARY: compacted on request.");

    const later = app().fake.requests.length;
    app().fake.enqueue({ text: "answer number 6" });
    expect((await runTurn(session, "question number 6")).status).toBe("completed");
    const next = conversationText(modelRequests(app(), later)[0]);
    expect(next).toContain("SUMMARY: compacted on request.");
    expect(next).not.toContain("question number 1");
    session.socket.close();
  });

  test("on a short session it says why nothing was compacted, with the numbers, and changes nothing", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ text: "hi" });
    await runTurn(session, "hello");
    const before = await storedMessages(app(), session.sessionId);
    const from = app().fake.requests.length;
    const end = await runTurn(session, "/compact");
    expect(end.status).toBe("completed");
    expect(end.reason).toStartWith("Nothing to compact yet: the conversation is short");
    // What the chat shows, in the user's language, comes from these numbers.
    expect(end.notice).toEqual({
      code: "nothing-to-compact",
      messages: 2,
      keptMessages: 6,
      tokens: expect.any(Number),
      limit: BUDGET.limit,
    });
    if (end.notice?.code !== "nothing-to-compact") throw new Error("no notice");
    // The system prompt and tool schemas are counted: the estimate is near the provider's count.
    expect(end.notice.tokens).toBeGreaterThan(5000);
    expect(end.notice.tokens).toBeLessThan(end.notice.limit);
    expect(end.reason).toContain(`about ${end.notice.tokens} of ${BUDGET.limit} tokens`);
    expect(modelRequests(app(), from)).toHaveLength(0);
    // Nothing lost, nothing added: the same messages, no summary, no "/compact" message.
    expect(await storedMessages(app(), session.sessionId)).toEqual(before);
    session.socket.close();
  });

  test("when the summary request fails it says so and changes nothing", async () => {
    const session = await openSession(app());
    for (let i = 1; i <= 5; i++) {
      app().fake.enqueue({ text: `answer number ${i}` });
      await runTurn(session, `question number ${i}`);
    }
    const before = await storedMessages(app(), session.sessionId);
    app().fake.enqueue({ error: { status: 400, message: "no summaries today" } });
    const end = await runTurn(session, "/compact");
    expect(end.status).toBe("completed");
    expect(end.notice?.code).toBe("compact-failed");
    expect(end.notice?.code === "compact-failed" && end.notice.error).toContain("no summaries today");
    expect(end.reason).toStartWith("Could not compact: the summary request failed");
    expect(await storedMessages(app(), session.sessionId)).toEqual(before);
    session.socket.close();
  });
});
