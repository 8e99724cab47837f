/**
 * What "for this session" / "always" covers, through the real /ws endpoint: each approval request lists
 * its scopes (this file, this folder, all writes; this exact command, commands starting with this
 * program), the answer names one, and later calls ask again exactly when they fall outside it. Also:
 * a scope the request did not offer is refused, and remembered approvals stay with one agent.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Agent } from "../../src/shared/agent.ts";
import type { EventOf } from "../../src/shared/events.ts";
import { useBackend } from "../support/backend.ts";
import { ended, openSession, type Subscribed, submit, workspaceRoot } from "../support/session-steps.ts";

const app = useBackend();

type Call = { id: string; name: string; arguments: Record<string, unknown> };
const write = (id: string, path: string): Call => ({
  id,
  name: "write_file",
  arguments: { path, content: `${id}\n` },
});
const shell = (id: string, command: string): Call => ({ id, name: "shell", arguments: { command } });

function decisionOf(callId: string): string | undefined {
  const row = app()
    .running.backend.context.db.query("SELECT decision FROM tool_runs WHERE call_id = ?")
    .get(callId) as { decision: string } | null;
  return row?.decision;
}

/**
 * Run one turn of `calls` (one model step each). The first approval request is answered with
 * `decision` and `scope`; every later request is recorded and answered "once". Returns the requests.
 */
async function turn(
  session: Subscribed,
  calls: Call[],
  first: { decision: "once" | "session" | "always"; scope?: (request: Request) => string | undefined },
): Promise<Request[]> {
  const before = session.socket.ofType("approval.requested").length;
  app().fake.enqueue(...calls.map((call) => ({ toolCalls: [call] })), { text: "Done." });
  const started = await submit(session, "Go");
  const requests: Request[] = [];
  const answered = new Set<string>();
  const done = ended(session, started.turnId, 30_000);
  for (;;) {
    const next = await Promise.race([
      done.then(() => undefined),
      session.socket.waitFor(
        "approval.requested",
        (event) =>
          !answered.has(event.approvalId) &&
          session.socket.ofType("approval.requested").indexOf(event) >= before,
        30_000,
      ),
    ]);
    if (!next) break;
    answered.add(next.approvalId);
    requests.push(next);
    const isFirst = requests.length === 1;
    const scope = isFirst ? first.scope?.(next) : undefined;
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: next.approvalId,
      decision: isFirst ? first.decision : "once",
      ...(scope !== undefined ? { scope } : {}),
    });
  }
  expect((await done).status).toBe("completed");
  return requests;
}
type Request = EventOf<"approval.requested">;

const scopeOf = (kind: string) => (request: Request) =>
  request.scopes?.find((scope) => scope.kind === kind)?.pattern;

function clearRemembered(): void {
  app().running.backend.context.db.query("DELETE FROM approvals").run();
}

describe("file tools: this file, this folder, all writes", () => {
  test("the request lists the three scopes with the workspace-relative file and folder", async () => {
    const session = await openSession(app());
    const [request] = await turn(session, [write("call_list", "notes/today/plan.md")], { decision: "once" });
    const root = workspaceRoot(app());
    expect(request?.scopes).toEqual([
      { pattern: `file:${join(root, "notes/today/plan.md")}`, kind: "file", target: "notes/today/plan.md" },
      { pattern: `folder:${join(root, "notes/today")}`, kind: "folder", target: "notes/today/" },
      { pattern: "*", kind: "tool", target: "write_file" },
    ]);
    session.socket.close();
  });

  test("'always' for this file: the same file again does not ask, another file in the folder asks", async () => {
    clearRemembered();
    const session = await openSession(app());
    const requests = await turn(
      session,
      [write("call_f1", "docs/a.md"), write("call_f2", "docs/a.md"), write("call_f3", "docs/b.md")],
      { decision: "always", scope: scopeOf("file") },
    );
    expect(requests.map((request) => request.title)).toEqual(["Create docs/a.md", "Create docs/b.md"]);
    expect(decisionOf("call_f1")).toBe("approved-always");
    expect(decisionOf("call_f2")).toBe("allowed");
    expect(decisionOf("call_f3")).toBe("approved-once");
    const listed = await app().api<{ approvals: { tool: string; pattern: string }[] }>("/api/approvals");
    expect(listed.body.approvals).toEqual([
      expect.objectContaining({
        tool: "write_file",
        pattern: `file:${join(workspaceRoot(app()), "docs/a.md")}`,
      }),
    ]);
    session.socket.close();
  });

  test("'this session' for this folder: deeper in the folder does not ask, outside it asks", async () => {
    clearRemembered();
    const session = await openSession(app());
    const requests = await turn(
      session,
      [
        write("call_d1", "src/lib/one.ts"),
        write("call_d2", "src/lib/deeper/two.ts"),
        write("call_d3", "src/other.ts"),
        write("call_d4", "src/libx/three.ts"),
      ],
      { decision: "session", scope: scopeOf("folder") },
    );
    expect(requests.map((request) => request.title)).toEqual([
      "Create src/lib/one.ts",
      "Create src/other.ts",
      "Create src/libx/three.ts",
    ]);
    expect(decisionOf("call_d2")).toBe("allowed");
    expect(readFileSync(join(workspaceRoot(app()), "src/lib/deeper/two.ts"), "utf8")).toBe("call_d2\n");
    // Nothing was stored: a session answer lives with the session.
    const listed = await app().api<{ approvals: unknown[] }>("/api/approvals");
    expect(listed.body.approvals).toEqual([]);
    session.socket.close();
  });

  test("'always' for all writes: any file anywhere in the workspace, in a later session too", async () => {
    clearRemembered();
    const session = await openSession(app());
    const requests = await turn(session, [write("call_a1", "x/one.txt"), write("call_a2", "y/z/two.txt")], {
      decision: "always",
      scope: scopeOf("tool"),
    });
    expect(requests).toHaveLength(1);
    expect(decisionOf("call_a2")).toBe("allowed");
    const later = await openSession(app());
    expect(await turn(later, [write("call_a3", "three.txt")], { decision: "once" })).toHaveLength(0);
    for (const s of [session, later]) s.socket.close();
    clearRemembered();
  });

  test("no scope named: the narrowest (this file) is remembered", async () => {
    clearRemembered();
    const session = await openSession(app());
    const requests = await turn(session, [write("call_n1", "n/one.txt"), write("call_n2", "n/two.txt")], {
      decision: "always",
    });
    expect(requests).toHaveLength(2);
    const rows = app().running.backend.context.db.query("SELECT pattern FROM approvals").all();
    expect(rows).toEqual([{ pattern: `file:${join(workspaceRoot(app()), "n/one.txt")}` }]);
    session.socket.close();
    clearRemembered();
  });
});

describe("shell: this exact command, commands starting with this program", () => {
  test("a simple command offers its program; a compound one only the exact command", async () => {
    const session = await openSession(app());
    const requests = await turn(session, [shell("call_p0", "echo hello"), shell("call_p00", "echo hi; id")], {
      decision: "once",
    });
    expect(requests.map((request) => request.scopes)).toEqual([
      [
        { pattern: "command:echo hello", kind: "command", target: "echo hello" },
        { pattern: "program:echo", kind: "program", target: "echo" },
      ],
      [{ pattern: "command:echo hi; id", kind: "command", target: "echo hi; id" }],
    ]);
    session.socket.close();
  });

  test("'always' for commands starting with echo: other echo commands run, a chained one asks", async () => {
    clearRemembered();
    const session = await openSession(app());
    const requests = await turn(
      session,
      [
        shell("call_p1", "echo first"),
        shell("call_p2", "echo second one"),
        shell("call_p3", "echo third && id"),
        shell("call_p4", "printf x"),
      ],
      { decision: "always", scope: scopeOf("program") },
    );
    expect(requests.map((request) => request.detail)).toEqual(["echo first", "echo third && id", "printf x"]);
    expect(decisionOf("call_p2")).toBe("allowed");
    session.socket.close();
    clearRemembered();
  });

  test("a shell interpreter is not offered as a program scope", async () => {
    const session = await openSession(app());
    const [request] = await turn(session, [shell("call_bash", "bash -c 'echo hi'")], { decision: "once" });
    expect(request?.scopes?.map((scope) => scope.kind)).toEqual(["command"]);
    session.socket.close();
  });
});

describe("answers", () => {
  test("a scope the request did not offer is refused and the request stays open", async () => {
    const session = await openSession(app());
    app().fake.enqueue({ toolCalls: [write("call_bad", "bad/one.txt")] }, { text: "Done." });
    const started = await submit(session, "Go");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "always",
      scope: "folder:/",
    });
    const error = await session.socket.waitFor("error");
    expect(error.message).toContain("does not offer the scope");
    expect(session.socket.transcript(session.sessionId).approvals[request.approvalId]).toBeDefined();
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "deny",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(app().running.backend.context.db.query("SELECT 1 FROM approvals").all()).toEqual([]);
    session.socket.close();
  });
});

describe("remembered approvals stay with one agent", () => {
  test("'always' by one agent: the same call by a second agent asks again", async () => {
    clearRemembered();
    const first = await openSession(app());
    await turn(first, [shell("call_agent1", "echo shared")], {
      decision: "always",
      scope: scopeOf("command"),
    });
    expect(await turn(first, [shell("call_agent1b", "echo shared")], { decision: "once" })).toHaveLength(0);

    const created = await app().api<Agent>("/api/agents", { json: { name: "Second agent" } });
    expect(created.status).toBe(200);
    const { body } = await app().api<{ id: string }>("/api/sessions", {
      json: { agentId: created.body.id, title: "Second" },
    });
    const socket = (await openSession(app())).socket;
    socket.send({ type: "subscribe", sessionId: body.id, afterSeq: 0 });
    await socket.waitFor("subscribed", (event) => event.sessionId === body.id);
    const second: Subscribed = { sessionId: body.id, socket };
    const requests = await turn(second, [shell("call_agent2", "echo shared")], { decision: "once" });
    expect(requests.map((request) => request.detail)).toEqual(["echo shared"]);
    expect(decisionOf("call_agent2")).toBe("approved-once");
    for (const s of [first, second]) s.socket.close();
    clearRemembered();
  });
});
