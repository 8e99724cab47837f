/**
 * Two schedulers on one data folder (two Sage processes, which the instance lock should prevent but
 * which a taken-over lock can let happen): a due time is claimed in the database, so a task never runs
 * twice. Each "process" has its own database connection, clock and launcher; the race is made real by
 * letting the other process fire between this one reading the due tasks and recording its run.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src/core/logger.ts";
import { ensureLocalUser } from "../../src/core/user.ts";
import { Scheduler } from "../../src/schedule/scheduler.ts";
import { type TaskRecord, TaskRepository } from "../../src/schedule/task-repository.ts";
import { ScheduledTasks } from "../../src/schedule/task-service.ts";
import type { RunHooks, RunLauncher } from "../../src/schedule/types.ts";
import type { Agent } from "../../src/shared/agent.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { FakeClock } from "../support/fake-clock.ts";

const MINUTE = 60_000;
/** 2026-01-05 00:00 UTC. */
const START = Date.UTC(2026, 0, 5, 0, 0, 0);

class CountingLauncher implements RunLauncher {
  readonly launched: { taskId: string; runId: string; hooks: RunHooks }[] = [];
  launch(task: TaskRecord, runId: string, hooks: RunHooks): string {
    this.launched.push({ taskId: task.id, runId, hooks });
    return `ses_${runId}`;
  }
  dispose(): void {}
}

/**
 * A repository whose `due` lets something happen after a read that found due tasks (the other
 * process's turn), once.
 */
class RacingRepository extends TaskRepository {
  afterDueRead: (() => void) | undefined;
  override due(now: number): TaskRecord[] {
    const rows = super.due(now);
    if (rows.length === 0) return rows;
    const between = this.afterDueRead;
    this.afterDueRead = undefined;
    between?.();
    return rows;
  }
}

interface Process {
  db: Database;
  clock: FakeClock;
  launcher: CountingLauncher;
  repo: RacingRepository;
  scheduler: Scheduler;
  tasks: ScheduledTasks;
}

const agent = { id: "agt_1", config: { name: "Helper" } } as unknown as Agent;
const agents = { find: (id: string) => (id === agent.id ? agent : undefined), defaultAgent: () => agent };

let dir: string;
const processes: Process[] = [];

function open(at: number): Process {
  const db = openDatabase(join(dir, "sage.db")).db;
  const clock = new FakeClock(at);
  const launcher = new CountingLauncher();
  const repo = new RacingRepository(db, ensureLocalUser(db).id);
  const scheduler = new Scheduler({ repo, launcher, clock, logger: silentLogger });
  const tasks = new ScheduledTasks({ repo, scheduler, clock, agents });
  const process = { db, clock, launcher, repo, scheduler, tasks };
  processes.push(process);
  return process;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-scheduler-2p-"));
});

afterEach(() => {
  for (const p of processes.splice(0)) {
    p.scheduler.stop();
    closeDatabase(p.db);
  }
  rmSync(dir, { recursive: true, force: true });
});

const launches = (...ps: Process[]) => ps.reduce((sum, p) => sum + p.launcher.launched.length, 0);

test("a due time read by both processes is run by one: the other records and launches nothing", () => {
  const a = open(START);
  const b = open(START);
  a.scheduler.start();
  b.scheduler.start();
  const task = a.tasks.create({
    name: "Report",
    prompt: "Write the report",
    kind: "cron",
    cron: "*/15 * * * *",
    timezone: "UTC",
  });
  b.scheduler.wake();

  // B reads the due task; before it records the run, A fires the same due time.
  b.repo.afterDueRead = () => a.clock.advance(15 * MINUTE);
  b.clock.advance(15 * MINUTE);

  expect(a.launcher.launched).toHaveLength(1);
  expect(b.launcher.launched).toHaveLength(0);
  const runs = a.tasks.runs(task.id);
  expect(runs.map((run) => [run.status, run.scheduledFor])).toEqual([["running", START + 15 * MINUTE]]);
  expect(a.tasks.get(task.id).nextRunAt).toBe(START + 30 * MINUTE);

  // The next due time is claimed by whichever process comes first, again once.
  a.launcher.launched[0]?.hooks.ended("completed");
  a.repo.afterDueRead = () => b.clock.advance(15 * MINUTE);
  a.clock.advance(15 * MINUTE);
  expect(launches(a, b)).toBe(2);
  expect(b.launcher.launched).toHaveLength(1);
  expect(a.tasks.runs(task.id).map((run) => run.scheduledFor)).toEqual([
    START + 30 * MINUTE,
    START + 15 * MINUTE,
  ]);
});

test("missed runs at start-up follow the policy once, whichever process starts second", () => {
  const setup = open(START);
  setup.scheduler.start();
  const runOnce = setup.tasks.create({
    name: "Run once",
    prompt: "Catch up",
    kind: "cron",
    cron: "0 * * * *",
    timezone: "UTC",
    missedPolicy: "run-once",
  });
  const skip = setup.tasks.create({
    name: "Skip",
    prompt: "Never mind",
    kind: "cron",
    cron: "0 * * * *",
    timezone: "UTC",
    missedPolicy: "skip",
  });
  setup.scheduler.stop();

  // Both start three hours later; B's start reads the missed tasks, then A starts and deals with them.
  const later = START + 3 * 60 * MINUTE + 5 * MINUTE;
  const a = open(later);
  const b = open(later);
  b.repo.afterDueRead = () => a.scheduler.start();
  b.scheduler.start();

  expect(launches(a, b)).toBe(1);
  expect(a.launcher.launched.map((l) => l.taskId)).toEqual([runOnce.id]);
  expect(a.tasks.runs(runOnce.id).map((run) => [run.trigger, run.status])).toEqual([["missed", "running"]]);
  expect(a.tasks.runs(skip.id).map((run) => [run.trigger, run.status])).toEqual([["missed", "skipped"]]);
  expect(a.tasks.get(skip.id).nextRunAt).toBe(START + 4 * 60 * MINUTE);
});

test("a task disabled between the read and the claim does not run", () => {
  const a = open(START);
  const b = open(START);
  a.scheduler.start();
  const task = a.tasks.create({
    name: "Report",
    prompt: "Write the report",
    kind: "cron",
    cron: "*/15 * * * *",
    timezone: "UTC",
  });
  b.scheduler.start();
  // B reads the due task; meanwhile the user disables it in A.
  b.repo.afterDueRead = () => a.tasks.update(task.id, { enabled: false });
  b.clock.advance(15 * MINUTE);
  expect(launches(a, b)).toBe(0);
  expect(a.tasks.runs(task.id)).toEqual([]);
  expect(a.tasks.get(task.id)).toMatchObject({ enabled: false, nextRunAt: null });
});

test("Run now is not a claim: it runs beside the schedule and keeps the next run", () => {
  const a = open(START);
  a.scheduler.start();
  const task = a.tasks.create({
    name: "Report",
    prompt: "Write the report",
    kind: "cron",
    cron: "*/15 * * * *",
    timezone: "UTC",
  });
  const run = a.tasks.runNow(task.id);
  expect(run).toMatchObject({ trigger: "manual", status: "running" });
  expect(a.tasks.get(task.id).nextRunAt).toBe(START + 15 * MINUTE);
});
