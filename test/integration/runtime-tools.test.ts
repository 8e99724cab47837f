/**
 * Tool calls through the real /ws endpoint: one call, several concurrent calls (results kept in call
 * order), questions to the user, the plan, and bad arguments the model then corrects.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useBackend } from "../support/backend.ts";
import {
  ended,
  eventually,
  modelRequests,
  openSession,
  partsOf,
  runTurn,
  storedMessages,
  storedTranscript,
  submit,
  textOf,
  toolResults,
  transcriptCore,
  workspaceRoot,
} from "../support/session-steps.ts";

const app = useBackend();
beforeAll(async () => {
  const root = workspaceRoot(app());
  mkdirSync(join(root, "notes"), { recursive: true });
  writeFileSync(join(root, "notes", "alpha.txt"), "alpha line one\nalpha line two\n");
  writeFileSync(join(root, "notes", "beta.txt"), "beta only line\n");
});

describe("one tool call", () => {
  test("read_file runs, its result goes back to the model, the turn completes", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        text: "Let me read it.",
        toolCalls: [{ id: "call_read_1", name: "read_file", arguments: { path: "notes/alpha.txt" } }],
      },
      { text: "It has two lines." },
    );
    const end = await runTurn(session, "What is in notes/alpha.txt?");
    expect(end.status).toBe("completed");

    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(2);
    // The first request declared the tools; the second carries the call and its result.
    const declared = (requests[0]?.body?.tools ?? []).map((t) => (t.function as { name: string }).name);
    expect(declared).toContain("read_file");
    const [result] = toolResults(requests[1]);
    expect(result?.id).toBe("call_read_1");
    expect(result?.content).toContain("alpha line two");

    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.role)).toEqual(["user", "assistant", "assistant"]);
    const [tool] = partsOf(messages, "tool");
    expect(tool).toMatchObject({ tool: "read_file", callId: "call_read_1", status: "completed" });
    expect(tool?.input).toEqual({ path: "notes/alpha.txt" });
    expect(tool?.output?.text).toContain("alpha line one");
    expect(typeof tool?.startedAt).toBe("number");
    expect(typeof tool?.endedAt).toBe("number");
    expect(textOf(messages[2])).toBe("It has two lines.");

    const started = session.socket.ofType("tool.started");
    const toolEnded = session.socket.ofType("tool.ended");
    expect(started.map((e) => e.callId)).toEqual(["call_read_1"]);
    expect(toolEnded[0]).toMatchObject({ status: "completed", partId: tool?.id });
    expect(transcriptCore(session.socket.transcript(session.sessionId))).toEqual(
      transcriptCore(await storedTranscript(app(), session.sessionId)),
    );
    // Audited.
    const runs = app()
      .running.backend.context.db.query("SELECT tool, decision, status FROM tool_runs WHERE call_id = ?")
      .all("call_read_1");
    expect(runs).toEqual([{ tool: "read_file", decision: "allowed", status: "completed" }]);
    session.socket.close();
  });

  test("a tool error is data: the model gets the error text and the turn goes on", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "call_missing", name: "read_file", arguments: { path: "nope/missing.txt" } }] },
      { text: "That file does not exist." },
    );
    expect((await runTurn(session, "Read nope/missing.txt")).status).toBe("completed");
    const [result] = toolResults(modelRequests(app(), from)[1]);
    expect(result?.id).toBe("call_missing");
    expect(result?.content.toLowerCase()).toContain("missing.txt");
    const [tool] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tool?.status).toBe("error");
    expect(tool?.error).toBeTruthy();
    session.socket.close();
  });

  test("a long result is cut for the model (head and tail) and saved whole in the workspace", async () => {
    const root = workspaceRoot(app());
    const lines = Array.from(
      { length: 1500 },
      (_, i) => `line ${String(i).padStart(4, "0")} ${"x".repeat(90)}`,
    );
    writeFileSync(join(root, "notes", "long.txt"), `${lines.join("\n")}\n`);
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "call_long", name: "read_file", arguments: { path: "notes/long.txt" } }] },
      { text: "Long indeed." },
    );
    expect((await runTurn(session, "Read the long file")).status).toBe("completed");
    const [result] = toolResults(modelRequests(app(), from)[1]);
    expect(result?.content.length).toBeLessThan(31_000);
    expect(result?.content).toContain("line 0000");
    expect(result?.content).toContain("line 1499");
    expect(result?.content).toContain("characters omitted");
    const [tool] = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tool?.output?.truncated).toBe(true);
    const saved = readFileSync(join(root, tool?.output?.fullOutputPath ?? "missing"), "utf8");
    expect(saved).toContain("line 0750");
    expect(saved.length).toBeGreaterThan(150_000);
    session.socket.close();
  });
});

describe("several tool calls in one step", () => {
  test("they run concurrently and their results go back in call order", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_ask",
            name: "ask_user",
            arguments: { questions: [{ id: "color", prompt: "Favourite colour?", kind: "text" }] },
          },
          { id: "call_alpha", name: "read_file", arguments: { path: "notes/alpha.txt" } },
          { id: "call_list", name: "list_dir", arguments: { path: "notes" } },
        ],
      },
      { text: "Thanks, done." },
    );
    const started = await submit(session, "Ask me and read things");
    const question = await session.socket.waitFor("question.asked");
    expect(question.purpose).toBe("ask_user");
    expect(question.questions[0]?.prompt).toBe("Favourite colour?");
    // While the question waits, the other two calls already finished: they did not wait their turn.
    const callOf = (partId: string) =>
      session.socket.ofType("tool.started").find((e) => e.partId === partId)?.callId;
    const endedWhileAsking = await eventually(() => {
      const calls = session.socket.ofType("tool.ended").map((e) => callOf(e.partId));
      return calls.length === 2 ? calls : undefined;
    });
    expect(endedWhileAsking.sort()).toEqual(["call_alpha", "call_list"]);
    const live = session.socket.transcript(session.sessionId);
    expect(live.questions[question.questionId]).toBeDefined();
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      answers: { color: "green" },
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(session.socket.ofType("question.answered")[0]).toMatchObject({
      questionId: question.questionId,
      cancelled: false,
      answers: { color: "green" },
    });

    const results = toolResults(modelRequests(app(), from)[1]);
    expect(results.map((r) => r.id)).toEqual(["call_ask", "call_alpha", "call_list"]);
    expect(results[0]?.content).toContain("green");
    expect(results[1]?.content).toContain("alpha line one");
    expect(results[2]?.content).toContain("beta.txt");
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools.map((t) => [t.callId, t.status])).toEqual([
      ["call_ask", "completed"],
      ["call_alpha", "completed"],
      ["call_list", "completed"],
    ]);
    session.socket.close();
  });

  test("a cancelled question is reported to the model, and the plan tool updates todos live", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_plan",
            name: "todo",
            arguments: {
              todos: [
                { text: "Look around", status: "in_progress" },
                { text: "Report", status: "pending" },
              ],
            },
          },
          {
            id: "call_pick",
            name: "ask_user",
            arguments: { questions: [{ id: "pick", prompt: "Which?", kind: "single", options: ["A", "B"] }] },
          },
        ],
      },
      { text: "Understood." },
    );
    const started = await submit(session, "Plan it");
    const question = await session.socket.waitFor("question.asked");
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      cancelled: true,
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    const todos = await session.socket.waitFor("todo.updated");
    expect(todos.todos.map((t) => [t.text, t.status])).toEqual([
      ["Look around", "in_progress"],
      ["Report", "pending"],
    ]);
    expect(session.socket.transcript(session.sessionId).todos).toEqual(todos.todos);
    const results = toolResults(modelRequests(app(), from)[1]);
    expect(results.map((r) => r.id)).toEqual(["call_plan", "call_pick"]);
    expect(results[1]?.content).toContain("dismissed");
    // Answering again is a clear error, not a crash.
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      answers: { pick: "A" },
    });
    expect((await session.socket.waitFor("error", (e) => e.ref === "answer")).code).toBe("not_found");
    session.socket.close();
  });
});

describe("bad arguments", () => {
  test("malformed JSON arguments end the tool in error; the model corrects them and the turn completes", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "call_bad", name: "read_file", arguments: '{"path": "notes/beta.txt"' }] },
      { toolCalls: [{ id: "call_good", name: "read_file", arguments: { path: "notes/beta.txt" } }] },
      { text: "It says: beta only line." },
    );
    const end = await runTurn(session, "Read beta");
    expect(end.status).toBe("completed");
    const requests = modelRequests(app(), from);
    expect(requests).toHaveLength(3);
    const [bad] = toolResults(requests[1]);
    expect(bad?.id).toBe("call_bad");
    expect(bad?.content).toContain("not valid JSON");
    const results = toolResults(requests[2]);
    expect(results.map((r) => r.id)).toEqual(["call_bad", "call_good"]);
    expect(results[1]?.content).toContain("beta only line");

    const messages = await storedMessages(app(), session.sessionId);
    const tools = partsOf(messages, "tool");
    expect(tools.map((t) => [t.callId, t.status])).toEqual([
      ["call_bad", "error"],
      ["call_good", "completed"],
    ]);
    expect(tools[0]?.error).toContain("not valid JSON");
    expect(textOf(messages.at(-1))).toBe("It says: beta only line.");
    session.socket.close();
  });

  test("schema-invalid arguments and an unknown tool are explained to the model", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        toolCalls: [
          { id: "call_schema", name: "read_file", arguments: { path: 42 } },
          { id: "call_unknown", name: "teleport", arguments: { where: "moon" } },
        ],
      },
      { text: "I will stop guessing." },
    );
    expect((await runTurn(session, "Try things")).status).toBe("completed");
    const results = toolResults(modelRequests(app(), from)[1]);
    expect(results.map((r) => r.id)).toEqual(["call_schema", "call_unknown"]);
    expect(results[0]?.content).toContain("Invalid arguments for read_file");
    expect(results[1]?.content).toContain('Unknown tool "teleport"');
    const tools = partsOf(await storedMessages(app(), session.sessionId), "tool");
    expect(tools.map((t) => t.status)).toEqual(["error", "error"]);
    session.socket.close();
  });

  test("the same failing call three times in a row pauses the turn and asks; Continue runs it again", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    const again = { toolCalls: [{ name: "read_file", arguments: { path: "nope/again.txt" } }] };
    app().fake.enqueue(again, again, again, again, { text: "Giving up." });
    const started = await submit(session, "Keep trying");
    const question = await session.socket.waitFor("question.asked", (e) => e.purpose === "loop");
    expect(question.repeated).toMatchObject({
      tool: "read_file",
      input: '{"path":"nope/again.txt"}',
      count: 3,
    });
    expect(modelRequests(app(), from)).toHaveLength(3);
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      answers: { continue: "Continue" },
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    expect(modelRequests(app(), from)).toHaveLength(5);
    const audited = app()
      .running.backend.context.db.query("SELECT COUNT(*) AS n FROM tool_runs WHERE session_id = ?")
      .get(session.sessionId) as { n: number };
    expect(audited.n).toBe(4);
    session.socket.close();
  });
});
