/**
 * The server is the truth about a live session: a window that loads the stored messages and subscribes
 * after them (a reload, a second tab, a reconnect) is told what is pending right now — an approval, a
 * question, the step-limit question, a back-off between retries, the queue, the plan — and can finish
 * the turn from there. Also: answering in one tab resolves it in every tab; Stop while an approval or a
 * question waits is recorded as stopped (not as the user's "deny").
 */
import { describe, expect, test } from "bun:test";
import type { EventOf } from "../../src/shared/events.ts";
import { applyEvent, type TranscriptState } from "../../src/shared/transcript.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  modelRequests,
  openSession,
  partsOf,
  storedMessages,
  storedTranscript,
  submit,
  toolResults,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

/** What a reloaded window does: load the newest messages, subscribe after them, fold what comes. */
async function reloadedWindow(sessionId: string): Promise<{
  socket: TestSocket;
  state: () => TranscriptState;
  live: EventOf<"session.live">;
}> {
  const loaded = await storedTranscript(app(), sessionId);
  const socket = await TestSocket.connect(app());
  socket.send({ type: "subscribe", sessionId, afterSeq: loaded.lastSeq });
  const live = await socket.waitFor("session.live", (e) => e.sessionId === sessionId);
  await socket.waitFor("subscribed", (e) => e.sessionId === sessionId);
  const state = () => {
    const copy = structuredClone(loaded);
    for (const event of socket.events) if (event.sessionId === sessionId) applyEvent(copy, event);
    return copy;
  };
  return { socket, state, live };
}

function writeCall(id: string, path: string) {
  return { id, name: "write_file", arguments: { path, content: "x\n" } };
}

describe("a window that arrives late sees what is live", () => {
  test("a pending approval: Allow/Deny data, the turn and Stop's target; answering from it finishes the turn", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ toolCalls: [writeCall("call_late", "late/a.txt")] }, { text: "Written." });
    const started = await submit(session, "Write a file");
    const request = await session.socket.waitFor("approval.requested");

    const reloaded = await reloadedWindow(session.sessionId);
    // The approval event is older than the loaded page: only the live state can bring it back.
    expect(reloaded.socket.ofType("approval.requested")).toEqual([]);
    expect(reloaded.live.live.turnId).toBe(started.turnId);
    expect(reloaded.live.live.status).toBe("waiting");
    expect(reloaded.live.live.approvals[request.approvalId]).toMatchObject({
      tool: "write_file",
      title: "Create late/a.txt",
      detailKind: "diff",
    });
    const state = reloaded.state();
    expect(state.turnId).toBe(started.turnId);
    expect(Object.keys(state.approvals)).toEqual([request.approvalId]);
    expect(state.parts[request.messageId]?.find((p) => p.id === request.partId)).toMatchObject({
      status: "awaiting-approval",
    });

    reloaded.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    // Both windows see it resolved, and the turn finishes.
    await session.socket.waitFor("approval.resolved", (e) => e.approvalId === request.approvalId);
    expect((await ended(session, started.turnId)).status).toBe("completed");
    await reloaded.socket.waitFor("turn.ended", (e) => e.turnId === started.turnId);
    expect(session.socket.transcript(session.sessionId).approvals).toEqual({});
    expect(reloaded.state().approvals).toEqual({});
    expect(reloaded.state().turnId).toBeNull();
    reloaded.socket.close();
    session.socket.close();
  });

  test("a pending ask_user question and its answer from the second window", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_q",
            name: "ask_user",
            arguments: { questions: [{ id: "name", prompt: "Your name?", kind: "text" }] },
          },
        ],
      },
      { text: "Hello." },
    );
    const started = await submit(session, "Ask me");
    const asked = await session.socket.waitFor("question.asked");
    const reloaded = await reloadedWindow(session.sessionId);
    expect(reloaded.live.live.questions[asked.questionId]).toMatchObject({
      purpose: "ask_user",
      questions: [{ id: "name", prompt: "Your name?", kind: "text" }],
    });
    reloaded.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: asked.questionId,
      answers: { name: "Ada" },
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.transcript(session.sessionId).questions).toEqual({});
    reloaded.socket.close();
    session.socket.close();
  });

  test("the step-limit question survives a reload and 'Stop here' from the reloaded window ends the turn", async () => {
    configureAgent(app(), { stepLimit: 1 });
    try {
      const session = await openSession(app());
      app().fake.enqueue({ toolCalls: [{ id: "call_l1", name: "list_dir", arguments: { path: "." } }] });
      const started = await submit(session, "Loop");
      const asked = await session.socket.waitFor("question.asked", (e) => e.purpose === "continue");
      const reloaded = await reloadedWindow(session.sessionId);
      expect(reloaded.live.live.questions[asked.questionId]?.purpose).toBe("continue");
      reloaded.socket.send({
        type: "answer",
        sessionId: session.sessionId,
        questionId: asked.questionId,
        answers: { continue: "Stop here" },
      });
      expect((await ended(session, started.turnId)).status).toBe("completed");
      reloaded.socket.close();
      session.socket.close();
    } finally {
      configureAgent(app(), { stepLimit: 40 });
    }
  });

  test("a back-off between retries: the reloaded window knows the turn runs, when it retries, and can stop it", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ error: { status: 500, retryAfterSeconds: 3 } });
    const started = await submit(session, "Try");
    const retrying = await session.socket.waitFor("turn.retrying");
    const reloaded = await reloadedWindow(session.sessionId);
    expect(reloaded.live.live.turnId).toBe(started.turnId);
    expect(reloaded.live.live.retry).toMatchObject({ attempt: 1, delayMs: retrying.delayMs });
    expect(reloaded.live.live.retry?.at).toBe(retrying.at);
    expect(reloaded.state().retry).not.toBeNull();
    reloaded.socket.send({ type: "stop", sessionId: session.sessionId });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    await reloaded.socket.waitFor("turn.ended");
    expect(reloaded.state().retry).toBeNull();
    expect(reloaded.state().turnId).toBeNull();
    expect(app().fake.pendingReplies).toBe(0);
    reloaded.socket.close();
    session.socket.close();
  });

  test("queued messages and the plan are in the live state", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ toolCalls: [writeCall("call_hold", "hold/a.txt")] });
    const started = await submit(session, "Hold on an approval");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.send({
      type: "submit",
      sessionId: session.sessionId,
      clientTurnId: "queued-1",
      text: "Next, please",
      options: { whileRunning: "queue" },
    });
    await session.socket.waitFor("turn.queued");
    const reloaded = await reloadedWindow(session.sessionId);
    expect(reloaded.live.live.queued).toEqual([{ clientTurnId: "queued-1", text: "Next, please" }]);
    expect(reloaded.live.live.todos).toEqual([]);
    reloaded.socket.send({ type: "stop", sessionId: session.sessionId });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    // Stop takes the queue back (the window that stopped puts the text in its box): it does not run.
    await session.socket.waitFor("turn.dequeued", (e) => e.clientTurnId === "queued-1");
    expect(session.socket.ofType("turn.started").map((e) => e.turnId)).toEqual([started.turnId]);
    expect(request.approvalId).toBeTruthy();
    reloaded.socket.close();
    session.socket.close();
  });

  test("the plan (todo list) comes back after a reload, while running and after the turn", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_plan",
            name: "todo",
            arguments: { todos: [{ text: "step one", status: "in_progress" }] },
          },
        ],
      },
      { toolCalls: [writeCall("call_after_plan", "plan/a.txt")] },
      { text: "Done." },
    );
    const started = await submit(session, "Plan it");
    const request = await session.socket.waitFor("approval.requested");
    const during = await reloadedWindow(session.sessionId);
    expect(during.live.live.todos).toMatchObject([{ text: "step one", status: "in_progress" }]);
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    await ended(session, started.turnId);
    const after = await reloadedWindow(session.sessionId);
    expect(after.state().todos).toMatchObject([{ text: "step one", status: "in_progress" }]);
    during.socket.close();
    after.socket.close();
    session.socket.close();
  });

  test("an idle session's live state is empty", async () => {
    const session = await openSession(app());
    const reloaded = await reloadedWindow(session.sessionId);
    expect(reloaded.live.live).toEqual({
      status: "idle",
      turnId: null,
      queued: [],
      approvals: {},
      questions: {},
      retry: null,
      todos: [],
    });
    reloaded.socket.close();
    session.socket.close();
  });
});

describe("honest records of a stop", () => {
  test("Stop while an approval waits: resolved by an event as stopped, the call recorded as stopped, not denied", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ toolCalls: [writeCall("call_stopped", "stopped/a.txt")] });
    const started = await submit(session, "Write");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    const resolved = await session.socket.waitFor("approval.resolved");
    expect(resolved).toMatchObject({ approvalId: request.approvalId, decision: "stopped" });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    const [tool] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tool?.error).toBe("Stopped by the user.");
    expect(tool?.error).not.toContain("denied");
    const audit = app()
      .running.backend.context.db.query("SELECT decision FROM tool_runs WHERE call_id = ?")
      .get("call_stopped") as { decision: string } | undefined;
    expect(audit?.decision).toBe("stopped");

    // What the model reads on the next turn says stopped, never that the user denied it.
    const from = app().fake.requests.length;
    app().fake.enqueue({ text: "OK." });
    const next = await submit(session, "Never mind");
    await ended(session, next.turnId);
    const results = toolResults(modelRequests(app(), from)[0]);
    expect(results.map((r) => r.content).join("\n")).toContain("Stopped by the user.");
    expect(results.map((r) => r.content).join("\n")).not.toContain("denied");
    session.socket.close();
  });

  test("Stop while a question waits: it is answered as cancelled by an event", async () => {
    const session = await openSession(app());
    app().fake.enqueue({
      toolCalls: [
        {
          id: "call_q2",
          name: "ask_user",
          arguments: { questions: [{ id: "x", prompt: "Pick", kind: "text" }] },
        },
      ],
    });
    const started = await submit(session, "Ask");
    const asked = await session.socket.waitFor("question.asked");
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    const answered = await session.socket.waitFor("question.answered");
    expect(answered).toMatchObject({ questionId: asked.questionId, cancelled: true });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    session.socket.close();
  });
});
