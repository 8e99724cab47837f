/**
 * Approvals through the real /ws endpoint: write and shell tools ask first; once / session / always /
 * deny answers; agent rules; stop while waiting; every decision lands in the tool_runs audit log.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  modelRequests,
  openSession,
  partsOf,
  storedMessages,
  submit,
  toolResults,
  workspaceRoot,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

function audit(callId: string): { tool: string; decision: string; status: string } | undefined {
  return app()
    .running.backend.context.db.query("SELECT tool, decision, status FROM tool_runs WHERE call_id = ?")
    .get(callId) as { tool: string; decision: string; status: string } | undefined;
}

function writeCall(id: string, path: string, content: string) {
  return { id, name: "write_file", arguments: { path, content } };
}

describe("write tools ask", () => {
  test("approve once: the request shows the diff, the file is written, the next call asks again", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      { toolCalls: [writeCall("call_w1", "out/one.txt", "first\n")] },
      { toolCalls: [writeCall("call_w2", "out/two.txt", "second\n")] },
      { text: "Both written." },
    );
    const started = await submit(session, "Write two files");
    const request = await session.socket.waitFor("approval.requested");
    expect(request.tool).toBe("write_file");
    expect(request.title).toBe("Create out/one.txt");
    expect(request.detailKind).toBe("diff");
    expect(request.detail).toContain("+first");
    const live = session.socket.transcript(session.sessionId);
    expect(live.approvals[request.approvalId]).toBeDefined();
    expect(live.parts[request.messageId]?.find((p) => p.id === request.partId)).toMatchObject({
      status: "awaiting-approval",
    });
    expect(existsSync(join(workspaceRoot(app()), "out/one.txt"))).toBe(false);
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    const second = await session.socket.waitFor(
      "approval.requested",
      (e) => e.approvalId !== request.approvalId,
    );
    expect(second.title).toBe("Create out/two.txt");
    expect(readFileSync(join(workspaceRoot(app()), "out/one.txt"), "utf8")).toBe("first\n");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: second.approvalId,
      decision: "once",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("approval.resolved").map((e) => e.decision)).toEqual(["once", "once"]);
    expect(session.socket.transcript(session.sessionId).approvals).toEqual({});
    expect(audit("call_w1")).toEqual({ tool: "write_file", decision: "approved-once", status: "completed" });
    expect(audit("call_w2")).toEqual({ tool: "write_file", decision: "approved-once", status: "completed" });
    session.socket.close();
  });

  test("deny with a reason: nothing is written and the model receives the reason", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [writeCall("call_deny", "out/denied.txt", "nope\n")] },
      { text: "Understood, I will not write it." },
    );
    const started = await submit(session, "Write a file");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "deny",
      reason: "Use the docs folder instead",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(existsSync(join(workspaceRoot(app()), "out/denied.txt"))).toBe(false);
    const [result] = toolResults(modelRequests(app(), from)[1]);
    expect(result?.id).toBe("call_deny");
    expect(result?.content).toContain("Use the docs folder instead");
    const [tool] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tool?.status).toBe("denied");
    expect(session.socket.ofType("tool.started")).toHaveLength(0);
    expect(audit("call_deny")).toEqual({ tool: "write_file", decision: "denied", status: "denied" });
    session.socket.close();
  });

  test("allow for this session (this folder): later calls in the session run without asking, another session asks", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      { toolCalls: [writeCall("call_s1", "out/s1.txt", "1")] },
      { toolCalls: [writeCall("call_s2", "out/s2.txt", "2")] },
      { text: "Done." },
    );
    const started = await submit(session, "Write files");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "session",
      scope: `folder:${join(workspaceRoot(app()), "out")}`,
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("approval.requested")).toHaveLength(1);
    expect(audit("call_s1")?.decision).toBe("approved-session");
    expect(audit("call_s2")).toEqual({ tool: "write_file", decision: "allowed", status: "completed" });

    const other = await openSession(app());
    app().fake.enqueue({ toolCalls: [writeCall("call_s3", "out/s3.txt", "3")] }, { text: "Done." });
    const otherTurn = await submit(other, "Write another");
    const asked = await other.socket.waitFor("approval.requested");
    other.socket.send({
      type: "approve",
      sessionId: other.sessionId,
      approvalId: asked.approvalId,
      decision: "deny",
    });
    expect((await ended(other, otherTurn.turnId)).status).toBe("completed");
    for (const s of [session, other]) s.socket.close();
  });

  test("stop while an approval waits: the tool does not run and the turn ends stopped", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ toolCalls: [writeCall("call_stop", "out/stopped.txt", "x")] });
    const started = await submit(session, "Write it");
    await session.socket.waitFor("approval.requested");
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    expect(existsSync(join(workspaceRoot(app()), "out/stopped.txt"))).toBe(false);
    const [tool] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(["denied", "error"]).toContain(tool?.status ?? "");
    expect(session.socket.transcript(session.sessionId).approvals).toEqual({});
    session.socket.close();
  });
});

describe("shell and agent rules", () => {
  test("shell: 'always' remembers the exact command for the agent; another command still asks", async () => {
    expect((await app().running.backend.context.sandbox()).mode).toBe("bubblewrap");
    const session = await openSession(app());
    const shell = (id: string, command: string) => ({ id, name: "shell", arguments: { command } });
    app().fake.enqueue(
      { toolCalls: [shell("call_sh1", "echo remembered")] },
      { toolCalls: [shell("call_sh2", "echo remembered")] },
      { toolCalls: [shell("call_sh3", "echo different")] },
      { text: "All ran." },
    );
    const started = await submit(session, "Run commands");
    const first = await session.socket.waitFor("approval.requested");
    expect(first.detailKind).toBe("command");
    expect(first.detail).toContain("echo remembered");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: first.approvalId,
      decision: "always",
    });
    const third = await session.socket.waitFor(
      "approval.requested",
      (e) => e.approvalId !== first.approvalId,
    );
    expect(third.detail).toContain("echo different");
    // The second, identical call ran without asking.
    expect(audit("call_sh2")).toEqual({ tool: "shell", decision: "allowed", status: "completed" });
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: third.approvalId,
      decision: "once",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools.map((t) => t.output?.text.split("\n")[0])).toEqual([
      "remembered",
      "remembered",
      "different",
    ]);
    expect(audit("call_sh1")?.decision).toBe("approved-always");
    expect(audit("call_sh3")?.decision).toBe("approved-once");
    const remembered = app()
      .running.backend.context.db.query("SELECT tool, pattern FROM approvals WHERE tool = 'shell'")
      .all();
    expect(remembered).toEqual([{ tool: "shell", pattern: "command:echo remembered" }]);

    // "Always" outlives the session: a new session runs the command without asking.
    const later = await openSession(app());
    app().fake.enqueue({ toolCalls: [shell("call_sh4", "echo remembered")] }, { text: "Ran." });
    const laterTurn = await submit(later, "Again");
    expect((await ended(later, laterTurn.turnId)).status).toBe("completed");
    expect(later.socket.ofType("approval.requested")).toHaveLength(0);
    for (const s of [session, later]) s.socket.close();
  });

  test("an agent rule 'deny' refuses without asking; 'allow' runs without asking", async () => {
    configureAgent(app(), { approvals: { write_file: "deny" } });
    try {
      const session = await openSession(app());
      const from = app().fake.requests.length;
      app().fake.enqueue({ toolCalls: [writeCall("call_policy", "out/policy.txt", "x")] }, { text: "OK." });
      const started = await submit(session, "Write");
      expect((await ended(session, started.turnId)).status).toBe("completed");
      expect(session.socket.ofType("approval.requested")).toHaveLength(0);
      expect(toolResults(modelRequests(app(), from)[1])[0]?.content).toContain("does not allow write_file");
      expect(audit("call_policy")).toEqual({
        tool: "write_file",
        decision: "policy-denied",
        status: "denied",
      });

      configureAgent(app(), { approvals: { write_file: "allow" } });
      app().fake.enqueue(
        { toolCalls: [writeCall("call_allowed", "out/allowed.txt", "yes")] },
        { text: "OK." },
      );
      const allowed = await submit(session, "Write again");
      expect((await ended(session, allowed.turnId)).status).toBe("completed");
      expect(session.socket.ofType("approval.requested")).toHaveLength(0);
      expect(readFileSync(join(workspaceRoot(app()), "out/allowed.txt"), "utf8")).toBe("yes");
      expect(audit("call_allowed")).toEqual({ tool: "write_file", decision: "allowed", status: "completed" });
      session.socket.close();
    } finally {
      configureAgent(app(), { approvals: {} });
    }
  });

  test("a window reloaded while an approval waits shows it again and can answer it", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      { toolCalls: [writeCall("call_reload", "out/reload.txt", "r")] },
      { text: "Written." },
    );
    const started = await submit(session, "Write after reload");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.close();
    const reloaded = await TestSocket.connect(app());
    reloaded.send({ type: "subscribe", sessionId: session.sessionId, afterSeq: 0 });
    await reloaded.waitFor("subscribed");
    const state = reloaded.transcript(session.sessionId);
    expect(Object.keys(state.approvals)).toEqual([request.approvalId]);
    expect(state.status).toBe("waiting");
    reloaded.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    const end = await reloaded.waitFor("turn.ended", (e) => e.turnId === started.turnId);
    expect(end.status).toBe("completed");
    expect(readFileSync(join(workspaceRoot(app()), "out/reload.txt"), "utf8")).toBe("r");
    reloaded.close();
  });

  test("stop while an approved shell command runs ends it and the turn promptly", async () => {
    configureAgent(app(), { approvals: { shell: "allow" } });
    try {
      const session = await openSession(app());
      app().fake.enqueue({
        toolCalls: [
          { id: "call_sleep", name: "shell", arguments: { command: "echo partial-output; sleep 30" } },
        ],
      });
      const started = await submit(session, "Wait a long time");
      await session.socket.waitFor("tool.progress");
      const stoppedAt = Date.now();
      session.socket.send({ type: "stop", sessionId: session.sessionId });
      expect((await ended(session, started.turnId)).status).toBe("stopped");
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
      // The call is recorded as stopped, not completed, and keeps the shell's own account (with any
      // output so far); the command did not run on.
      const [tool] = partsOf(await storedMessages(app(), session.sessionId), "tool");
      expect(tool?.status).toBe("error");
      expect(tool?.error).toBe("Stopped by the user.");
      expect(tool?.output?.text).toContain("stopped by the user");
      expect(tool?.output?.details?.stopped).toBe(true);

      // The next turn tells the model what the stopped call printed, and that it was stopped.
      const from = app().fake.requests.length;
      app().fake.enqueue({ text: "Understood." });
      const next = await submit(session, "What happened?");
      expect((await ended(session, next.turnId)).status).toBe("completed");
      const [result] = toolResults(modelRequests(app(), from)[0]);
      expect(result?.id).toBe("call_sleep");
      expect(result?.content).toContain("partial-output");
      expect(result?.content).toContain("Stopped by the user.");
      session.socket.close();
    } finally {
      configureAgent(app(), { approvals: {} });
    }
  });
});
