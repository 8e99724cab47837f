/**
 * The tools API over real HTTP: the catalogue, the "try it" runner (accepted and rejected input,
 * unknown tools and agents, tools that need a session, agent rules, audit entries), the sandbox status,
 * remembered approvals (listed and revoked) and the audit log's paging and filters.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type {
  AuditPage,
  RememberedApproval,
  SandboxStatusInfo,
  ToolInfo,
  ToolRunResult,
} from "../../src/shared/tools-api.ts";
import { useBackend } from "../support/backend.ts";
import { configureAgent, ended, openSession, submit, workspaceRoot } from "../support/session-steps.ts";

type ErrorBody = { error: { code: string; message: string } };

const app = useBackend();
beforeAll(async () => {
  const root = workspaceRoot(app());
  mkdirSync(join(root, "docs"), { recursive: true });
  writeFileSync(join(root, "docs", "readme.md"), "# Hello\n");
  writeFileSync(join(root, "top.txt"), "top\n");
});

function run(name: string, body: unknown) {
  return app().api<ToolRunResult & ErrorBody>(`/api/tools/${name}/run`, { json: body });
}

describe("GET /api/tools", () => {
  test("lists every built-in tool with kind, default rule and a JSON schema", async () => {
    const { status, body } = await app().api<{ tools: ToolInfo[] }>("/api/tools");
    expect(status).toBe(200);
    const byName = new Map(body.tools.map((tool) => [tool.name, tool]));
    for (const name of [
      "read_file",
      "list_dir",
      "shell",
      "web_fetch",
      "browser_navigate",
      "browser_snapshot",
      "browser_click",
      "browser_type",
      "browser_press_key",
      "browser_scroll",
      "browser_screenshot",
      "browser_tabs",
      "browser_evaluate",
      "todo",
      "ask_user",
      "load_skill",
    ]) {
      expect(byName.has(name)).toBe(true);
    }
    expect(new Set(byName.keys()).size).toBe(body.tools.length);
    expect(byName.get("list_dir")).toMatchObject({ kind: "read", defaultRule: "allow", source: "builtin" });
    expect(byName.get("write_file")).toMatchObject({ kind: "write", defaultRule: "ask", alwaysAsks: false });
    expect(byName.get("web_fetch")).toMatchObject({ kind: "network", defaultRule: "ask" });
    expect(byName.get("browser_snapshot")).toMatchObject({ kind: "browser", defaultRule: "allow" });
    expect(byName.get("browser_evaluate")).toMatchObject({ defaultRule: "ask", alwaysAsks: true });
    expect(byName.get("todo")?.needsSession).toContain("chat session");
    expect(byName.get("list_dir")?.needsSession).toBeUndefined();
    // Plain JSON Schema: an object with properties, no TypeBox internals.
    const schema = byName.get("web_fetch")?.parameters;
    expect(schema?.type).toBe("object");
    expect(schema?.properties?.url?.type).toBe("string");
    expect(schema?.required).toEqual(["url"]);
  });

  test("GET /api/tools/:name gives one tool; an unknown name is a clear 404", async () => {
    const one = await app().api<ToolInfo>("/api/tools/grep");
    expect(one.status).toBe(200);
    expect(one.body.name).toBe("grep");
    const missing = await app().api<ErrorBody>("/api/tools/no_such_tool");
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("no_such_tool");
  });
});

describe("POST /api/tools/:name/run", () => {
  test("runs list_dir in the default agent's workspace and audits it as manual", async () => {
    const { status, body } = await run("list_dir", { input: { path: "." } });
    expect(status).toBe(200);
    expect(body.status).toBe("completed");
    expect(body.text).toContain("docs/");
    expect(body.text).toContain("top.txt");
    expect(body.agentId).toBe(app().running.backend.context.agents.defaultAgent().id);
    expect(body.images).toEqual([]);
    const row = app()
      .running.backend.context.db.query(
        "SELECT tool, decision, status, session_id FROM tool_runs WHERE id = ?",
      )
      .get(body.auditId);
    expect(row).toEqual({ tool: "list_dir", decision: "manual", status: "completed", session_id: "" });
  });

  test("a write tool that would ask runs (the click is the approval) and is audited as manual", async () => {
    const { body } = await run("write_file", { input: { path: "made/by-hand.txt", content: "by hand\n" } });
    expect(body.status).toBe("completed");
    expect(await Bun.file(join(workspaceRoot(app()), "made/by-hand.txt")).text()).toBe("by hand\n");
    const page = await app().api<AuditPage>("/api/audit?tool=write_file&limit=1");
    expect(page.body.entries[0]).toMatchObject({ id: body.auditId, decision: "manual", status: "completed" });
  });

  test("arguments the schema rejects: 400 naming the problem, nothing runs, an error is audited", async () => {
    const before = app().running.backend.context.db.query("SELECT COUNT(*) AS n FROM tool_runs").get() as {
      n: number;
    };
    const wrongType = await run("write_file", { input: { path: 42, content: "x" } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe("invalid");
    expect(wrongType.body.error.message).toContain("Invalid arguments for write_file");
    expect(wrongType.body.error.message).toContain("/path");
    const missing = await run("read_file", { input: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("path");
    const after = app().running.backend.context.db.query("SELECT COUNT(*) AS n FROM tool_runs").get() as {
      n: number;
    };
    expect(after.n).toBe(before.n + 2);
    // No body at all is refused by the route's own schema.
    const response = await fetch(`${app().url}/api/tools/list_dir/run`, {
      method: "POST",
      headers: { authorization: `Bearer ${app().token}`, "content-type": "application/json" },
      body: "not json",
    });
    expect(response.status).toBe(400);
  });

  test("a failing tool is a result with the tool's message, not an HTTP error", async () => {
    const { status, body } = await run("read_file", { input: { path: "nope/missing.txt" } });
    expect(status).toBe(200);
    expect(body.status).toBe("error");
    expect(body.error).toContain("missing.txt");
  });

  test("tools that need a session say so", async () => {
    const todo = await run("todo", { input: { todos: [{ text: "a step", status: "pending" }] } });
    expect(todo.body.status).toBe("error");
    expect(todo.body.error).toContain("no session");
    const ask = await run("ask_user", {
      input: { questions: [{ id: "q", prompt: "Colour?", kind: "text" }] },
    });
    expect(ask.body.status).toBe("error");
    expect(ask.body.error).toContain("chat session");
  });

  test("unknown tool and unknown agent are 404s", async () => {
    expect((await run("nope_tool", { input: {} })).status).toBe(404);
    const agent = await run("list_dir", { agentId: "agt_missing", input: {} });
    expect(agent.status).toBe(404);
    expect(agent.body.error.message).toContain("agt_missing");
  });

  test("an agent rule 'deny' is honoured: nothing runs", async () => {
    configureAgent(app(), { approvals: { write_file: "deny" } });
    try {
      const { status, body } = await run("write_file", { input: { path: "denied.txt", content: "no" } });
      expect(status).toBe(200);
      expect(body.status).toBe("denied");
      expect(body.error).toContain("deny");
      expect(await Bun.file(join(workspaceRoot(app()), "denied.txt")).exists()).toBe(false);
      const page = await app().api<AuditPage>("/api/audit?tool=write_file&limit=1");
      expect(page.body.entries[0]).toMatchObject({ decision: "policy-denied", status: "denied" });
    } finally {
      configureAgent(app(), { approvals: {} });
    }
  });
});

describe("sandbox status and remembered approvals", () => {
  test("GET /api/sandbox/status gives the mode and a reason", async () => {
    const { status, body } = await app().api<SandboxStatusInfo>("/api/sandbox/status");
    expect(status).toBe(200);
    expect(["bubblewrap", "none"]).toContain(body.mode);
    expect(body.reason.length).toBeGreaterThan(3);
    expect(body).toEqual(await app().running.backend.context.sandbox());
  });

  test("an 'always' answer is listed and can be revoked; the next call asks again", async () => {
    const session = await openSession(app());
    const write = (id: string, path: string) => ({
      toolCalls: [{ id, name: "write_file", arguments: { path, content: `${id}\n` } }],
    });
    app().fake.enqueue(write("call_always_1", "always/one.txt"), { text: "Done." });
    const first = await submit(session, "Write one");
    const request = await session.socket.waitFor("approval.requested");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "always",
      scope: "*",
    });
    expect((await ended(session, first.turnId)).status).toBe("completed");

    const listed = await app().api<{ approvals: RememberedApproval[] }>("/api/approvals");
    const approval = listed.body.approvals.find((entry) => entry.tool === "write_file");
    expect(approval).toMatchObject({ pattern: "*", agentName: "Sage" });

    // Covered now: no prompt.
    app().fake.enqueue(write("call_always_2", "always/two.txt"), { text: "Done." });
    const second = await submit(session, "Write two");
    expect((await ended(session, second.turnId)).status).toBe("completed");
    expect(session.socket.ofType("approval.requested")).toHaveLength(1);

    const revoked = await app().api<{ revoked: boolean }>(`/api/approvals/${approval?.id}`, {
      method: "DELETE",
    });
    expect({ status: revoked.status, body: revoked.body }).toEqual({ status: 200, body: { revoked: true } });
    const again = await app().api<{ approvals: RememberedApproval[] }>("/api/approvals");
    expect(again.body.approvals.some((entry) => entry.id === approval?.id)).toBe(false);
    const twice = await app().api<ErrorBody>(`/api/approvals/${approval?.id}`, { method: "DELETE" });
    expect(twice.status).toBe(404);

    // Revoked: the next write asks again (answered with a denial to end the turn quickly).
    app().fake.enqueue(write("call_always_3", "always/three.txt"), { text: "Fine." });
    const third = await submit(session, "Write three");
    const asked = await session.socket.waitFor(
      "approval.requested",
      (event) => event.approvalId !== request.approvalId,
    );
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: asked.approvalId,
      decision: "deny",
    });
    expect((await ended(session, third.turnId)).status).toBe("completed");
    session.socket.close();
  });
});

describe("GET /api/audit", () => {
  test("pages newest first without gaps or repeats, and filters by tool and session", async () => {
    const audit = app().running.backend.context.audit;
    // Twelve rows, several sharing a start time, so the cursor's tie-break matters.
    for (let index = 0; index < 12; index++) {
      audit.record({
        sessionId: index % 2 === 0 ? "ses_even" : "ses_odd",
        agentId: "agt_test",
        turnId: null,
        callId: `call_page_${index}`,
        tool: "paging_probe",
        input: { index },
        decision: "allowed",
        status: "completed",
        summary: `row ${index}`,
        startedAt: 1_000_000 + Math.floor(index / 3),
        endedAt: 1_000_000 + Math.floor(index / 3),
      });
    }
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const query = `/api/audit?tool=paging_probe&limit=5${before ? `&before=${encodeURIComponent(before)}` : ""}`;
      const { status, body } = await app().api<AuditPage>(query);
      expect(status).toBe(200);
      for (let index = 1; index < body.entries.length; index++) {
        expect(body.entries[index - 1]!.startedAt).toBeGreaterThanOrEqual(body.entries[index]!.startedAt);
      }
      seen.push(...body.entries.map((entry) => entry.callId));
      before = body.nextBefore;
      pages++;
    } while (before && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen[0]).toMatch(/call_page_(9|10|11)/);

    const even = await app().api<AuditPage>("/api/audit?tool=paging_probe&sessionId=ses_even&limit=100");
    expect(even.body.entries).toHaveLength(6);
    expect(even.body.entries.every((entry) => entry.sessionId === "ses_even")).toBe(true);
    expect(even.body.nextBefore).toBeUndefined();
    expect(JSON.parse(even.body.entries[0]!.input)).toEqual({ index: 10 });

    const byTime = await app().api<AuditPage>("/api/audit?tool=paging_probe&before=1000002&limit=100");
    expect(byTime.body.entries.map((entry) => entry.startedAt).every((time) => time < 1_000_002)).toBe(true);
    expect(byTime.body.entries).toHaveLength(6);
  });

  test("bad paging input is a clear 400", async () => {
    const cursor = await app().api<ErrorBody>("/api/audit?before=yesterday");
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toContain("before");
    const limit = await app().api<ErrorBody>("/api/audit?limit=0");
    expect(limit.status).toBe(400);
  });
});
