/**
 * The scheduled-task tools called directly, over a real task service (temporary database, fake clock,
 * a launcher that records runs): schedule_task makes one-time and cron tasks marked as the agent's;
 * list_scheduled_tasks shows them; update_scheduled_task changes fields and disables; delete removes;
 * bad input comes back as a readable error; without the service the tools say so.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src/core/logger.ts";
import { ensureLocalUser } from "../../src/core/user.ts";
import { Scheduler } from "../../src/schedule/scheduler.ts";
import { TaskRepository } from "../../src/schedule/task-repository.ts";
import { ScheduledTasks } from "../../src/schedule/task-service.ts";
import type { Agent } from "../../src/shared/agent.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { deleteScheduledTaskTool } from "../../src/tools/delete-scheduled-task.ts";
import { listScheduledTasksTool } from "../../src/tools/list-scheduled-tasks.ts";
import { scheduleTaskTool } from "../../src/tools/schedule-task.ts";
import { updateScheduledTaskTool } from "../../src/tools/update-scheduled-task.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { createTestToolContext, type TestToolContext } from "./tool-context.ts";

const START = Date.UTC(2030, 0, 1, 8, 0, 0);
const agent = { id: "agent-test", config: { name: "Helper" } } as unknown as Agent;

let dir: string;
let db: Database;
let scheduler: Scheduler;
let tasks: ScheduledTasks;
let tool: TestToolContext;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-task-tools-"));
  db = openDatabase(join(dir, "sage.db")).db;
  const clock = new FakeClock(START);
  const repo = new TaskRepository(db, ensureLocalUser(db).id);
  scheduler = new Scheduler({
    repo,
    clock,
    logger: silentLogger,
    launcher: { launch: () => "ses_x", dispose: () => {} },
  });
  tasks = new ScheduledTasks({
    repo,
    scheduler,
    clock,
    agents: { find: (id) => (id === agent.id ? agent : undefined), defaultAgent: () => agent },
  });
  scheduler.start();
  tool = createTestToolContext({ services: { scheduledTasks: tasks } });
});

afterEach(() => {
  scheduler.stop();
  tool.cleanup();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

test("schedule, list, update, disable and delete through the tools", async () => {
  const cron = await scheduleTaskTool.execute(
    { name: "Standup notes", prompt: "Draft the standup notes", cron: "0 9 * * 1-5", timezone: "UTC" },
    tool.ctx,
  );
  expect(cron.text).toContain('cron "0 9 * * 1-5" (UTC)');
  const once = await scheduleTaskTool.execute(
    {
      name: "Renew domain",
      prompt: "Remind me to renew the domain",
      at: "2030-02-01T10:00:00Z",
      same_chat: true,
    },
    tool.ctx,
  );
  expect(once.text).toContain("once, at");
  const [first, second] = tasks.list();
  expect(first).toMatchObject({
    createdBy: "agent",
    agentId: "agent-test",
    kind: "cron",
    sessionMode: "new",
  });
  expect(second).toMatchObject({ kind: "once", runAt: Date.UTC(2030, 1, 1, 10), sessionMode: "same" });

  const listed = await listScheduledTasksTool.execute({}, tool.ctx);
  expect(listed.text).toContain("2 scheduled tasks");
  expect(listed.text).toContain(`Standup notes [${first?.id}] enabled`);

  const updated = await updateScheduledTaskTool.execute(
    { id: first?.id ?? "", enabled: false, prompt: "Draft the standup notes, short" },
    tool.ctx,
  );
  expect(updated.text).toContain("disabled");
  expect(tasks.get(first?.id ?? "")).toMatchObject({
    enabled: false,
    nextRunAt: null,
    prompt: "Draft the standup notes, short",
  });
  expect((await listScheduledTasksTool.execute({ include_disabled: false }, tool.ctx)).text).not.toContain(
    "Standup",
  );

  const deleted = await deleteScheduledTaskTool.execute({ id: second?.id ?? "" }, tool.ctx);
  expect(deleted.text).toContain('Deleted the scheduled task "Renew domain"');
  expect(tasks.list()).toHaveLength(1);
});

test("bad input is a readable error, and nothing is created", async () => {
  await expect(scheduleTaskTool.execute({ name: "x", prompt: "p" }, tool.ctx)).rejects.toThrow(
    "Give exactly one of `at`",
  );
  await expect(
    scheduleTaskTool.execute({ name: "x", prompt: "p", at: "next tuesday-ish" }, tool.ctx),
  ).rejects.toThrow('at "next tuesday-ish" is not a date and time');
  await expect(
    scheduleTaskTool.execute({ name: "x", prompt: "p", at: "2029-01-01T00:00:00Z" }, tool.ctx),
  ).rejects.toThrow("is in the past");
  await expect(
    scheduleTaskTool.execute({ name: "x", prompt: "p", cron: "* * 32 * *" }, tool.ctx),
  ).rejects.toThrow(/The cron pattern "\* \* 32 \* \*" is not valid/);
  await expect(updateScheduledTaskTool.execute({ id: "tsk_nope", enabled: true }, tool.ctx)).rejects.toThrow(
    "not found",
  );
  await expect(updateScheduledTaskTool.execute({ id: "tsk_nope" }, tool.ctx)).rejects.toThrow(
    "Nothing to change",
  );
  expect(tasks.list()).toHaveLength(0);
});

test("without the service (no app behind the call) the tools say so", async () => {
  const bare = createTestToolContext();
  try {
    await expect(listScheduledTasksTool.execute({}, bare.ctx)).rejects.toThrow("not available here");
  } finally {
    bare.cleanup();
  }
});
