/**
 * Provider failures and loop limits through the real /ws endpoint: 429 with Retry-After then success,
 * a stream cut mid-answer then a clean retry, bounded retries, errors that are not retried, a stop
 * during the retry wait, and the step limit asking whether to continue.
 */
import { describe, expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  modelRequests,
  openSession,
  partsOf,
  runTurn,
  storedMessages,
  submit,
  textOf,
  toolResults,
} from "../support/session-steps.ts";

const app = useBackend();

describe("retries", () => {
  test("429 with Retry-After: a visible retry, then the answer", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue({ error: { status: 429, retryAfterSeconds: 0 } }, { text: "Made it." });
    const end = await runTurn(session, "Hello");
    expect(end.status).toBe("completed");
    const [retry] = session.socket.ofType("turn.retrying");
    expect(retry).toMatchObject({ attempt: 1, delayMs: 0 });
    expect(retry?.reason).toContain("429");
    expect(modelRequests(app(), from)).toHaveLength(2);

    // The retry replaced the failed attempt: one answer, which records the attempt's error.
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => [m.info.role, m.info.status])).toEqual([
      ["user", "completed"],
      ["assistant", "completed"],
    ]);
    expect(partsOf(messages, "error")).toHaveLength(0);
    expect(messages[1]?.info.attempts).toHaveLength(1);
    expect(messages[1]?.info.attempts?.[0]).toMatchObject({ code: "rate_limited" });
    expect(messages[1]?.info.attempts?.[0]?.message).toContain("429");
    expect(textOf(messages[1])).toBe("Made it.");
    // The failed attempt is not sent to the model.
    const resent = modelRequests(app(), from)[1]?.body?.messages ?? [];
    expect(resent.filter((m) => m.role === "assistant")).toHaveLength(0);
    // The live state cleared the retry banner when the answer came.
    expect(session.socket.transcript(session.sessionId).retry).toBeNull();
    session.socket.close();
  });

  test("a stream cut mid-answer: the partial step ends in error, a retry replaces it and succeeds", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { text: ["Half ", "an ", "answer ", "that ", "breaks"], cutAfterChunks: 3 },
      { text: "The whole answer." },
    );
    const end = await runTurn(session, "Explain");
    expect(end.status).toBe("completed");
    expect(modelRequests(app(), from)).toHaveLength(2);
    const [retry] = session.socket.ofType("turn.retrying");
    expect(retry?.attempt).toBe(1);
    expect(retry?.reason).toContain("broke off");

    const messages = await storedMessages(app(), session.sessionId);
    expect(messages).toHaveLength(2);
    const answer = messages[1];
    expect(answer?.info.status).toBe("completed");
    expect(textOf(answer)).toBe("The whole answer.");
    expect(answer?.info.attempts?.map((a) => a.code)).toEqual(["stream_cut"]);
    // The partial step is stored, in error and superseded by the retry, but not in the chat.
    const supersededId = answer?.info.attempts?.[0]?.messageId ?? "";
    const [failed] = app().running.backend.context.sessionRepo.messagesById([supersededId]);
    expect(failed?.info).toMatchObject({ status: "error", supersededBy: answer?.info.id });
    expect(textOf(failed)).toBe("Half an ");
    expect(failed?.parts.map((p) => p.type)).toEqual(["text", "error"]);
    expect(partsOf(failed ? [failed] : [], "error")[0]).toMatchObject({
      code: "stream_cut",
      retryable: true,
    });
    // The live view, folded from the events, shows the same one answer.
    const live = session.socket.transcript(session.sessionId);
    expect(live.order).toEqual(messages.map((m) => m.info.id));
    expect(live.messages[supersededId]?.supersededBy).toBe(answer?.info.id);
    session.socket.close();
  });

  test("server errors are retried a bounded number of times, then the turn ends in error", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    const failure = { error: { status: 500, retryAfterSeconds: 0 } };
    app().fake.enqueue(failure, failure, failure, failure, failure, { text: "never sent" });
    const end = await runTurn(session, "Try hard");
    expect(end.status).toBe("error");
    expect(end.reason).toContain("500");
    expect(modelRequests(app(), from)).toHaveLength(5);
    expect(session.socket.ofType("turn.retrying").map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
    expect(app().fake.pendingReplies).toBe(1);
    app().fake.enqueue({ text: "unused" });
    // Drain the two unused replies so later tests start with an empty queue.
    await runTurn(session, "next");
    await runTurn(session, "next again");
    session.socket.close();
  });

  test("a rejected key is not retried: the turn ends in error with a clear message", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue({ error: { status: 401 } });
    const end = await runTurn(session, "Hello");
    expect(end.status).toBe("error");
    expect(end.reason).toContain("API key");
    expect(modelRequests(app(), from)).toHaveLength(1);
    expect(session.socket.ofType("turn.retrying")).toHaveLength(0);
    const [error] = partsOf(await storedMessages(app(), session.sessionId), "error");
    expect(error).toMatchObject({ code: "auth", retryable: false });
    expect(JSON.stringify(session.socket.events)).not.toContain("test-key-0001");
    session.socket.close();
  });

  test("stop during the retry wait ends the turn at once", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ error: { status: 429, retryAfterSeconds: 60 } });
    const started = await submit(session, "Hello");
    const retry = await session.socket.waitFor("turn.retrying");
    expect(retry.delayMs).toBe(60_000);
    const stoppedAt = Date.now();
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(session.socket.transcript(session.sessionId).retry).toBeNull();
    session.socket.close();
  });
});

describe("step limit", () => {
  const listCall = { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] };

  test("after stepLimit steps the turn asks; 'Stop here' completes it with reason step limit", async () => {
    configureAgent(app(), { stepLimit: 2 });
    try {
      const session = await openSession(app());
      const from = app().fake.requests.length;
      app().fake.enqueue(listCall, listCall, listCall);
      const started = await submit(session, "Keep listing");
      const question = await session.socket.waitFor("question.asked");
      expect(question.purpose).toBe("continue");
      expect(question.questions[0]?.options).toEqual(["Continue", "Stop here"]);
      expect(modelRequests(app(), from)).toHaveLength(2);
      expect(session.socket.transcript(session.sessionId).questions[question.questionId]).toBeDefined();
      session.socket.send({
        type: "answer",
        sessionId: session.sessionId,
        questionId: question.questionId,
        answers: { continue: "Stop here" },
      });
      const end = await ended(session, started.turnId);
      expect(end).toMatchObject({ status: "completed", reason: "step limit" });
      expect(modelRequests(app(), from)).toHaveLength(2);
      expect(app().fake.pendingReplies).toBe(1);
      await runTurn(session, "drain the queue");
      session.socket.close();
    } finally {
      configureAgent(app(), { stepLimit: 40 });
    }
  });

  test("'Continue' lets the turn take more steps until the model is done", async () => {
    configureAgent(app(), { stepLimit: 2 });
    try {
      const session = await openSession(app());
      const from = app().fake.requests.length;
      app().fake.enqueue(listCall, listCall, listCall, { text: "Listed enough." });
      const started = await submit(session, "Keep listing");
      const question = await session.socket.waitFor("question.asked");
      session.socket.send({
        type: "answer",
        sessionId: session.sessionId,
        questionId: question.questionId,
        answers: { continue: "Continue" },
      });
      const end = await ended(session, started.turnId);
      expect(end.status).toBe("completed");
      expect(end.reason).toBeUndefined();
      expect(session.socket.ofType("question.asked")).toHaveLength(1);
      const requests = modelRequests(app(), from);
      expect(requests).toHaveLength(4);
      expect(toolResults(requests[3])).toHaveLength(3);
      const messages = await storedMessages(app(), session.sessionId);
      expect(textOf(messages.at(-1))).toBe("Listed enough.");
      session.socket.close();
    } finally {
      configureAgent(app(), { stepLimit: 40 });
    }
  });

  test("stop while the continue question waits ends the turn stopped", async () => {
    configureAgent(app(), { stepLimit: 1 });
    try {
      const session = await openSession(app());
      app().fake.enqueue(listCall);
      const started = await submit(session, "List");
      await session.socket.waitFor("question.asked");
      session.socket.send({ type: "stop", sessionId: session.sessionId });
      expect((await ended(session, started.turnId)).status).toBe("stopped");
      expect(session.socket.transcript(session.sessionId).questions).toEqual({});
      session.socket.close();
    } finally {
      configureAgent(app(), { stepLimit: 40 });
    }
  });
});
