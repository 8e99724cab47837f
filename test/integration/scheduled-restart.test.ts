/**
 * Missed runs across a real restart: Sage (the in-process backend on a data folder) is stopped, three
 * hours pass on the scheduler's clock, and the next start follows each task's policy — "skip" records one
 * skipped entry that counts the missed runs, "run-once" runs the task once (a chat with the fake model's
 * answer); both go on from the next time after now. A disabled task stays quiet.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScheduledTask, TaskRun } from "../../src/shared/schedule.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { startBackend, type TestBackend } from "../support/backend.ts";
import { FakeClock } from "../support/fake-clock.ts";

const HOUR = 60 * 60 * 1000;
const START = Date.UTC(2026, 8, 1, 6, 30, 0);

let fake: FakeModel;
let dataDir: string;
const apps: TestBackend[] = [];

beforeAll(async () => {
  fake = await startFakeModel({ apiKey: "test-key-0001" });
  dataDir = mkdtempSync(join(tmpdir(), "sage-sched-restart-"));
});
afterAll(async () => {
  for (const app of apps) await app.stop().catch(() => {});
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(clock: FakeClock): Promise<TestBackend> {
  const app = await startBackend({ dataDir, fake, clock });
  apps.push(app);
  return app;
}

test("after a restart, missed runs are skipped or run once, as each task says", async () => {
  const first = await start(new FakeClock(START));
  const create = async (name: string, extra: Record<string, unknown>) => {
    const { status, body } = await first.api<ScheduledTask>("/api/scheduled-tasks", {
      json: { name, prompt: `Do ${name}`, kind: "cron", cron: "0 * * * *", timezone: "UTC", ...extra },
    });
    expect(status).toBe(201);
    return body;
  };
  const skip = await create("hourly-skip", { missedPolicy: "skip" });
  const catchUp = await create("hourly-catch-up", { missedPolicy: "run-once" });
  const off = await create("hourly-off", { missedPolicy: "run-once", enabled: false });
  await first.stop({ keepData: true });

  fake.enqueue({ text: "Caught up." });
  const second = await start(new FakeClock(START + 3 * HOUR)); // 09:30: 07:00, 08:00, 09:00 missed
  const runsOf = async (taskId: string) =>
    (await second.api<{ runs: TaskRun[] }>(`/api/scheduled-tasks/${taskId}/runs`)).body.runs;

  const [skipped] = await runsOf(skip.id);
  expect(skipped).toMatchObject({ trigger: "missed", status: "skipped", scheduledFor: START + 0.5 * HOUR });
  expect(skipped?.detail).toContain("Missed 3 times");
  expect(skipped?.sessionId).toBeNull();

  const deadline = Date.now() + 10_000;
  let madeUp: TaskRun | undefined;
  while (Date.now() < deadline) {
    [madeUp] = await runsOf(catchUp.id);
    if (madeUp?.status === "completed") break;
    await Bun.sleep(25);
  }
  expect(madeUp).toMatchObject({ trigger: "missed", status: "completed" });
  expect(madeUp?.detail).toContain("missed 3 times");
  const { body: messages } = await second.api<{ messages: { parts: { type: string; text?: string }[] }[] }>(
    `/api/sessions/${madeUp?.sessionId}/messages?limit=10`,
  );
  expect(messages.messages.map((m) => m.parts.find((p) => p.type === "text")?.text)).toEqual([
    "Do hourly-catch-up",
    "Caught up.",
  ]);

  expect(await runsOf(off.id)).toEqual([]);
  const { body } = await second.api<{ tasks: ScheduledTask[] }>("/api/scheduled-tasks");
  const next = Object.fromEntries(body.tasks.map((task) => [task.name, task.nextRunAt]));
  expect(next).toEqual({
    "hourly-skip": START + 3.5 * HOUR,
    "hourly-catch-up": START + 3.5 * HOUR,
    "hourly-off": null,
  });
});
