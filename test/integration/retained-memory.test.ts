/**
 * What the backend keeps in memory after turns (issue 19: memory flat across turns and sessions),
 * through the real backend, WebSocket and fake model, measured with a full GC and JSC's object counts.
 *
 * - A session's runner is kept only while it holds something (a turn running or queued, approvals
 *   remembered for the session, background shell jobs): after a turn in each of many chats, none is
 *   kept, and the heap holds no per-chat objects beyond a bounded few.
 * - A runner that does hold something is kept: an approval given "for this session" still covers the
 *   next turn, and a finished background job can still be read.
 * - Many turns in the same chats keep nothing per turn once warmed up.
 *
 * The test harness itself must keep nothing per turn either: each chat gets its own socket (closed
 * after its turn) and the fake model's request log is emptied, so only the backend's memory is counted.
 * Counted are the types a leak would grow (objects, arrays, maps, sets, closures, promises, strings);
 * code the JIT compiles over time (code blocks, structures) grows and shrinks on its own and is not.
 */
import { heapStats } from "bun:jsc";
import { describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import type { ShellJobInfo } from "../../src/shared/shell-jobs.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  openSession,
  runTurn,
  type Subscribed,
  submit,
  workspaceRoot,
} from "../support/session-steps.ts";

const backend = useBackend();

const DATA_TYPES = [
  "Object",
  "Array",
  "Map",
  "Set",
  "Function",
  "JSLexicalEnvironment",
  "Promise",
  "string",
  "AbortController",
  "AbortSignal",
];

/**
 * Objects of DATA_TYPES alive after full collections, by type: the least of three counts 100 ms apart,
 * so what a turn that just ended still has in flight (a closing response, a timer) is not counted.
 */
async function liveCounts(): Promise<Record<string, number>> {
  const least: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    await Bun.sleep(100);
    for (let i = 0; i < 3; i++) Bun.gc(true);
    const counts = heapStats().objectTypeCounts;
    for (const type of DATA_TYPES)
      least[type] = Math.min(least[type] ?? Number.POSITIVE_INFINITY, counts[type] ?? 0);
  }
  return least;
}

function growth(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(DATA_TYPES.map((type) => [type, (after[type] ?? 0) - (before[type] ?? 0)]));
}

/** Grown objects other than strings (strings also come and go with the code the JIT compiles). */
const nonStrings = (counts: Record<string, number>) =>
  Object.entries(counts).reduce((sum, [type, n]) => (type === "string" ? sum : sum + n), 0);

/** One short turn in a new chat, its socket closed after; the fake's request log emptied. */
async function turnInNewChat(index: number): Promise<void> {
  const app = backend();
  const chat = await openSession(app);
  app.fake.enqueue({ text: `Answer ${index}.` });
  const ended = await runTurn(chat, `question ${index}`);
  expect(ended.status).toBe("completed");
  chat.socket.close();
  app.fake.requests.splice(0);
}

describe("retained memory", () => {
  test("runners of chats whose turns ended are not kept, and nothing per chat piles up", async () => {
    const sessions = backend().running.backend.context.sessions;
    // Warm-up: code paths loaded and compiled, caches filled.
    for (let i = 0; i < 15; i++) await turnInNewChat(i);
    expect(sessions.runnerCount).toBe(0);

    const before = await liveCounts();
    const chats = 60;
    for (let i = 0; i < chats; i++) await turnInNewChat(100 + i);
    const grown = growth(before, await liveCounts());

    expect(sessions.runnerCount).toBe(0);
    // A runner per chat was 2 sets, a map, an array and 2 objects (8+ cells). What is left per chat is
    // its event counter (one string key), bounded by the number of chats in the database.
    expect(grown.Set, JSON.stringify(grown)).toBeLessThan(chats / 4);
    expect(grown.Map, JSON.stringify(grown)).toBeLessThan(chats / 4);
    expect(nonStrings(grown), JSON.stringify(grown)).toBeLessThan(chats);
    expect(grown.string, JSON.stringify(grown)).toBeLessThan(chats * 3);
  }, 60_000);

  test("many turns in the same chats keep nothing per turn", async () => {
    const app = backend();
    const chats: Subscribed[] = [];
    for (let i = 0; i < 4; i++) chats.push(await openSession(app));
    const turn = async (i: number) => {
      const chat = chats[i % chats.length] as Subscribed;
      app.fake.enqueue(
        { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
        { text: `Done ${i}: ${"word ".repeat(50)}` },
      );
      expect((await runTurn(chat, `turn ${i}`)).status).toBe("completed");
      // The test's sockets record every event: forget them, the backend's memory is what is measured.
      chat.socket.events.splice(0);
      app.fake.requests.splice(0);
    };
    // The fake model keeps its last request, which holds a whole conversation: a short turn in a new
    // chat before each count makes that one small again.
    for (let i = 0; i < 20; i++) await turn(i);
    await turnInNewChat(1);
    const before = await liveCounts();
    const turns = 150;
    for (let i = 0; i < turns; i++) await turn(1000 + i);
    await turnInNewChat(2);
    const grown = growth(before, await liveCounts());
    // Objects made once (lazily filled caches, what earlier tests in this process leave to settle):
    // 30-90 measured (88 in a full loaded run); a leak of a turn's promise, closure or record would be
    // at least one per turn, usually several (a closure is a function and its scope).
    expect(nonStrings(grown), JSON.stringify(grown)).toBeLessThan(turns);
    expect(grown.string, JSON.stringify(grown)).toBeLessThan(turns);
    expect(app.running.backend.context.sessions.runnerCount).toBe(0);
    for (const chat of chats) chat.socket.close();
  }, 60_000);

  test("commands refused by an idle chat and a resent submit leave no runner behind", async () => {
    const app = backend();
    const sessions = app.running.backend.context.sessions;
    const chat = await openSession(app);
    app.fake.enqueue({ text: "Once." });
    const clientTurnId = crypto.randomUUID();
    expect((await runTurn(chat, "only once", clientTurnId)).status).toBe("completed");
    expect(sessions.runnerCount).toBe(0);

    const errorsBefore = chat.socket.ofType("error").length;
    chat.socket.send({ type: "inject", sessionId: chat.sessionId, text: "too late" });
    chat.socket.send({
      type: "approve",
      sessionId: chat.sessionId,
      approvalId: "apr_none",
      decision: "once",
    });
    chat.socket.send({ type: "answer", sessionId: chat.sessionId, questionId: "qst_none", answers: {} });
    chat.socket.send({ type: "unqueue", sessionId: chat.sessionId, clientTurnId: crypto.randomUUID() });
    // The same clientTurnId again: a duplicate, no second turn.
    chat.socket.send({ type: "submit", sessionId: chat.sessionId, clientTurnId, text: "only once" });
    const deadline = Date.now() + 5_000;
    while (chat.socket.ofType("error").length < errorsBefore + 4 && Date.now() < deadline)
      await Bun.sleep(20);
    expect(chat.socket.ofType("error").length).toBe(errorsBefore + 4);
    expect(chat.socket.ofType("turn.started")).toHaveLength(1);
    expect(sessions.runnerCount).toBe(0);
    chat.socket.close();
  });

  test("a runner holding an approval for the session is kept: the next turn is still covered", async () => {
    const app = backend();
    const sessions = app.running.backend.context.sessions;
    const chat = await openSession(app);
    const write = (id: string, path: string) => ({
      toolCalls: [{ id, name: "write_file", arguments: { path, content: id } }],
    });
    app.fake.enqueue(write("call_r1", "kept/one.md"), { text: "Wrote it." });
    const first = await submit(chat, "write one");
    const asked = await chat.socket.waitFor(
      "approval.requested",
      (e) => e.sessionId === chat.sessionId,
      10_000,
    );
    const folder = asked.scopes?.find((scope) => scope.kind === "folder")?.pattern;
    expect(folder).toBeDefined();
    chat.socket.send({
      type: "approve",
      sessionId: chat.sessionId,
      approvalId: asked.approvalId,
      decision: "session",
      scope: folder,
    });
    expect((await ended(chat, first.turnId)).status).toBe("completed");
    expect(sessions.runnerCount).toBe(1);

    const asksBefore = chat.socket.ofType("approval.requested").length;
    app.fake.enqueue(write("call_r2", "kept/two.md"), { text: "Wrote it too." });
    expect((await runTurn(chat, "write two")).status).toBe("completed");
    expect(chat.socket.ofType("approval.requested")).toHaveLength(asksBefore);
    chat.socket.close();
  }, 30_000);

  test("a runner holding a background job is kept: the finished job can still be read", async () => {
    const app = backend();
    mkdirSync(workspaceRoot(app), { recursive: true });
    configureAgent(app, { approvals: { shell: "allow" } });
    const chat = await openSession(app);
    app.fake.enqueue(
      {
        toolCalls: [
          { name: "shell", arguments: { command: "echo job-done", background: true, description: "quick" } },
        ],
      },
      { text: "Started it." },
    );
    expect((await runTurn(chat, "start a job")).status).toBe("completed");
    const jobs = async () =>
      (await app.api<{ jobs: ShellJobInfo[] }>(`/api/sessions/${chat.sessionId}/jobs`)).body.jobs;
    for (let waited = 0; (await jobs())[0]?.state === "running" && waited < 10_000; waited += 50)
      await Bun.sleep(50);
    const listed = await jobs();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ description: "quick", state: "exited", exitCode: 0 });
    expect(app.running.backend.context.sessions.isRunning(chat.sessionId)).toBe(false);
    chat.socket.close();
  }, 30_000);
});
