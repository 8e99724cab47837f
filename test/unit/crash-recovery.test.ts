/**
 * Crash recovery (src/sessions/crash-recovery.ts) over a real database: a turn recorded by TurnRecorder
 * and cut off (events committed, nothing closed) is marked interrupted at the next start. Its streamed
 * text is rebuilt from the event log, its unfinished tool calls end as errors (announced to open
 * windows), and folding every event of the session with the shared reducer gives exactly what is stored.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser } from "../../src/core/user.ts";
import { INTERRUPTED_TOOL_ERROR, recoverInterruptedTurns } from "../../src/sessions/crash-recovery.ts";
import { SessionRepository } from "../../src/sessions/repository.ts";
import { TurnRecorder } from "../../src/sessions/turn-recorder.ts";
import type { ToolPart, ToolStatus } from "../../src/shared/parts.ts";
import {
  applyEvent,
  emptyTranscript,
  endUnfinishedTool,
  isUnfinishedTool,
} from "../../src/shared/transcript.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { EventLog } from "../../src/store/event-log.ts";

const SESSION = "ses_crash";
const TURN = "trn_crash";

let dir: string;
let db: Database;
let repo: SessionRepository;
const logs: EventLog[] = [];

function newLog(): EventLog {
  const log = new EventLog(db);
  logs.push(log);
  return log;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-crash-recovery-"));
  db = openDatabase(join(dir, "sage.db")).db;
  repo = new SessionRepository(db, ensureLocalUser(db).id);
  repo.createSession(SESSION, "agt_default", "A chat");
});
afterEach(() => {
  for (const log of logs.splice(0)) log.close();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** A turn cut off mid-step: text streaming, one call running (with output), one waiting to start. */
function crashMidTurn(): { assistantId: string; textId: string; runningId: string; pendingId: string } {
  const events = newLog();
  repo.insertTurn({
    id: TURN,
    sessionId: SESSION,
    clientTurnId: "c1",
    status: "running",
    userMessageId: null,
  });
  const recorder = new TurnRecorder(SESSION, TURN, null, repo, events);
  recorder.addUserMessage("list the files", []);
  const assistantId = recorder.startStep("fake-model");
  const textId = recorder.startText(assistantId, "text");
  recorder.appendText(assistantId, textId, "Looking ");
  recorder.appendText(assistantId, textId, "now");
  const runningId = recorder.addToolCall(assistantId, "call_1", "shell", { command: "ls" });
  recorder.toolStarted(assistantId, runningId);
  recorder.toolProgress(assistantId, runningId, "stdout", "a.txt\n");
  const pendingId = recorder.addToolCall(assistantId, "call_2", "read_file", { path: "a.txt" });
  // The crash: what was committed stays, nothing is settled or closed.
  events.flush();
  return { assistantId, textId, runningId, pendingId };
}

describe("recoverInterruptedTurns", () => {
  test("the streamed text is kept, unfinished calls end as errors, the step and turn as interrupted", () => {
    const { assistantId, textId, runningId, pendingId } = crashMidTurn();
    const events = newLog();
    expect(recoverInterruptedTurns({ repo, events })).toBe(1);

    const [stored] = repo.messagesById([assistantId]);
    expect(stored?.info.status).toBe("interrupted");
    expect(stored?.parts.find((p) => p.id === textId)).toMatchObject({ type: "text", text: "Looking now" });
    const tools = (stored?.parts ?? []).filter((p): p is ToolPart => p.type === "tool");
    expect(tools.map((p) => [p.id, p.status, p.error])).toEqual([
      [runningId, "error", INTERRUPTED_TOOL_ERROR],
      [pendingId, "error", INTERRUPTED_TOOL_ERROR],
    ]);
    // No made-up duration: the time Sage stopped is not known.
    expect(tools.every((p) => p.endedAt === undefined)).toBe(true);
    expect(repo.unfinishedTurns()).toEqual([]);
    expect(repo.getSession(SESSION).status).toBe("idle");

    const told = events.since(SESSION, 0).filter((e) => e.seq > 0);
    const types = told.map((e) => e.type);
    expect(types.filter((t) => t === "message.part.updated").length).toBeGreaterThanOrEqual(2);
    expect(types.at(-2)).toBe("message.updated");
    expect(types.at(-1)).toBe("turn.ended");
  });

  test("a window folding every event of the session ends with exactly what is stored", () => {
    const { assistantId } = crashMidTurn();
    const events = newLog();
    recoverInterruptedTurns({ repo, events });
    const folded = emptyTranscript();
    for (const event of events.since(SESSION, 0)) applyEvent(folded, event);
    const [stored] = repo.messagesById([assistantId]);
    expect(folded.parts[assistantId]).toEqual(stored?.parts);
    expect(folded.messages[assistantId]?.status).toBe("interrupted");
    expect(folded.status).toBe("interrupted");
  });

  test("nothing to do when no turn was left running", () => {
    expect(recoverInterruptedTurns({ repo, events: newLog() })).toBe(0);
  });
});

describe("the shared rule for calls a turn cannot finish (used by stop, error and crash recovery)", () => {
  const call = (status: ToolStatus): ToolPart => ({
    id: "prt_1",
    type: "tool",
    callId: "call_1",
    tool: "shell",
    input: { command: "ls" },
    status,
    progress: "a.txt\n",
  });

  test("pending, awaiting approval and running are unfinished; ended calls and other parts are not", () => {
    const statuses: ToolStatus[] = [
      "pending",
      "awaiting-approval",
      "running",
      "completed",
      "error",
      "denied",
    ];
    expect(statuses.filter((status) => isUnfinishedTool(call(status)))).toEqual([
      "pending",
      "awaiting-approval",
      "running",
    ]);
    expect(isUnfinishedTool({ id: "prt_2", type: "text", text: "hi" })).toBe(false);
  });

  test("ending one keeps what it had (input, output so far) and sets the end time only when known", () => {
    const ended = endUnfinishedTool(call("running"), "Interrupted.", 1234);
    expect(ended).toEqual({ ...call("running"), status: "error", error: "Interrupted.", endedAt: 1234 });
    expect("endedAt" in endUnfinishedTool(call("pending"), "Interrupted.")).toBe(false);
  });
});
