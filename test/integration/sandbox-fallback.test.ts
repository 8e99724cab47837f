/**
 * Without bubblewrap, every shell command asks — whatever the agent's rules or remembered approvals
 * say — because it would run as the user, unisolated. A real Sage whose sandbox probe looks for bwrap
 * at a path that does not exist (as on a machine without the package), a real turn from the fake
 * model, the agent set to "allow" shell and an "always" approval remembered for the exact command:
 * the command still waits for the user. The same setup with bubblewrap runs it without asking, so the
 * test tells the two paths apart.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { startBackend, type TestBackend } from "../support/backend.ts";
import { configureAgent, ended, openSession, submit } from "../support/session-steps.ts";

const apps: TestBackend[] = [];
afterAll(async () => {
  for (const app of apps) await app.stop();
});

async function allowShellEverywhere(app: TestBackend, command: string): Promise<void> {
  configureAgent(app, { approvals: { shell: "allow" } });
  const { db, user, agents } = app.running.backend.context;
  db.query(
    "INSERT INTO approvals (id, user_id, agent_id, tool, pattern, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ).run("apv_test_fallback", user.id, agents.defaultAgent().id, "shell", `command:${command}`, Date.now());
}

describe("the shell without bubblewrap", () => {
  test("the probe, pointed at a missing bwrap, reports no sandbox and says why", async () => {
    const app = await startBackend({ bwrapCandidates: ["/nonexistent/sage-test/bwrap"] });
    apps.push(app);
    const { status, body } = await app.api<{ mode: string; reason: string }>("/api/sandbox/status");
    expect(status).toBe(200);
    expect(body.mode).toBe("none");
    expect(body.reason).toMatch(/not installed/);
  });

  test("asks before the command although the agent allows shell and 'always' was remembered", async () => {
    const app = apps[0] as TestBackend;
    const command = "echo unsandboxed-run";
    await allowShellEverywhere(app, command);
    const session = await openSession(app);
    app.fake.enqueue(
      { toolCalls: [{ id: "call_nobwrap", name: "shell", arguments: { command } }] },
      { text: "Done." },
    );
    const started = await submit(session, "Run it");
    const request = await session.socket.waitFor("approval.requested");
    expect(request.tool).toBe("shell");
    expect(request.detail).toBe(command);
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(JSON.stringify(session.socket.ofType("tool.ended"))).toContain("unsandboxed-run");
  });

  test("with bubblewrap, the same rules run the command without asking", async () => {
    const app = await startBackend();
    apps.push(app);
    expect((await app.running.backend.context.sandbox()).mode).toBe("bubblewrap");
    const command = "echo sandboxed-run";
    await allowShellEverywhere(app, command);
    const session = await openSession(app);
    app.fake.enqueue(
      { toolCalls: [{ id: "call_bwrap", name: "shell", arguments: { command } }] },
      { text: "Done." },
    );
    const started = await submit(session, "Run it");
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("approval.requested")).toEqual([]);
  });
});
