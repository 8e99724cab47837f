/**
 * The event stream over the real /ws endpoint against the fake model (OpenAI-compatible format): text
 * and reasoning streaming, stop mid-stream, duplicate submissions, the queue, and bad frames.
 */
import { describe, expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import {
  ended,
  eventually,
  loggedEvents,
  modelRequests,
  openSession,
  runTurn,
  storedMessages,
  storedTranscript,
  submit,
  textOf,
  transcriptCore,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

describe("streaming", () => {
  test("text chunks arrive as deltas in order, seqs are gapless, the stored transcript matches", async () => {
    const session = await openSession(app());
    const chunks = ["The ", "quick ", "brown ", "fox ", "jumps."];
    app().fake.enqueue({ text: chunks, usage: { inputTokens: 120, outputTokens: 5 } });
    const end = await runTurn(session, "Tell me about the fox");
    expect(end.status).toBe("completed");
    expect(end.usage).toMatchObject({ inputTokens: 120, outputTokens: 5 });

    const stored = loggedEvents(session.socket, session.sessionId);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    const deltas = session.socket.ofType("message.part.delta");
    // Chunks that wait in the log together are joined; the text and its order are exact.
    expect(deltas.map((d) => d.delta).join("")).toBe(chunks.join(""));
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    // Deltas come after the part was created and before the turn ended.
    const types = stored.map((e) => e.type);
    expect(types.indexOf("message.part.updated")).toBeLessThan(types.indexOf("message.part.delta"));
    expect(types.lastIndexOf("message.part.delta")).toBeLessThan(types.indexOf("turn.ended"));
    expect(session.socket.ofType("usage.updated")[0]?.usage.inputTokens).toBe(120);

    const live = session.socket.transcript(session.sessionId);
    const fromStore = await storedTranscript(app(), session.sessionId);
    expect(transcriptCore(live)).toEqual(transcriptCore(fromStore));
    expect(live.status).toBe("idle");
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => [m.info.role, m.info.status])).toEqual([
      ["user", "completed"],
      ["assistant", "completed"],
    ]);
    expect(textOf(messages[1])).toBe("The quick brown fox jumps.");
    expect(messages[1]?.info.usage).toMatchObject({ inputTokens: 120, outputTokens: 5 });
    session.socket.close();
  });

  test("reasoning streams into its own part before the text and is closed with endedAt", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ reasoning: ["Weighing ", "options."], text: "Pick the second." });
    const end = await runTurn(session, "Which one?");
    expect(end.status).toBe("completed");
    const [, assistant] = await storedMessages(app(), session.sessionId);
    expect(assistant?.parts.map((p) => p.type)).toEqual(["reasoning", "text"]);
    const reasoning = assistant?.parts[0];
    expect(reasoning?.type === "reasoning" && reasoning.text).toBe("Weighing options.");
    expect(reasoning?.type === "reasoning" && typeof reasoning.endedAt).toBe("number");
    // The UI saw the reasoning deltas live.
    const live = session.socket.transcript(session.sessionId);
    expect(live.parts[assistant?.info.id ?? ""]?.[0]).toEqual(reasoning);
    session.socket.close();
  });

  test("stop mid-stream ends the turn as stopped and keeps exactly the partial text", async () => {
    const session = await openSession(app());
    const words = Array.from({ length: 80 }, (_, i) => `w${i} `);
    app().fake.enqueue({ text: words, tokenDelayMs: 25 });
    const started = await submit(session, "Write a long answer");
    await eventually(() => (session.socket.ofType("message.part.delta").length >= 3 ? true : undefined));
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    const end = await ended(session, started.turnId);
    expect(end.status).toBe("stopped");

    const messages = await storedMessages(app(), session.sessionId);
    const assistant = messages[1];
    expect(assistant?.info.status).toBe("stopped");
    const partial = textOf(assistant);
    expect(partial.length).toBeGreaterThan(0);
    expect(words.join("").startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(words.join("").length);
    // What the client saw is what is stored: no delta after the stop was lost or invented.
    const seen = session.socket
      .ofType("message.part.delta")
      .map((d) => d.delta)
      .join("");
    expect(seen).toBe(partial);
    const live = session.socket.transcript(session.sessionId);
    expect(live.status).toBe("idle");
    expect(live.messages[assistant?.info.id ?? ""]?.status).toBe("stopped");

    // The session is usable afterwards, and the stopped reply is part of the next request's history.
    app().fake.enqueue({ text: "Fine." });
    const before = app().fake.requests.length;
    expect((await runTurn(session, "Shorter please")).status).toBe("completed");
    const sent = JSON.stringify(modelRequests(app(), before)[0]?.body?.messages);
    expect(sent).toContain(partial.trim());
    session.socket.close();
  });

  test("stop while idle is harmless", async () => {
    const session = await openSession(app());
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    session.socket.send({ type: "ping", t: 7 });
    const pong = await session.socket.waitFor("pong");
    expect(pong.t).toBe(7);
    expect(session.socket.ofType("error")).toEqual([]);
    session.socket.close();
  });
});

describe("submissions", () => {
  test("the same clientTurnId sent twice (and again later) runs one turn", async () => {
    const session = await openSession(app());
    const before = modelRequests(app()).length;
    app().fake.enqueue({ text: "Only once.", tokenDelayMs: 5 });
    const frame = { type: "submit", sessionId: session.sessionId, clientTurnId: "dup-1", text: "Hi" };
    session.socket.send(frame);
    session.socket.send(frame);
    const started = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === "dup-1");
    await ended(session, started.turnId);
    session.socket.send(frame); // a retried send after the turn finished
    session.socket.send({ type: "ping", t: 1 });
    await session.socket.waitFor("pong", (e) => e.t === 1);
    await Bun.sleep(50);
    expect(session.socket.ofType("turn.started")).toHaveLength(1);
    expect(session.socket.ofType("turn.queued")).toHaveLength(0);
    expect(modelRequests(app()).length - before).toBe(1);
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.role)).toEqual(["user", "assistant"]);
    const turns = app()
      .running.backend.context.db.query("SELECT COUNT(*) AS n FROM turns WHERE session_id = ?")
      .get(session.sessionId) as { n: number };
    expect(turns.n).toBe(1);
    session.socket.close();
  });

  test("a message sent while a turn runs is queued and runs next", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ text: ["one ", "two ", "three"], tokenDelayMs: 30 }, { text: "Second answer." });
    const first = await submit(session, "First");
    session.socket.send({ type: "submit", sessionId: session.sessionId, clientTurnId: "q2", text: "Second" });
    const queued = await session.socket.waitFor("turn.queued", (e) => e.clientTurnId === "q2");
    expect(queued.text).toBe("Second");
    expect((await ended(session, first.turnId)).status).toBe("completed");
    const second = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === "q2");
    expect((await ended(session, second.turnId)).status).toBe("completed");
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => textOf(m))).toEqual(["First", "one two three", "Second", "Second answer."]);
    expect(session.socket.transcript(session.sessionId).queued).toEqual([]);
    session.socket.close();
  });
});

test("stop also clears the queue: queued messages are dequeued and never run", async () => {
  const session = await openSession(app());
  const before = modelRequests(app()).length;
  app().fake.enqueue({ text: Array.from({ length: 40 }, (_, i) => `x${i} `), tokenDelayMs: 25 });
  const started = await submit(session, "Slow one");
  // Stop once the model is streaming: a stop during the turn's set-up would leave the reply unused.
  await session.socket.waitFor("message.part.delta");
  for (const id of ["q-a", "q-b"])
    session.socket.send({ type: "submit", sessionId: session.sessionId, clientTurnId: id, text: id });
  await session.socket.waitFor("turn.queued", (e) => e.clientTurnId === "q-b");
  expect(session.socket.transcript(session.sessionId).queued.map((q) => q.clientTurnId)).toEqual([
    "q-a",
    "q-b",
  ]);
  session.socket.send({ type: "stop", sessionId: session.sessionId });
  expect((await ended(session, started.turnId)).status).toBe("stopped");
  expect(session.socket.ofType("turn.dequeued").map((e) => e.clientTurnId)).toEqual(["q-a", "q-b"]);
  await Bun.sleep(100);
  expect(session.socket.ofType("turn.started")).toHaveLength(1);
  expect(modelRequests(app()).length - before).toBe(1);
  expect(session.socket.transcript(session.sessionId).queued).toEqual([]);
  session.socket.close();
});

test("one queued message can be taken back; the others still run, in order", async () => {
  const session = await openSession(app());
  app().fake.enqueue(
    { text: Array.from({ length: 30 }, (_, i) => `y${i} `), tokenDelayMs: 25 },
    { text: "Kept." },
  );
  const started = await submit(session, "Slow again");
  for (const id of ["u-a", "u-b"])
    session.socket.send({ type: "submit", sessionId: session.sessionId, clientTurnId: id, text: id });
  await session.socket.waitFor("turn.queued", (e) => e.clientTurnId === "u-b");
  session.socket.send({ type: "unqueue", sessionId: session.sessionId, clientTurnId: "u-a" });
  await session.socket.waitFor("turn.dequeued", (e) => e.clientTurnId === "u-a");
  expect(session.socket.transcript(session.sessionId).queued.map((q) => q.clientTurnId)).toEqual(["u-b"]);
  // Taking back one that is not waiting is an error event; the socket keeps working.
  session.socket.send({ type: "unqueue", sessionId: session.sessionId, clientTurnId: "u-missing" });
  const error = await session.socket.waitFor("error", (e) => e.ref === "unqueue");
  expect(error.message).toContain("u-missing");

  expect((await ended(session, started.turnId)).status).toBe("completed");
  const next = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === "u-b");
  expect((await ended(session, next.turnId)).status).toBe("completed");
  const texts = (await storedMessages(app(), session.sessionId)).map((m) => textOf(m));
  expect(texts).not.toContain("u-a");
  expect(texts.slice(-2)).toEqual(["u-b", "Kept."]);
  session.socket.close();
});

describe("bad frames", () => {
  test("each bad frame gets an error event and the socket keeps working", async () => {
    const session = await openSession(app());
    const { socket, sessionId } = session;
    const bad: [unknown, string | undefined][] = [
      ["this is not json", undefined],
      [{ type: "launch-missiles" }, "launch-missiles"],
      [{ type: "submit", sessionId, text: "no client turn id" }, "submit"],
      [{ type: "subscribe", sessionId, afterSeq: -1 }, "subscribe"],
      [[1, 2, 3], undefined],
      [{ type: "inject", sessionId, text: "" }, "inject"],
    ];
    for (const [frame, ref] of bad) {
      const count = socket.ofType("error").length;
      socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
      await eventually(() => (socket.ofType("error").length > count ? true : undefined), 3000, "an error");
      const error = socket.ofType("error").at(-1);
      expect(error?.code).toBe("bad_frame");
      expect(error?.ref).toBe(ref);
      expect(error?.message.length).toBeGreaterThan(5);
      expect(error?.seq).toBe(0);
    }
    const binary = socket.ofType("error").length;
    (socket as unknown as { socket: WebSocket }).socket.send(new Uint8Array([1, 2, 3]));
    await eventually(() => (socket.ofType("error").length > binary ? true : undefined));
    expect(socket.ofType("error").at(-1)?.message).toContain("Binary");

    // Commands that are well-formed but impossible: a clear error naming the frame.
    socket.send({ type: "subscribe", sessionId: "ses_nope", afterSeq: 0 });
    const notFound = await socket.waitFor("error", (e) => e.code === "not_found");
    expect(notFound.ref).toBe("subscribe");
    socket.send({ type: "inject", sessionId, text: "nothing is running" });
    const conflict = await socket.waitFor("error", (e) => e.code === "conflict");
    expect(conflict.ref).toBe("inject");
    socket.send({ type: "approve", sessionId, approvalId: "apr_nope", decision: "once" });
    const noApproval = await socket.waitFor("error", (e) => e.ref === "approve");
    expect(noApproval.code).toBe("not_found");
    socket.send({ type: "submit", sessionId, clientTurnId: "blank", text: "   " });
    expect((await socket.waitFor("error", (e) => e.ref === "submit", 3000, true)).code).toBe("invalid");

    // The errors were not stored in the session's log, and the socket still runs a turn.
    app().fake.enqueue({ text: "Still here." });
    expect((await runTurn(session, "Are you there?")).status).toBe("completed");
    const messages = await storedMessages(app(), sessionId);
    expect(textOf(messages.at(-1))).toBe("Still here.");
    socket.close();
  });

  test("a second client sees the same stream and a late subscriber gets the backlog", async () => {
    const session = await openSession(app());
    const other = await TestSocket.connect(app());
    other.send({ type: "subscribe", sessionId: session.sessionId, afterSeq: 0 });
    await other.waitFor("subscribed");
    app().fake.enqueue({ text: ["a ", "b ", "c"] });
    await runTurn(session, "Go");
    // The runner's final session.updated follows turn.ended: wait until the log is quiet.
    await session.socket.waitFor("session.updated", (e) => e.session.status === "idle" && e.seq > 5);
    const last = app().running.backend.context.events.lastSeq(session.sessionId);
    await eventually(() => (loggedEvents(other, session.sessionId).at(-1)?.seq === last ? true : undefined));
    await eventually(() =>
      loggedEvents(session.socket, session.sessionId).at(-1)?.seq === last ? true : undefined,
    );
    const seqs = (s: TestSocket) => loggedEvents(s, session.sessionId).map((e) => e.seq);
    expect(seqs(other)).toEqual(seqs(session.socket));
    const late = await TestSocket.connect(app());
    late.send({ type: "subscribe", sessionId: session.sessionId, afterSeq: 0 });
    const subscribed = await late.waitFor("subscribed");
    expect(subscribed.lastSeq).toBe(seqs(session.socket).at(-1) ?? -1);
    expect(late.transcript(session.sessionId)).toEqual(session.socket.transcript(session.sessionId));
    for (const s of [session.socket, other, late]) s.close();
  });
});
