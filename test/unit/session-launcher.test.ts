/**
 * The session launcher on hand-fed events: it submits the task's prompt with the run's id as the client
 * turn id, in a new chat or the task's "same" chat (a deleted one replaced), with the default agent when
 * the task's is gone; it follows only its own turn (approvals before the turn started are another turn's),
 * reports waiting / resumed / ended, and a turn taken out of the queue ends the run as stopped.
 */
import { describe, expect, test } from "bun:test";
import { SessionLauncher } from "../../src/schedule/session-launcher.ts";
import type { TaskRecord } from "../../src/schedule/task-repository.ts";
import type { RunHooks } from "../../src/schedule/types.ts";
import type { ClientMessageOf } from "../../src/shared/client-messages.ts";
import type { DraftEvent, ServerEvent } from "../../src/shared/events.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import type { LoggedEvent } from "../../src/store/event-log.ts";

function setup(existing: string[] = []) {
  const live = new Set(existing);
  const created: { agentId?: string; title?: string }[] = [];
  const submitted: ClientMessageOf<"submit">[] = [];
  let listener: ((events: LoggedEvent[]) => void) | undefined;
  const launcher = new SessionLauncher({
    sessions: {
      create(agentId?: string, title?: string) {
        created.push({ agentId, title });
        const id = `ses_new${created.length}`;
        live.add(id);
        return { id } as SessionSummary;
      },
      submit(message) {
        submitted.push(message);
      },
      canSubscribe: (id) => live.has(id),
    },
    agents: { find: (id) => (id === "agt_here" ? {} : undefined) },
    subscribe(next) {
      listener = next;
      return () => {
        listener = undefined;
      };
    },
  });
  const emit = (...drafts: (DraftEvent & { sessionId: string })[]) =>
    listener?.(
      drafts.map((draft, i) => ({ event: { ...draft, seq: i + 1, at: 0 } as ServerEvent, json: "" })),
    );
  const record: string[] = [];
  const hooks: RunHooks = {
    waiting: (detail) => record.push(`waiting: ${detail}`),
    resumed: () => record.push("resumed"),
    ended: (status, detail) => record.push(`ended: ${status}${detail ? ` (${detail})` : ""}`),
  };
  return { launcher, created, submitted, emit, record, hooks, live, listening: () => listener !== undefined };
}

const task = (extra: Partial<TaskRecord> = {}): TaskRecord =>
  ({
    id: "tsk_1",
    name: "Digest",
    agentId: "agt_here",
    prompt: "Summarise",
    sessionMode: "new",
    sessionId: null,
    ...extra,
  }) as TaskRecord;

describe("session launcher", () => {
  test("a new chat titled with the task; follows its own turn to the end", () => {
    const s = setup();
    const sessionId = s.launcher.launch(task(), "run_1", s.hooks);
    expect(sessionId).toBe("ses_new1");
    expect(s.created).toEqual([{ agentId: "agt_here", title: "Digest" }]);
    expect(s.submitted).toEqual([{ type: "submit", sessionId, clientTurnId: "run_1", text: "Summarise" }]);
    // Another turn's approval (before ours started) is not ours.
    s.emit({ type: "approval.requested", sessionId, approvalId: "a0", title: "other" } as never);
    s.emit({ type: "turn.started", sessionId, turnId: "trn_1", clientTurnId: "run_1", userMessageId: "m" });
    s.emit({ type: "approval.requested", sessionId, approvalId: "a1", title: "Run ls" } as never);
    s.emit({
      type: "question.asked",
      sessionId,
      questionId: "q1",
      purpose: "ask_user",
      questions: [],
    } as never);
    s.emit({ type: "approval.resolved", sessionId, approvalId: "a1", decision: "once" });
    s.emit({ type: "question.answered", sessionId, questionId: "q1", cancelled: false });
    s.emit({ type: "turn.ended", sessionId, turnId: "trn_other", status: "completed" });
    s.emit({ type: "turn.ended", sessionId, turnId: "trn_1", status: "error", reason: "429" });
    s.emit({ type: "turn.ended", sessionId, turnId: "trn_1", status: "completed" });
    expect(s.record).toEqual([
      "waiting: Waiting for your approval: Run ls",
      "waiting: Waiting for your answer to a question.",
      "resumed",
      "ended: error (429)",
    ]);
  });

  test('"same" mode reuses the chat while it exists, else makes one; a gone agent becomes the default', () => {
    const s = setup(["ses_kept"]);
    expect(s.launcher.launch(task({ sessionMode: "same", sessionId: "ses_kept" }), "run_a", s.hooks)).toBe(
      "ses_kept",
    );
    expect(s.created).toEqual([]);
    s.live.delete("ses_kept");
    expect(
      s.launcher.launch(
        task({ sessionMode: "same", sessionId: "ses_kept", agentId: "agt_gone" }),
        "run_b",
        s.hooks,
      ),
    ).toBe("ses_new1");
    expect(s.created).toEqual([{ agentId: undefined, title: "Digest" }]);
  });

  test("taken out of the queue: the run ends as stopped; after dispose nothing is heard", () => {
    const s = setup();
    const sessionId = s.launcher.launch(task(), "run_q", s.hooks);
    s.emit({ type: "turn.dequeued", sessionId, clientTurnId: "run_q" });
    expect(s.record).toEqual(["ended: stopped (Taken out of the queue before it started.)"]);
    s.launcher.launch(task(), "run_r", s.hooks);
    s.launcher.dispose();
    expect(s.listening()).toBe(false);
  });

  test("a submit that throws is the launch's error, and the run is not followed", () => {
    const s = setup();
    const failing = new SessionLauncher({
      sessions: {
        create: () => ({ id: "ses_x" }) as SessionSummary,
        submit: () => {
          throw new Error("The message is empty.");
        },
        canSubscribe: () => true,
      },
      agents: { find: () => ({}) },
      subscribe: () => () => {},
    });
    expect(() => failing.launch(task(), "run_x", s.hooks)).toThrow("The message is empty.");
  });
});
