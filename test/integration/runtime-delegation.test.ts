/**
 * Sub-agents (the delegate tool) through the real /ws endpoint. The fake model scripts the parent and
 * each child separately: requests are routed by the child's name in its system prompt, so parallel
 * children take their own replies whatever order their requests arrive in.
 *
 * Shows: two parallel delegations complete and their answers reach the parent in call order; Stop
 * during delegation stops both children (no turn left running); a child's approval is asked in the
 * parent's session and answered from the parent's socket (the child works in the parent's workspace);
 * the depth limit and the agent's allowed targets are refused with clear tool errors.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DELEGATION_ANSWER_LIMIT,
  MAX_DELEGATION_DEPTH,
  MAX_DELEGATIONS_PER_TURN,
} from "../../src/shared/delegation.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import type { FakeReply, FakeRequest } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  eventually,
  openSession,
  partsOf,
  storedMessages,
  submit,
  toolResults,
  workspaceRoot,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

/** Replies per route: "parent", or a sub-agent's name. */
const scripts = new Map<string, FakeReply[]>();
const routed: { route: string; request: FakeRequest }[] = [];

function routeOf(request: FakeRequest): string {
  const system = JSON.stringify(request.body?.messages?.[0] ?? request.body?.system ?? "");
  return /You are working as \\"([^"\\]+)\\"/.exec(system)?.[1] ?? "parent";
}

function script(route: string, ...replies: FakeReply[]): void {
  scripts.set(route, [...(scripts.get(route) ?? []), ...replies]);
}

function requestsOf(route: string): FakeRequest[] {
  return routed.filter((r) => r.route === route).map((r) => r.request);
}

const app = useBackend({
  fallback: (request) => {
    const route = routeOf(request);
    routed.push({ route, request });
    return scripts.get(route)?.shift() ?? { text: `(${route} has no script)` };
  },
});

const sub = (name: string, task: string, tools?: string[]) => ({
  name: "delegate",
  arguments: { task, subagent: { name, instructions: `You are ${name}.`, ...(tools ? { tools } : {}) } },
});

function runningTurns(): number {
  return (
    app()
      .running.backend.context.db.query(
        "SELECT COUNT(*) AS n FROM turns WHERE status IN ('running', 'queued')",
      )
      .get() as { n: number }
  ).n;
}

describe("delegation", () => {
  test("two parallel delegations complete; their answers reach the parent in call order", async () => {
    routed.length = 0;
    // Alpha answers slowly, Beta at once: Beta ends first, yet Alpha's answer comes first.
    script(
      "parent",
      {
        toolCalls: [
          { id: "d_alpha", ...sub("Alpha", "Count the files") },
          { id: "d_beta", ...sub("Beta", "Read the docs") },
        ],
      },
      { text: "Both reported." },
    );
    script("Alpha", { text: ["Alpha ", "found ", "three ", "files."], tokenDelayMs: 150 });
    script("Beta", { text: "Beta read the docs." });
    const session = await openSession(app());
    const started = await submit(session, "Split the job");
    const end = await ended(session, started.turnId, 20_000);
    expect(end.status).toBe("completed");

    const results = toolResults(requestsOf("parent")[1]);
    expect(results).toEqual([
      { id: "d_alpha", content: "Alpha found three files." },
      { id: "d_beta", content: "Beta read the docs." },
    ]);
    // They ran at the same time: Beta's request arrived before Alpha's answer was done.
    const alpha = requestsOf("Alpha")[0] as FakeRequest;
    const beta = requestsOf("Beta")[0] as FakeRequest;
    expect(beta.receivedAt).toBeLessThan(alpha.sentAt.at(-1) as number);
    // Each child is a session of its own, linked to the parent's call, not in the session list.
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools.map((t) => [t.tool, t.status])).toEqual([
      ["delegate", "completed"],
      ["delegate", "completed"],
    ]);
    const childId = tools[0]?.output?.details?.childSessionId as string;
    const child = await app().api<SessionSummary>(`/api/sessions/${childId}`);
    expect(child.body.parent).toEqual({
      sessionId: session.sessionId,
      partId: tools[0]?.id as string,
      name: "Alpha",
    });
    expect(child.body.title).toBe("Alpha: Count the files");
    const childMessages = await storedMessages(app(), childId);
    expect(childMessages.map((m) => m.info.role)).toEqual(["user", "assistant"]);
    const list = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=200");
    expect(list.body.sessions.some((s) => s.id === childId)).toBe(false);
    expect(list.body.sessions.some((s) => s.id === session.sessionId)).toBe(true);
    // Deleting the parent deletes its sub-agents' chats; restoring brings them back.
    expect((await app().api(`/api/sessions/${session.sessionId}`, { method: "DELETE" })).status).toBe(200);
    expect((await app().api(`/api/sessions/${childId}`)).status).toBe(404);
    expect((await app().api(`/api/sessions/${session.sessionId}/restore`, { method: "POST" })).status).toBe(
      200,
    );
    expect((await app().api(`/api/sessions/${childId}`)).status).toBe(200);
    session.socket.close();
  });

  test("a sub-agent's chat is read-only: submit, inject, edit and regenerate are refused with a clear error", async () => {
    routed.length = 0;
    script("parent", { toolCalls: [{ id: "d_ro", ...sub("Reader", "Read it") }] }, { text: "Read." });
    script("Reader", { text: "Reader done." });
    const session = await openSession(app());
    const started = await submit(session, "Have it read");
    expect((await ended(session, started.turnId, 20_000)).status).toBe("completed");
    const [call] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    const childId = call?.output?.details?.childSessionId as string;
    const before = await storedMessages(app(), childId);
    const fromRequests = routed.length;

    session.socket.send({ type: "subscribe", sessionId: childId, afterSeq: 0 });
    session.socket.send({ type: "submit", sessionId: childId, clientTurnId: "ro-1", text: "More please" });
    const refused = await session.socket.waitFor("error", (e) => e.ref === "submit");
    expect(refused).toMatchObject({ sessionId: childId, code: "sub_agent_chat_read_only" });
    expect(refused.message).toContain("continue in the parent chat");
    session.socket.send({ type: "inject", sessionId: childId, text: "Also this" });
    expect(await session.socket.waitFor("error", (e) => e.ref === "inject")).toMatchObject({
      code: "sub_agent_chat_read_only",
    });
    const userMessage = before[0]?.info.id;
    const edit = await app().api<{ error: { code: string } }>(`/api/sessions/${childId}/edit`, {
      json: { messageId: userMessage, text: "Something else", clientTurnId: "ro-2" },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe("sub_agent_chat_read_only");
    const regen = await app().api(`/api/sessions/${childId}/regenerate`, {
      json: { messageId: userMessage, clientTurnId: "ro-3" },
    });
    expect(regen.status).toBe(409);
    // Nothing ran or was stored in the child; the parent still takes messages.
    expect(routed.length).toBe(fromRequests);
    const ours = session.socket.ofType("turn.started").filter((e) => e.clientTurnId.startsWith("ro-"));
    expect(ours).toHaveLength(0);
    expect((await storedMessages(app(), childId)).map((m) => m.info.id)).toEqual(
      before.map((m) => m.info.id),
    );
    script("parent", { text: "Still here." });
    const again = await submit(session, "And you?");
    expect((await ended(session, again.turnId)).status).toBe("completed");
    session.socket.close();
  });

  test("Stop during delegation stops both children; no turn is left running", async () => {
    routed.length = 0;
    const slow = (name: string): FakeReply => ({
      text: Array.from({ length: 400 }, (_, i) => `${name}${i} `),
      tokenDelayMs: 50,
    });
    script("parent", { toolCalls: [sub("Slow1", "Work long"), sub("Slow2", "Work long too")] });
    script("Slow1", slow("a"));
    script("Slow2", slow("b"));
    const session = await openSession(app());
    const started = await submit(session, "Long job");
    await eventually(
      () => (requestsOf("Slow1").length && requestsOf("Slow2").length ? true : undefined),
      10_000,
      "both children to call the model",
    );
    await Bun.sleep(200);
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    const end = await ended(session, started.turnId, 10_000);
    expect(end.status).toBe("stopped");
    await eventually(() => (runningTurns() === 0 ? true : undefined), 10_000, "no running turns");
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools).toHaveLength(2);
    for (const tool of tools) {
      expect(tool.status).toBe("error");
      const childId =
        /Sub-agent chat: (\S+)/.exec(tool.output?.text ?? tool.progress ?? "")?.[1] ??
        (tool.output?.details?.childSessionId as string);
      expect(childId).toBeDefined();
      const child = await app().api<SessionSummary>(`/api/sessions/${childId}`);
      expect(child.body.status).toBe("idle");
      const [answer] = (await storedMessages(app(), childId)).filter((m) => m.info.role === "assistant");
      expect(answer?.info.status).toBe("stopped");
    }
    session.socket.close();
  });

  test("a child's approval is asked in the parent's session and answered from the parent's socket; it works in the parent's workspace unless configured otherwise", async () => {
    routed.length = 0;
    const agents = app().running.backend.context.agents;
    const helper = agents.create({ ...agents.defaultAgent().config, name: "Helper", systemPrompt: "" });
    script(
      "parent",
      {
        toolCalls: [
          { id: "d_help", name: "delegate", arguments: { agent: "Helper", task: "Write the note" } },
        ],
      },
      { text: "The helper wrote it." },
    );
    script(
      "Helper",
      {
        toolCalls: [{ name: "write_file", arguments: { path: "notes/from-helper.txt", content: "hello\n" } }],
      },
      { text: "Wrote notes/from-helper.txt." },
    );
    const session = await openSession(app());
    const started = await submit(session, "Ask the helper");
    const approval = await session.socket.waitFor(
      "approval.requested",
      (e) => e.sessionId === session.sessionId,
    );
    expect(approval.tool).toBe("write_file");
    expect(approval.title).toBe("Helper: Create notes/from-helper.txt");
    const parentParts = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(approval.partId).toBe(parentParts[0]?.id as string);
    expect(session.socket.transcript(session.sessionId).approvals[approval.approvalId]).toBeDefined();
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: approval.approvalId,
      decision: "once",
    });
    const end = await ended(session, started.turnId, 15_000);
    expect(end.status).toBe("completed");
    expect(toolResults(requestsOf("parent")[1])).toEqual([
      { id: "d_help", content: "Wrote notes/from-helper.txt." },
    ]);
    // The configured agent worked in the parent's workspace, not its own.
    expect(readFileSync(join(workspaceRoot(app()), "notes/from-helper.txt"), "utf8")).toBe("hello\n");
    expect(
      existsSync(join(app().running.backend.context.paths.workspaces, helper.id, "notes/from-helper.txt")),
    ).toBe(false);

    // Configured to use its own workspace: the next delegated write lands there.
    agents.update(helper.id, {
      ...helper.config,
      ownWorkspaceWhenDelegated: true,
      approvals: { write_file: "allow" },
    });
    script(
      "parent",
      { toolCalls: [{ id: "d_own", name: "delegate", arguments: { agent: "Helper", task: "Write again" } }] },
      { text: "Again." },
    );
    script(
      "Helper",
      { toolCalls: [{ name: "write_file", arguments: { path: "notes/own.txt", content: "own\n" } }] },
      { text: "Wrote it in my workspace." },
    );
    const again = await submit(session, "Ask the helper again");
    // The helper's own "allow" does not widen what the delegating agent may do unasked: it still asks.
    const capped = await session.socket.waitFor(
      "approval.requested",
      (e) => e.sessionId === session.sessionId && e.approvalId !== approval.approvalId,
    );
    expect(capped.tool).toBe("write_file");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: capped.approvalId,
      decision: "once",
    });
    expect((await ended(session, again.turnId, 15_000)).status).toBe("completed");
    expect(
      readFileSync(join(app().running.backend.context.paths.workspaces, helper.id, "notes/own.txt"), "utf8"),
    ).toBe("own\n");
    expect(existsSync(join(workspaceRoot(app()), "notes/own.txt"))).toBe(false);
    agents.delete(helper.id);
    session.socket.close();
  });

  test("a delegated agent never acts more freely than the agent that delegated: the stricter rule wins", async () => {
    routed.length = 0;
    const agents = app().running.backend.context.agents;
    const parent = agents.defaultAgent();
    const helper = agents.create({
      ...parent.config,
      name: "Careful",
      systemPrompt: "",
      approvals: { write_file: "allow", edit_file: "deny" },
    });
    // The delegating agent allows both: the helper's allow stands, its deny still wins.
    agents.update(parent.id, { ...parent.config, approvals: { write_file: "allow", edit_file: "allow" } });
    try {
      script(
        "parent",
        {
          toolCalls: [
            { id: "d_c", name: "delegate", arguments: { agent: "Careful", task: "Write and edit" } },
          ],
        },
        { text: "Done." },
      );
      script(
        "Careful",
        {
          toolCalls: [
            { name: "write_file", arguments: { path: "notes/careful.txt", content: "one\n" } },
            {
              name: "edit_file",
              arguments: { path: "notes/careful.txt", old_string: "one", new_string: "two" },
            },
          ],
        },
        { text: "Wrote it; the edit was refused." },
      );
      const session = await openSession(app());
      const started = await submit(session, "Delegate to Careful");
      expect((await ended(session, started.turnId, 15_000)).status).toBe("completed");
      expect(session.socket.events.some((e) => e.type === "approval.requested")).toBe(false);
      expect(readFileSync(join(workspaceRoot(app()), "notes/careful.txt"), "utf8")).toBe("one\n");
      const childRequest = requestsOf("Careful")[1];
      expect(JSON.stringify(childRequest?.body)).toContain("does not allow edit_file");
      session.socket.close();
    } finally {
      agents.update(parent.id, parent.config);
      agents.delete(helper.id);
    }
  });

  test("the depth limit and the agent's allowed targets are refused with clear tool errors", async () => {
    routed.length = 0;
    expect(MAX_DELEGATION_DEPTH).toBe(2);
    const agents = app().running.backend.context.agents;
    const other = agents.create({ ...agents.defaultAgent().config, name: "Outsider" });
    configureAgent(app(), { delegates: [] });
    script(
      "parent",
      { toolCalls: [{ id: "d_out", name: "delegate", arguments: { agent: "Outsider", task: "x" } }] },
      { toolCalls: [{ id: "d_l1", ...sub("L1", "Go one level down") }] },
      { text: "Chain done." },
    );
    script("L1", { toolCalls: [{ id: "d_l2", ...sub("L2", "Go two levels down") }] }, { text: "L1 done." });
    script(
      "L2",
      { toolCalls: [{ id: "d_l3", ...sub("L3", "Go three levels down") }] },
      { text: "L2 could not go deeper." },
    );
    const session = await openSession(app());
    const started = await submit(session, "Chain");
    const end = await ended(session, started.turnId, 20_000);
    expect(end.status).toBe("completed");
    const [refusedTarget] = toolResults(requestsOf("parent")[1]);
    expect(refusedTarget?.content).toContain(`This agent's settings do not allow delegating to "Outsider"`);
    const [depth] = toolResults(requestsOf("L2")[1]);
    expect(depth?.id).toBe("d_l3");
    expect(depth?.content).toContain("Delegation refused");
    expect(depth?.content).toContain(`may not delegate deeper than ${MAX_DELEGATION_DEPTH} levels`);
    expect(requestsOf("L3")).toHaveLength(0);
    expect(toolResults(requestsOf("L1")[1])).toEqual([{ id: "d_l2", content: "L2 could not go deeper." }]);
    expect(toolResults(requestsOf("parent")[2]).at(-1)).toEqual({ id: "d_l1", content: "L1 done." });
    configureAgent(app(), { delegates: undefined });
    agents.delete(other.id);
    session.socket.close();
  });

  test("an agent's own delegation limits replace the defaults: depth 1 and one delegation per turn", async () => {
    routed.length = 0;
    configureAgent(app(), { delegationDepth: 1, delegationsPerTurn: 1 });
    try {
      script(
        "parent",
        {
          toolCalls: [
            { id: "d_one", ...sub("One", "First job") },
            { id: "d_two", ...sub("Two", "Second job") },
          ],
        },
        { text: "Limited." },
      );
      script("One", { toolCalls: [{ id: "d_deeper", ...sub("Deeper", "Go down") }] }, { text: "One alone." });
      const session = await openSession(app());
      const started = await submit(session, "Limits");
      expect((await ended(session, started.turnId, 20_000)).status).toBe("completed");
      // Per turn: the second delegation is refused with the agent's limit.
      const results = toolResults(requestsOf("parent")[1]);
      expect(results[0]).toEqual({ id: "d_one", content: "One alone." });
      expect(results[1]?.id).toBe("d_two");
      expect(results[1]?.content).toContain("this turn already started 1 delegations");
      expect(requestsOf("Two")).toHaveLength(0);
      // Depth: the sub-agent (running as the same agent) may not go below level 1.
      const [deeper] = toolResults(requestsOf("One")[1]);
      expect(deeper?.content).toContain("may not delegate deeper than 1 levels");
      expect(requestsOf("Deeper")).toHaveLength(0);
      session.socket.close();
    } finally {
      configureAgent(app(), { delegationDepth: undefined, delegationsPerTurn: undefined });
    }
  });

  test("a child's question is asked on the parent's card and answered from the parent's socket", async () => {
    routed.length = 0;
    script(
      "parent",
      { toolCalls: [{ id: "d_ask", ...sub("Asker", "Find out the colour") }] },
      { text: "Got the colour." },
    );
    script(
      "Asker",
      {
        toolCalls: [
          {
            name: "ask_user",
            arguments: { questions: [{ id: "c", prompt: "Which colour?", kind: "text" }] },
          },
        ],
      },
      { text: "The user likes green." },
    );
    const session = await openSession(app());
    const started = await submit(session, "Ask via a sub-agent");
    const asked = await session.socket.waitFor("question.asked", (e) => e.sessionId === session.sessionId);
    expect(asked.purpose).toBe("ask_user");
    expect(asked.questions[0]?.prompt).toBe("Asker: Which colour?");
    const [card] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(asked.partId).toBe(card?.id as string);
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: asked.questionId,
      answers: { c: "green" },
    });
    expect((await ended(session, started.turnId, 15_000)).status).toBe("completed");
    expect(JSON.stringify(requestsOf("Asker")[1]?.body?.messages)).toContain("green");
    expect(toolResults(requestsOf("parent")[1])).toEqual([{ id: "d_ask", content: "The user likes green." }]);
    session.socket.close();
  });

  test("the per-turn limit refuses delegations beyond it; a long answer comes back cut to the limit", async () => {
    routed.length = 0;
    const calls = Array.from({ length: MAX_DELEGATIONS_PER_TURN + 1 }, (_, i) => ({
      id: `d_${i}`,
      ...sub(`W${i}`, `Part ${i}`),
    }));
    script("parent", { toolCalls: calls }, { text: "All parts done." });
    script("W0", { text: { repeat: "x", count: DELEGATION_ANSWER_LIMIT + 5000 } });
    const session = await openSession(app());
    const started = await submit(session, "Many parts");
    expect((await ended(session, started.turnId, 30_000)).status).toBe("completed");
    const results = toolResults(requestsOf("parent")[1]);
    expect(results).toHaveLength(MAX_DELEGATIONS_PER_TURN + 1);
    const refused = results.filter((r) => r.content.includes("the limit per turn"));
    expect(refused).toHaveLength(1);
    expect(results.find((r) => r.id === "d_0")?.content).toContain(
      "[… 5000 more characters in the sub-agent's chat]",
    );
    expect(results.find((r) => r.id === "d_0")?.content.startsWith("x".repeat(DELEGATION_ANSWER_LIMIT))).toBe(
      true,
    );
    expect(results.find((r) => r.id === "d_1")?.content).toBe("(W1 has no script)");
    session.socket.close();
  });

  test("the child's steps are listed once each with their arguments, and kept in the result for the card", async () => {
    routed.length = 0;
    script(
      "parent",
      { toolCalls: [{ id: "d_steps", ...sub("Lister", "List twice", ["list_dir"]) }] },
      { text: "Lister done." },
    );
    script(
      "Lister",
      {
        toolCalls: [
          { id: "l_root", name: "list_dir", arguments: { path: "." } },
          { id: "l_sub", name: "list_dir", arguments: { path: "notes" } },
        ],
      },
      { text: "Listed." },
    );
    const session = await openSession(app());
    const started = await submit(session, "List via Lister");
    expect((await ended(session, started.turnId, 15_000)).status).toBe("completed");
    // Progress is coalesced into few events: their text, joined, lists each step once.
    const progress = session.socket.events
      .map((e) => (e.type === "tool.progress" && e.sessionId === session.sessionId ? e.text : ""))
      .join("");
    // Not "• list_dir {}": a tool part comes first without its streamed arguments.
    expect(progress.split("\n").filter((line) => line.startsWith("•"))).toEqual([
      "• list_dir .",
      "• list_dir notes",
    ]);
    const [call] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(call?.output?.details?.steps).toEqual(["• list_dir .", "• list_dir notes"]);
    expect(call?.output?.text).toBe("Listed.");
    session.socket.close();
  });

  test("the child's chat shows its approval too, and answering there lets the child go on", async () => {
    routed.length = 0;
    script(
      "parent",
      { toolCalls: [{ id: "d_here", ...sub("Penman", "Write here", ["write_file"]) }] },
      { text: "Penman done." },
    );
    script(
      "Penman",
      {
        toolCalls: [{ id: "w_here", name: "write_file", arguments: { path: "here.txt", content: "here\n" } }],
      },
      { text: "Wrote here.txt." },
    );
    const session = await openSession(app());
    const started = await submit(session, "Write via Penman");
    const inParent = await session.socket.waitFor(
      "approval.requested",
      (e) => e.sessionId === session.sessionId,
    );
    const line = await session.socket.waitFor("tool.progress", (e) => e.text.includes("Sub-agent chat: "));
    const childId = /Sub-agent chat: (\S+)/.exec(line.text)?.[1] as string;
    const childSocket = await TestSocket.connect(app());
    childSocket.send({ type: "subscribe", sessionId: childId, afterSeq: 0 });
    const inChild = await childSocket.waitFor("approval.requested", (e) => e.sessionId === childId);
    expect(inChild.approvalId).toBe(inParent.approvalId);
    expect(inChild.title).toBe("Create here.txt");
    // The child waits for the user too (its card and chat say so), and the parent does.
    const repo = app().running.backend.context.sessionRepo;
    await eventually(
      () => (repo.findSession(childId)?.status === "waiting" ? true : undefined),
      5000,
      "child waiting",
    );
    expect(repo.findSession(session.sessionId)?.status).toBe("waiting");
    const [childCall] = partsOf(await storedMessages(app(), childId), "tool");
    expect(inChild.partId).toBe(childCall?.id as string);
    childSocket.send({
      type: "approve",
      sessionId: childId,
      approvalId: inChild.approvalId,
      decision: "once",
    });
    expect((await ended(session, started.turnId, 15_000)).status).toBe("completed");
    expect(readFileSync(join(workspaceRoot(app()), "here.txt"), "utf8")).toBe("here\n");
    expect(repo.findSession(childId)?.status).toBe("idle");
    // Both chats saw the request end.
    expect(
      (await session.socket.waitFor("approval.resolved", (e) => e.approvalId === inParent.approvalId))
        .decision,
    ).toBe("once");
    expect((await childSocket.waitFor("approval.resolved", (e) => e.sessionId === childId)).decision).toBe(
      "once",
    );
    childSocket.close();
    session.socket.close();
  });
});
