/**
 * Guidance injected into a running turn through the real /ws endpoint: delivered at the next step as
 * a visible guidance message that the model receives, whether sent as an `inject` frame or as a submit
 * with `whileRunning: "inject"`, and also when it arrives during the model's final answer.
 */
import { describe, expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import {
  conversationText,
  ended,
  eventually,
  modelRequests,
  openSession,
  storedMessages,
  submit,
  textOf,
  toolResults,
} from "../support/session-steps.ts";

const app = useBackend();

const GUIDANCE_PREFIX = "[Guidance from the user, sent while you were working]";

describe("guidance", () => {
  test("an inject frame during a tool step reaches the next model request and the transcript", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        text: ["Looking ", "around ", "first."],
        toolCalls: [{ id: "call_look", name: "list_dir", arguments: { path: "." } }],
        tokenDelayMs: 30,
      },
      { text: "Switching to the tests folder." },
    );
    const started = await submit(session, "Tidy the project");
    await session.socket.waitFor("message.part.delta");
    session.socket.send({
      type: "inject",
      sessionId: session.sessionId,
      text: "Only touch the tests folder",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("error")).toEqual([]);

    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(2);
    expect(conversationText(requests[0])).not.toContain("Only touch the tests folder");
    const second = requests[1]?.body?.messages ?? [];
    const last = second.at(-1);
    expect(last?.role).toBe("user");
    expect(JSON.stringify(last?.content)).toContain(`${GUIDANCE_PREFIX}\\nOnly touch the tests folder`);
    // The guidance comes after the tool result, so the call and its result stay together.
    expect(toolResults(requests[1]).map((r) => r.id)).toEqual(["call_look"]);

    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => [m.info.role, m.info.kind])).toEqual([
      ["user", "normal"],
      ["assistant", "normal"],
      ["user", "guidance"],
      ["assistant", "normal"],
    ]);
    expect(textOf(messages[2])).toBe("Only touch the tests folder");
    const live = session.socket.transcript(session.sessionId);
    expect(live.order).toEqual(messages.map((m) => m.info.id));
    expect(live.messages[messages[2]?.info.id ?? ""]?.kind).toBe("guidance");
    session.socket.close();
  });

  test("a submit with whileRunning 'inject' is guidance; resending the same frame adds nothing", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ name: "list_dir", arguments: { path: "." } }], tokenDelayMs: 40 },
      { text: "Noted." },
    );
    const started = await submit(session, "Start");
    await session.socket.waitFor("message.part.updated", (e) => e.part.type === "tool");
    const frame = {
      type: "submit",
      sessionId: session.sessionId,
      clientTurnId: "inj-1",
      text: "Prefer small commits",
      options: { whileRunning: "inject" },
    };
    session.socket.send(frame);
    session.socket.send(frame);
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("turn.queued")).toHaveLength(0);
    expect(session.socket.ofType("turn.started")).toHaveLength(1);
    const requests = modelRequests(app(), from);
    const guidance = JSON.stringify(requests[1]?.body?.messages).split("Prefer small commits").length - 1;
    expect(guidance).toBe(1);
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.filter((m) => m.info.kind === "guidance").map(textOf)).toEqual(["Prefer small commits"]);
    session.socket.close();
  });

  test("guidance sent while the model writes its final answer still reaches the model", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { text: ["Here ", "is ", "my ", "final ", "answer."], tokenDelayMs: 30 },
      { text: "Updated answer, in French." },
    );
    const started = await submit(session, "Answer me");
    await session.socket.waitFor("message.part.delta");
    session.socket.send({ type: "inject", sessionId: session.sessionId, text: "Answer in French" });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("error")).toEqual([]);
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(2);
    expect(conversationText(requests[1])).toContain("Answer in French");
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.kind)).toEqual(["normal", "normal", "guidance", "normal"]);
    expect(textOf(messages.at(-1))).toBe("Updated answer, in French.");
    session.socket.close();
  });

  test("guidance during a pending approval is delivered after the call is answered", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "call_wr", name: "write_file", arguments: { path: "g.txt", content: "x" } }] },
      { text: "Skipped it as you said." },
    );
    const started = await submit(session, "Write g.txt");
    const approval = await session.socket.waitFor("approval.requested");
    session.socket.send({ type: "inject", sessionId: session.sessionId, text: "Actually, skip the file" });
    // The inject was accepted (no error) before the approval is answered.
    session.socket.send({ type: "ping", t: 3 });
    await session.socket.waitFor("pong", (e) => e.t === 3);
    expect(session.socket.ofType("error")).toEqual([]);
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: approval.approvalId,
      decision: "deny",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    const second = await eventually(() => modelRequests(app(), from)[1]);
    const messages = second.body?.messages ?? [];
    const denied = messages.findIndex((m) => m.role === "tool");
    const guidance = messages.findIndex((m) => JSON.stringify(m.content).includes("Actually, skip the file"));
    expect(denied).toBeGreaterThan(0);
    expect(guidance).toBeGreaterThan(denied);
    session.socket.close();
  });
});
