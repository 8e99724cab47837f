/**
 * Long agentic work against a model whose context window is 20,000 tokens, as a provider enforces it:
 * the fake model refuses every request over the window (counting body characters / 4, a little more
 * than Sage's own estimate). Shown here:
 * - a 30-step turn that re-reads a large file at every step completes, no request ever passes the
 *   window, and compaction (prunes and a summary) happens inside the turn;
 * - a 200-turn chat stays under the window, compacting at most once every several turns;
 * - a provider that counts tokens more densely than Sage refuses a request: one harder compaction,
 *   then success;
 * - a call that keeps failing pauses the turn with a question showing it; "Stop here" ends the turn,
 *   "Continue" lets it go on.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventOf } from "../../src/shared/events.ts";
import type { CompactionPart, Message } from "../../src/shared/parts.ts";
import { type FakeReply, type FakeRequest, startFakeModel } from "../fixtures/fake-model/index.ts";
import { startBackend, type TestBackend, useBackend } from "../support/backend.ts";
import {
  BUDGET_CALIBRATION_TOOLS,
  configureAgent,
  ended,
  modelRequests,
  openSession,
  runTurn,
  storedMessages,
  submit,
  textOf,
  workspaceRoot,
} from "../support/session-steps.ts";

const WINDOW = 20_000;
/** A 200-line source file of about 13,000 characters (some 3,300 tokens a read). */
const BIG_FILE = Array.from(
  { length: 200 },
  (_, i) => `export const value${i} = computeSomething(${i}, "a string that makes the line longer");`,
).join("\n");

function writeBigFile(target: TestBackend): void {
  mkdirSync(workspaceRoot(target), { recursive: true });
  writeFileSync(join(workspaceRoot(target), "big.ts"), BIG_FILE);
}

/** The agent's requests offer tools; summary requests do not. */
function isSummaryRequest(request: FakeRequest): boolean {
  return !(request.body?.tools?.length ?? 0);
}

/** Script: summary requests get a summary; the agent's requests follow `agent` (by their number). */
function scripted(agent: (n: number, request: FakeRequest) => FakeReply) {
  let agentRequests = 0;
  let summaries = 0;
  return (request: FakeRequest): FakeReply => {
    if (isSummaryRequest(request)) {
      summaries++;
      return { text: `SUMMARY ${summaries}: the user wants the file checked; it was read several times.` };
    }
    agentRequests++;
    return agent(agentRequests, request);
  };
}

let script: (request: FakeRequest) => FakeReply = () => ({ text: "ok" });
const fake = await startFakeModel({
  apiKey: "test-key-0001",
  contextWindow: WINDOW,
  enforceContextWindow: true,
  fallback: (request) => script(request),
});
const app = useBackend({ contextWindow: WINDOW, fake });
beforeAll(() => configureAgent(app(), { tools: BUDGET_CALIBRATION_TOOLS }));
afterAll(async () => {
  await fake.stop();
});

function markers(messages: Message[]): CompactionPart[] {
  return messages.flatMap((m) =>
    m.info.kind === "summary" ? m.parts.filter((p): p is CompactionPart => p.type === "compaction") : [],
  );
}

function largestRequest(requests: FakeRequest[]): number {
  return Math.max(...requests.map((r) => r.promptTokens));
}

describe("a 30-step turn that re-reads a large file", () => {
  test("completes, never sends more than the window, and compacts inside the turn", async () => {
    writeBigFile(app());
    const session = await openSession(app());
    const from = fake.requests.length;
    // Each step thinks out loud a little (text cannot be pruned) and reads the file again.
    script = scripted((n) =>
      n < 30
        ? {
            text: `Step ${n}: checking the values again. ${"I compare each constant with the spec. ".repeat(12)}`,
            toolCalls: [{ name: "read_file", arguments: { path: "big.ts" } }],
          }
        : { text: "All 200 values are checked." },
    );
    const started = await submit(session, "Check every value in big.ts, re-reading it at each step.");
    const end = await ended(session, started.turnId, 120_000);
    expect(end.status).toBe("completed");

    const requests = modelRequests(app(), from);
    const agentRequests = requests.filter((r) => !isSummaryRequest(r));
    expect(agentRequests).toHaveLength(30);
    // No refusal, and no request over the window (the fake counts body characters / 4).
    expect(requests.every((r) => r.promptTokens <= WINDOW)).toBe(true);

    const messages = await storedMessages(app(), session.sessionId);
    const turn = messages.filter((m) => m.info.turnId === started.turnId);
    const inTurn = markers(turn);
    expect(inTurn.filter((p) => p.mode === "prune").length).toBeGreaterThan(0);
    expect(inTurn.filter((p) => p.mode !== "prune").length).toBeGreaterThan(0);
    for (const marker of inTurn) expect(marker.tokensAfter).toBeLessThan(marker.tokensBefore);
    // Markers sit between the steps of the turn, not only before it.
    const firstMarker = turn.findIndex((m) => m.info.kind === "summary");
    expect(turn.slice(0, firstMarker).some((m) => m.info.role === "assistant")).toBe(true);
    expect(textOf(messages.at(-1))).toBe("All 200 values are checked.");
    // The transcript keeps every output in full.
    const reads = turn.flatMap((m) => m.parts).filter((p) => p.type === "tool");
    expect(reads).toHaveLength(29);
    for (const read of reads)
      expect(read.type === "tool" && read.output?.text.length).toBeGreaterThan(13_000);
    console.log(
      `30-step turn: ${agentRequests.length} steps, ${requests.length - agentRequests.length} summary requests, ` +
        `${inTurn.filter((p) => p.mode === "prune").length} prunes, largest request ${largestRequest(requests)} of ${WINDOW} tokens`,
    );
    session.socket.close();
  }, 180_000);
});

describe("a 200-turn chat", () => {
  test("stays under the window, compacting at most once every several turns", async () => {
    const session = await openSession(app());
    const from = fake.requests.length;
    script = scripted((n) => ({
      text: `Answer ${n}: ${"Here is a detailed explanation of the point you raised. ".repeat(8)}`,
    }));
    const compactedAt: number[] = [];
    for (let turn = 1; turn <= 200; turn++) {
      const before = fake.requests.length;
      const end = await runTurn(
        session,
        `Question ${turn}: ${"please explain this part as well. ".repeat(4)}`,
      );
      expect(end.status).toBe("completed");
      if (fake.requests.slice(before).some(isSummaryRequest)) compactedAt.push(turn);
    }
    const requests = modelRequests(app(), from);
    expect(requests.every((r) => r.promptTokens <= WINDOW)).toBe(true);
    const gaps = compactedAt.slice(1).map((turn, i) => turn - (compactedAt[i] as number));
    console.log(
      `200-turn chat: ${compactedAt.length} compactions (at turns ${compactedAt.join(", ")}), ` +
        `smallest gap ${Math.min(...gaps)} turns, largest request ${largestRequest(requests)} of ${WINDOW} tokens`,
    );
    expect(compactedAt.length).toBeGreaterThan(1);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5);
    session.socket.close();
  }, 300_000);
});

describe("a provider that counts more tokens than Sage estimates and reports no usage", () => {
  test("refuses once; one harder compaction, then the step succeeds", async () => {
    // Without usage Sage cannot calibrate its estimate (chars/4) to this provider's count (chars/1.8).
    const dense = await startFakeModel({
      apiKey: "test-key-0001",
      contextWindow: WINDOW,
      enforceContextWindow: true,
      charsPerToken: 1.8,
      reportUsage: false,
      fallback: (request) => script(request),
    });
    const denseApp = await startBackend({ contextWindow: WINDOW, fake: dense });
    configureAgent(denseApp, { tools: BUDGET_CALIBRATION_TOOLS });
    try {
      writeBigFile(denseApp);
      const session = await openSession(denseApp);
      script = scripted((n) =>
        n === 1
          ? { toolCalls: [{ name: "read_file", arguments: { path: "big.ts" } }] }
          : { text: "Read it." },
      );
      const end = await runTurn(session, "Read big.ts", undefined, 60_000);
      expect(end.status).toBe("completed");
      const requests = dense.requests.filter((r) => r.path === "/v1/chat/completions");
      const refused = requests.filter((r) => r.promptTokens > WINDOW);
      expect(refused).toHaveLength(1);
      const messages = await storedMessages(denseApp, session.sessionId);
      // The refusal stays visible; the harder compaction stubbed the newest read too.
      expect(messages.flatMap((m) => m.parts).filter((p) => p.type === "error")).toHaveLength(1);
      expect(markers(messages).length).toBeGreaterThan(0);
      expect(textOf(messages.at(-1))).toBe("Read it.");
      expect(JSON.stringify(requests.at(-1)?.body?.messages)).toContain("Output pruned from the context");
      session.socket.close();
    } finally {
      await denseApp.stop();
      await dense.stop();
    }
  }, 60_000);
});

describe("a call that keeps failing", () => {
  const failing = { toolCalls: [{ name: "read_file", arguments: { path: "missing/file.txt" } }] };

  async function untilLoopQuestion(session: Awaited<ReturnType<typeof openSession>>) {
    return session.socket.waitFor("question.asked", (e) => e.purpose === "loop", 15_000);
  }

  test("pauses the turn with a question showing the call; 'Stop here' ends the turn", async () => {
    const session = await openSession(app());
    const from = fake.requests.length;
    // Trivially different arguments (a leading ./, spacing, an offset) count as the same call.
    const variants = [
      { path: "missing/file.txt" },
      { path: "./missing/file.txt", offset: 1 },
      { path: " missing/file.txt", offset: 5 },
    ];
    script = scripted((n) =>
      n <= 3 ? { toolCalls: [{ name: "read_file", arguments: variants[n - 1] ?? {} }] } : failing,
    );
    const started = await submit(session, "Read missing/file.txt");
    const question: EventOf<"question.asked"> = await untilLoopQuestion(session);
    expect(question.repeated).toMatchObject({ tool: "read_file", count: 3 });
    expect(JSON.parse(question.repeated?.input ?? "{}")).toEqual({ path: " missing/file.txt", offset: 5 });
    expect(question.repeated?.error).toContain("missing/file.txt");
    expect(question.questions[0]?.options).toEqual(["Continue", "Stop here"]);
    // The question is part of the live state a reloaded window gets.
    const live = app().running.backend.context.sessions.live(session.sessionId);
    expect(live.questions[question.questionId]?.purpose).toBe("loop");

    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      answers: { continue: "Stop here" },
    });
    const end = await ended(session, started.turnId);
    expect(end).toMatchObject({ status: "completed", reason: "loop" });
    expect(modelRequests(app(), from)).toHaveLength(3);
    session.socket.close();
  });

  test("'Continue' lets the turn go on, and asks again only after three more failures", async () => {
    const session = await openSession(app());
    const from = fake.requests.length;
    script = scripted((n) => (n <= 4 ? failing : { text: "I will ask the user for the right path." }));
    const started = await submit(session, "Read missing/file.txt");
    const first = await untilLoopQuestion(session);
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: first.questionId,
      answers: { continue: "Continue" },
    });
    const end = await ended(session, started.turnId);
    expect(end.status).toBe("completed");
    expect(modelRequests(app(), from)).toHaveLength(5);
    expect(session.socket.ofType("question.asked").filter((e) => e.purpose === "loop")).toHaveLength(1);
    session.socket.close();
  });
});
