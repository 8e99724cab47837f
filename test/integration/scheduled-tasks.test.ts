/**
 * Scheduled tasks through the real HTTP API and WebSocket, with the fake model and a fake clock: a cron
 * task fires when the clock reaches its time and its run creates a chat and a history entry; "Run now"
 * appends to the "same" chat; a run that needs an approval waits (and says so) until the user answers
 * from the chat; bad input gets clear 400s; a task an agent creates with its tool from a chat is on the
 * Tasks page's list.
 */
import { describe, expect, test } from "bun:test";
import type { Message } from "../../src/shared/parts.ts";
import type { ScheduledTask, TaskRun } from "../../src/shared/schedule.ts";
import { useBackend } from "../support/backend.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { ended, eventually, openSession, submit, textOf } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const MINUTE = 60_000;
const START = Date.UTC(2026, 5, 1, 8, 2, 0);

const clock = new FakeClock(START);
const app = useBackend({ clock });

async function runs(taskId: string): Promise<TaskRun[]> {
  const { status, body } = await app().api<{ runs: TaskRun[] }>(`/api/scheduled-tasks/${taskId}/runs`);
  expect(status).toBe(200);
  return body.runs;
}

/** Polls the history until the newest run has one of `statuses`. */
async function newestRun(taskId: string, ...statuses: TaskRun["status"][]): Promise<TaskRun> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [run] = await runs(taskId);
    if (run && statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`the newest run stayed ${run?.status ?? "absent"}`);
    await Bun.sleep(20);
  }
}

async function messagesOf(sessionId: string): Promise<Message[]> {
  const { body } = await app().api<{ messages: Message[] }>(`/api/sessions/${sessionId}/messages?limit=50`);
  return body.messages;
}

describe("scheduled tasks API", () => {
  test("bad input: a 400 that says why, and nothing is created", async () => {
    const badCron = await app().api<{ error: { message: string } }>("/api/scheduled-tasks", {
      json: { name: "Bad", prompt: "p", kind: "cron", cron: "0 25 * * *" },
    });
    expect(badCron.status).toBe(400);
    expect(JSON.stringify(badCron.body)).toContain('The cron pattern \\"0 25 * * *\\" is not valid');
    expect(JSON.stringify(badCron.body)).toContain("hour");
    const past = await app().api("/api/scheduled-tasks", {
      json: { name: "Past", prompt: "p", kind: "once", runAt: START - MINUTE },
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body)).toContain("in the past");
    const shape = await app().api("/api/scheduled-tasks", { json: { name: "x", kind: "weekly" } });
    expect([400, 422]).toContain(shape.status);
    const preview = await app().api<{ next: number[] }>("/api/scheduled-tasks/preview", {
      json: { cron: "*/10 * * * *", timezone: "UTC" },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.next).toHaveLength(3);
    const badPreview = await app().api("/api/scheduled-tasks/preview", { json: { cron: "nope" } });
    expect(badPreview.status).toBe(400);
    expect(JSON.stringify(badPreview.body)).toContain("five, six, or seven");
    const missing = await app().api("/api/scheduled-tasks/tsk_missing/run", { method: "POST" });
    expect(missing.status).toBe(404);
    const { body } = await app().api<{ tasks: ScheduledTask[] }>("/api/scheduled-tasks");
    expect(body.tasks).toHaveLength(0);
  });

  test("a cron task fires on the clock: a new chat with the prompt and the answer, and a history entry", async () => {
    const created = await app().api<ScheduledTask>("/api/scheduled-tasks", {
      json: {
        name: "Morning digest",
        prompt: "Summarise the news",
        kind: "cron",
        cron: "*/5 * * * *",
        timezone: "UTC",
        sessionMode: "same",
      },
    });
    expect(created.status).toBe(201);
    const task = created.body;
    expect(task.nextRunAt).toBe(START + 3 * MINUTE);
    app().fake.enqueue({ text: "Here is your digest." });
    clock.advance(2 * MINUTE);
    expect(await runs(task.id)).toHaveLength(0);
    clock.advance(MINUTE);
    const run = await newestRun(task.id, "completed");
    expect(run).toMatchObject({
      trigger: "schedule",
      scheduledFor: START + 3 * MINUTE,
      startedAt: START + 3 * MINUTE,
    });
    expect(run.endedAt).not.toBeNull();
    expect(run.sessionId).toBeTruthy();
    const session = await app().api<{ title: string; agentId: string }>(`/api/sessions/${run.sessionId}`);
    expect(session.body.title).toBe("Morning digest");
    const messages = await messagesOf(run.sessionId ?? "");
    expect(messages.map((m) => [m.info.role, textOf(m)])).toEqual([
      ["user", "Summarise the news"],
      ["assistant", "Here is your digest."],
    ]);
    const listed = await app().api<{ tasks: ScheduledTask[] }>("/api/scheduled-tasks");
    const [listedTask] = listed.body.tasks;
    expect(listedTask?.lastRun?.id).toBe(run.id);
    expect(listedTask?.nextRunAt).toBe(START + 8 * MINUTE);
    expect(listedTask?.sessionId).toBe(run.sessionId);

    // Run now: the same chat gets a second turn; the schedule is unchanged.
    app().fake.enqueue({ text: "Second digest." });
    const manual = await app().api<TaskRun>(`/api/scheduled-tasks/${task.id}/run`, { method: "POST" });
    expect(manual.status).toBe(201);
    expect(manual.body.trigger).toBe("manual");
    const second = await newestRun(task.id, "completed");
    expect(second.id).toBe(manual.body.id);
    expect(second.sessionId).toBe(run.sessionId);
    expect((await messagesOf(run.sessionId ?? "")).map(textOf)).toEqual([
      "Summarise the news",
      "Here is your digest.",
      "Summarise the news",
      "Second digest.",
    ]);
    // Disabled: the clock passes its times and nothing runs.
    const disabled = await app().api<ScheduledTask>(`/api/scheduled-tasks/${task.id}`, {
      method: "PATCH",
      json: { enabled: false },
    });
    expect(disabled.body).toMatchObject({ enabled: false, nextRunAt: null });
    clock.advance(20 * MINUTE);
    await Bun.sleep(100);
    expect(await runs(task.id)).toHaveLength(2);
    expect((await app().api(`/api/scheduled-tasks/${task.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await app().api(`/api/scheduled-tasks/${task.id}`)).status).toBe(404);
  });

  test("a run that needs an approval waits, says so, and ends once the user answers in its chat", async () => {
    const created = await app().api<ScheduledTask>("/api/scheduled-tasks", {
      json: {
        name: "Write notes",
        prompt: "Write the notes file",
        kind: "once",
        runAt: clock.now() + 10 * MINUTE,
      },
    });
    const task = created.body;
    app().fake.enqueue(
      {
        toolCalls: [
          { id: "call_sched_w", name: "write_file", arguments: { path: "notes.txt", content: "hi\n" } },
        ],
      },
      { text: "Notes written." },
    );
    clock.advance(10 * MINUTE);
    const waiting = await newestRun(task.id, "waiting");
    expect(waiting.detail).toBe("Waiting for your approval: Create notes.txt");
    const socket = await TestSocket.connect(app());
    socket.send({ type: "subscribe", sessionId: waiting.sessionId, afterSeq: 0 });
    const request = await socket.waitFor("approval.requested");
    socket.send({
      type: "approve",
      sessionId: waiting.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    const done = await newestRun(task.id, "completed");
    expect(done.id).toBe(waiting.id);
    expect(done.detail).toBeNull();
    const { body } = await app().api<ScheduledTask>(`/api/scheduled-tasks/${task.id}`);
    expect(body.nextRunAt).toBeNull();
    socket.close();
  });

  test("an agent's schedule_task call from a chat creates a task the Tasks page lists", async () => {
    const session = await openSession(app());
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_sched_add",
            name: "schedule_task",
            arguments: {
              name: "Weekly review",
              prompt: "Review the week",
              cron: "0 17 * * 5",
              timezone: "UTC",
              missed: "run-once",
            },
          },
        ],
      },
      { text: "Scheduled." },
    );
    const started = await submit(session, "Every Friday at 17:00, review my week");
    const request = await session.socket.waitFor("approval.requested");
    expect(request.title).toBe('Schedule "Weekly review" (cron "0 17 * * 5")');
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    expect((await ended(session, started.turnId)).status).toBe("completed");
    const { body } = await app().api<{ tasks: ScheduledTask[] }>("/api/scheduled-tasks");
    const created = body.tasks.find((task) => task.name === "Weekly review");
    expect(created).toMatchObject({
      createdBy: "agent",
      cron: "0 17 * * 5",
      missedPolicy: "run-once",
      enabled: true,
    });
    expect(created?.agentId).toBe(app().running.backend.context.agents.defaultAgent().id);

    // A bad pattern from the model comes back to it as the tool's error, with the reason.
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_sched_bad",
            name: "schedule_task",
            arguments: { name: "Bad", prompt: "p", cron: "70 * * * *" },
          },
        ],
      },
      { text: "That pattern was wrong." },
    );
    const again = await submit(session, "Schedule something broken");
    const second = await session.socket.waitFor(
      "approval.requested",
      (e) => e.approvalId !== request.approvalId,
    );
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: second.approvalId,
      decision: "once",
    });
    await ended(session, again.turnId);
    const result = await eventually(
      () =>
        app()
          .fake.requests.slice(from)
          .flatMap((r) => r.body?.messages ?? [])
          .find((m) => m.role === "tool" && m.tool_call_id === "call_sched_bad"),
      5000,
      "the tool result",
    );
    expect(String(result.content)).toContain('The cron pattern "70 * * * *" is not valid');
    session.socket.close();
  });
});
