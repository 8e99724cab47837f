/**
 * Plan mode through the real /ws endpoint with the fake model: a write attempted while planning is
 * refused to the model with the reason (nothing asked, nothing written); the plan waits as a question
 * that a window opened later still sees; approval (with edited steps) continues the same turn in
 * normal mode with the steps as the todo list; rejection ends the turn.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PLAN_REJECTED } from "../../src/agent/plan-mode.ts";
import { useBackend } from "../support/backend.ts";
import {
  ended,
  modelRequests,
  openSession,
  partsOf,
  type Subscribed,
  storedMessages,
  toolResults,
  workspaceRoot,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const backend = useBackend();

function submitPlanMode(session: Subscribed, text: string) {
  const clientTurnId = crypto.randomUUID();
  session.socket.send({
    type: "submit",
    sessionId: session.sessionId,
    clientTurnId,
    text,
    options: { plan: true },
  });
  return session.socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId);
}

const toolNames = (request: ReturnType<typeof modelRequests>[number] | undefined): string[] =>
  ((request?.body?.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
const systemText = (request: ReturnType<typeof modelRequests>[number] | undefined): string =>
  String((request?.body?.messages ?? []).find((m) => m.role === "system")?.content ?? "");

describe("plan mode", () => {
  test("a write is refused with the reason; approval with edited steps continues the turn with the todo list", async () => {
    const session = await openSession(backend());
    const from = backend().fake.requests.length;
    backend().fake.enqueue(
      { toolCalls: [{ id: "call_w", name: "write_file", arguments: { path: "plan/x.txt", content: "no" } }] },
      {
        toolCalls: [
          {
            id: "call_plan",
            name: "submit_plan",
            arguments: { summary: "Write the greeting file.", steps: ["Write hello.txt", "Check it"] },
          },
        ],
      },
      {
        toolCalls: [
          { id: "call_w2", name: "write_file", arguments: { path: "plan/hello.txt", content: "hi\n" } },
        ],
      },
      { text: "Done as planned." },
    );
    const started = await submitPlanMode(session, "Plan a greeting file");
    const asked = await session.socket.waitFor("question.asked", (e) => e.purpose === "plan");
    expect(asked.questions[0]).toEqual({
      id: "plan",
      prompt: "Write the greeting file.",
      kind: "multiple",
      options: ["Write hello.txt", "Check it"],
    });
    // The write was refused to the model with the reason, without asking the user.
    const requests = modelRequests(backend(), from);
    expect(toolResults(requests[1])).toEqual([
      {
        id: "call_w",
        content: expect.stringContaining("Plan mode: write_file was refused because it changes files"),
      },
    ]);
    expect(session.socket.ofType("approval.requested")).toHaveLength(0);
    expect(existsSync(join(workspaceRoot(backend()), "plan/x.txt"))).toBe(false);
    expect(systemText(requests[0])).toContain("PLAN MODE is on");
    expect(toolNames(requests[0])).toContain("submit_plan");

    // A window opened now (a reload) gets the pending plan in the session's live state.
    const late = await TestSocket.connect(backend());
    late.send({ type: "subscribe", sessionId: session.sessionId, afterSeq: 0 });
    const live = await late.waitFor("session.live", (e) => e.sessionId === session.sessionId);
    expect(live.live.questions[asked.questionId]?.purpose).toBe("plan");
    expect(live.live.status).toBe("waiting");

    late.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: asked.questionId,
      answers: { decision: "approve", steps: ["Write hello.txt with hi", "Check it", "Report"] },
    });
    const todos = await session.socket.waitFor("todo.updated");
    expect(todos.todos.map((t) => [t.text, t.status])).toEqual([
      ["Write hello.txt with hi", "pending"],
      ["Check it", "pending"],
      ["Report", "pending"],
    ]);
    // Normal mode now: the write asks for approval like any write, then runs.
    const approval = await session.socket.waitFor("approval.requested");
    expect(approval.tool).toBe("write_file");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: approval.approvalId,
      decision: "once",
    });
    const end = await ended(session, started.turnId);
    expect(end.status).toBe("completed");
    expect(readFileSync(join(workspaceRoot(backend()), "plan/hello.txt"), "utf8")).toBe("hi\n");
    const after = modelRequests(backend(), from);
    expect(after).toHaveLength(4);
    const approvedText = toolResults(after[2]).find((r) => r.id === "call_plan")?.content ?? "";
    expect(approvedText).toContain("approved the plan after editing its steps");
    expect(approvedText).toContain("1. Write hello.txt with hi");
    expect(systemText(after[2])).not.toContain("PLAN MODE");
    expect(started.turnId).toBe(end.turnId);
    const tools = partsOf(await storedMessages(backend(), session.sessionId), "tool");
    expect(tools.map((t) => [t.tool, t.status])).toEqual([
      ["write_file", "denied"],
      ["submit_plan", "completed"],
      ["write_file", "completed"],
    ]);
    late.close();
    session.socket.close();
  });

  test("rejecting the plan ends the turn; the model gets no further request", async () => {
    const session = await openSession(backend());
    const from = backend().fake.requests.length;
    backend().fake.enqueue({
      toolCalls: [
        { id: "call_p", name: "submit_plan", arguments: { summary: "Delete the logs.", steps: ["rm logs"] } },
      ],
    });
    const started = await submitPlanMode(session, "Plan a cleanup");
    const asked = await session.socket.waitFor("question.asked", (e) => e.purpose === "plan");
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: asked.questionId,
      answers: { decision: "reject", reason: "Keep the logs" },
    });
    const end = await ended(session, started.turnId);
    expect(end).toMatchObject({ status: "completed", reason: PLAN_REJECTED });
    expect(modelRequests(backend(), from)).toHaveLength(1);
    const [plan] = partsOf(await storedMessages(backend(), session.sessionId), "tool");
    expect(plan?.output?.text).toContain("rejected the plan: Keep the logs");
    expect(session.socket.ofType("todo.updated")).toHaveLength(0);
    session.socket.close();
  });

  test("the plan option is kept with the user message: edit and regenerate plan again; edit may turn it off", async () => {
    const session = await openSession(backend());
    const planOnce = (id: string) => ({
      toolCalls: [{ id, name: "submit_plan", arguments: { summary: `Plan ${id}`, steps: ["a"] } }],
    });
    const rejectPlan = async (turnId: string, callId: string) => {
      const asked = await session.socket.waitFor(
        "question.asked",
        (e) => e.purpose === "plan" && e.questions[0]?.prompt === `Plan ${callId}`,
      );
      session.socket.send({
        type: "answer",
        sessionId: session.sessionId,
        questionId: asked.questionId,
        answers: { decision: "reject", reason: "not now" },
      });
      return ended(session, turnId);
    };
    backend().fake.enqueue(planOnce("call_p1"));
    const first = await submitPlanMode(session, "Plan the cleanup");
    await rejectPlan(first.turnId, "call_p1");
    const [sent] = await storedMessages(backend(), session.sessionId);
    expect(sent?.info).toMatchObject({ role: "user", plan: true });

    // Regenerate: the same message, answered in plan mode again.
    let from = backend().fake.requests.length;
    backend().fake.enqueue(planOnce("call_p2"));
    const regenId = crypto.randomUUID();
    const regen = await backend().api(`/api/sessions/${session.sessionId}/regenerate`, {
      json: { messageId: sent?.info.id, clientTurnId: regenId },
    });
    expect(regen.status).toBe(200);
    const regenerated = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === regenId);
    await rejectPlan(regenerated.turnId, "call_p2");
    expect(systemText(modelRequests(backend(), from)[0])).toContain("PLAN MODE is on");
    expect(toolNames(modelRequests(backend(), from)[0])).toContain("submit_plan");

    // Edit: the new version is a plan-mode message too (stored and live).
    from = backend().fake.requests.length;
    backend().fake.enqueue(planOnce("call_p3"));
    const editId = crypto.randomUUID();
    const edit = await backend().api(`/api/sessions/${session.sessionId}/edit`, {
      json: { messageId: sent?.info.id, text: "Plan the cleanup of /tmp", clientTurnId: editId },
    });
    expect(edit.status).toBe(200);
    const edited = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === editId);
    const created = await session.socket.waitFor(
      "message.created",
      (e) => e.message.role === "user" && e.message.turnId === edited.turnId,
    );
    expect(created.message.plan).toBe(true);
    await rejectPlan(edited.turnId, "call_p3");
    expect(systemText(modelRequests(backend(), from)[0])).toContain("PLAN MODE is on");
    const [version] = await storedMessages(backend(), session.sessionId);
    expect(version?.info).toMatchObject({ plan: true, versions: { index: 2, count: 2 } });
    expect(version?.info.id).not.toBe(sent?.info.id);

    // An edit that turns plan mode off runs normally and stores no plan flag.
    from = backend().fake.requests.length;
    backend().fake.enqueue({ text: "Cleaned." });
    const offId = crypto.randomUUID();
    await backend().api(`/api/sessions/${session.sessionId}/edit`, {
      json: { messageId: sent?.info.id, text: "Just clean it", clientTurnId: offId, plan: false },
    });
    const off = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === offId);
    expect((await ended(session, off.turnId)).status).toBe("completed");
    expect(systemText(modelRequests(backend(), from)[0])).not.toContain("PLAN MODE");
    const [plain] = await storedMessages(backend(), session.sessionId);
    expect(plain?.info.plan).toBeUndefined();
    session.socket.close();
  });

  test("without plan mode, submit_plan is not offered and writes ask as usual", async () => {
    const session = await openSession(backend());
    const from = backend().fake.requests.length;
    backend().fake.enqueue({ text: "Hello." });
    const clientTurnId = crypto.randomUUID();
    session.socket.send({ type: "submit", sessionId: session.sessionId, clientTurnId, text: "Hi" });
    const started = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId);
    await ended(session, started.turnId);
    const [request] = modelRequests(backend(), from);
    expect(toolNames(request)).not.toContain("submit_plan");
    expect(toolNames(request)).toContain("write_file");
    expect(systemText(request)).not.toContain("PLAN MODE");
    session.socket.close();
  });
});
