/**
 * kill -9 during a scheduled task's run, with the compiled executable: the run's history entry is not
 * lost — the next start marks it interrupted (with why) and still links the chat, whose turn is marked
 * interrupted too; the task itself is intact and can run again.
 */
import { expect, test } from "bun:test";
import type { Message } from "../../src/shared/parts.ts";
import type { ScheduledTask, TaskRun } from "../../src/shared/schedule.ts";
import { eventually } from "../support/session-steps.ts";
import { type RunningExecutable, useExecutable } from "./executable-app.ts";

const executable = useExecutable("sage-sched-crash-");

async function runsOf(exe: RunningExecutable, taskId: string): Promise<TaskRun[]> {
  const { status, body } = await exe.api<{ runs: TaskRun[] }>(`/api/scheduled-tasks/${taskId}/runs`);
  expect(status).toBe(200);
  return body.runs;
}

test("kill -9 during a run: after the restart the run is interrupted, not lost, and the task runs again", async () => {
  const { fake, launch } = executable();
  const first = await launch();
  const created = await first.api<ScheduledTask>("/api/scheduled-tasks", {
    json: { name: "Long report", prompt: "Write a long report", kind: "cron", cron: "0 3 1 1 *" },
  });
  expect(created.status).toBe(201);
  const task = created.body;

  const words = Array.from({ length: 400 }, (_, i) => `word${i} `);
  fake.enqueue({ text: words, tokenDelayMs: 20 });
  const started = await first.api<TaskRun>(`/api/scheduled-tasks/${task.id}/run`, { method: "POST" });
  expect(started.status).toBe(201);
  const sessionId = await eventually(
    () => (fake.requests.length > 0 ? true : undefined),
    10_000,
    "the run's model request",
  ).then(async () => (await runsOf(first, task.id))[0]?.sessionId);
  expect(sessionId).toBeTruthy();
  await Bun.sleep(400); // some of the reply streams and is saved
  expect((await runsOf(first, task.id))[0]?.status).toBe("running");
  first.process.child.kill("SIGKILL");
  expect(await first.process.exited(5000)).not.toBe(0);

  const second = await launch(undefined, Number(new URL(first.url).port));
  const [run] = await runsOf(second, task.id);
  expect(run).toMatchObject({ id: started.body.id, status: "interrupted", sessionId });
  expect(run?.detail).toContain("Sage stopped during this run");
  expect(run?.endedAt).not.toBeNull();
  const { body: transcript } = await second.api<{ messages: Message[] }>(
    `/api/sessions/${sessionId}/messages?limit=100`,
  );
  expect(transcript.messages[0]?.parts.find((part) => part.type === "text")).toMatchObject({
    text: "Write a long report",
  });
  expect(transcript.messages[1]?.info.status).toBe("interrupted");
  const { body: listed } = await second.api<{ tasks: ScheduledTask[] }>("/api/scheduled-tasks");
  expect(listed.tasks.map((t) => t.id)).toEqual([task.id]);
  expect(listed.tasks[0]?.lastRun?.status).toBe("interrupted");

  // The task is not stuck "running": it runs again.
  fake.enqueue({ text: "Short report." });
  const again = await second.api<TaskRun>(`/api/scheduled-tasks/${task.id}/run`, { method: "POST" });
  expect(again.status).toBe(201);
  const deadline = Date.now() + 10_000;
  let newest: TaskRun | undefined;
  while (Date.now() < deadline) {
    [newest] = await runsOf(second, task.id);
    if (newest?.status === "completed") break;
    await Bun.sleep(50);
  }
  expect(newest).toMatchObject({ id: again.body.id, status: "completed" });
}, 60_000);
