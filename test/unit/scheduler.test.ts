/**
 * The scheduler on a fake clock and a real (temporary) database: cron tasks fire on schedule, one-time
 * tasks fire once, disabled tasks never, no task runs twice at once, missed runs follow the task's
 * policy after a restart and after a sleep, open runs left by a crash become interrupted, pause holds
 * everything back; and the task service's checks (a bad cron pattern says why).
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
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
/** 2026-01-05 00:00 UTC (a Monday). */
const START = Date.UTC(2026, 0, 5, 0, 0, 0);

class FakeLauncher implements RunLauncher {
  readonly launched: { taskId: string; runId: string; hooks: RunHooks; sessionId: string }[] = [];
  failWith: string | undefined;
  disposed = false;
  launch(task: TaskRecord, runId: string, hooks: RunHooks): string {
    if (this.failWith) throw new Error(this.failWith);
    const sessionId =
      task.sessionMode === "same" && task.sessionId ? task.sessionId : `ses_${this.launched.length + 1}`;
    this.launched.push({ taskId: task.id, runId, hooks, sessionId });
    return sessionId;
  }
  dispose(): void {
    this.disposed = true;
  }
  /** Ends every open launch as completed. */
  completeAll(): void {
    for (const launch of this.launched) launch.hooks.ended("completed");
  }
}

const agent = { id: "agt_1", config: { name: "Helper" } } as unknown as Agent;
const agents = { find: (id: string) => (id === agent.id ? agent : undefined), defaultAgent: () => agent };

let dir: string;
let db: Database;
let clock: FakeClock;
let launcher: FakeLauncher;
let repo: TaskRepository;
let scheduler: Scheduler;
let tasks: ScheduledTasks;

/** A scheduler (and task service) over the same database: a fresh one is a "restart". */
function boot(): void {
  launcher = new FakeLauncher();
  const user = ensureLocalUser(db);
  repo = new TaskRepository(db, user.id);
  scheduler = new Scheduler({ repo, launcher, clock, logger: silentLogger });
  tasks = new ScheduledTasks({ repo, scheduler, clock, agents });
  scheduler.start();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-scheduler-"));
  db = openDatabase(join(dir, "sage.db")).db;
  clock = new FakeClock(START);
  boot();
});

afterEach(() => {
  scheduler.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const cronTask = (cron: string, extra: Partial<Parameters<ScheduledTasks["create"]>[0]> = {}) =>
  tasks.create({ name: "Report", prompt: "Write the report", kind: "cron", cron, timezone: "UTC", ...extra });

describe("firing", () => {
  test("a cron task fires at each matching minute and not between", () => {
    const task = cronTask("*/15 * * * *");
    expect(task.nextRunAt).toBe(START + 15 * MINUTE);
    clock.advance(14 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    clock.advance(1 * MINUTE);
    expect(launcher.launched).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      launcher.completeAll();
      clock.advance(15 * MINUTE);
    }
    expect(launcher.launched).toHaveLength(4);
    const runs = tasks.runs(task.id);
    expect(runs.map((run) => run.scheduledFor)).toEqual([
      START + 60 * MINUTE,
      START + 45 * MINUTE,
      START + 30 * MINUTE,
      START + 15 * MINUTE,
    ]);
    expect(runs.every((run) => run.trigger === "schedule")).toBe(true);
    expect(tasks.get(task.id).nextRunAt).toBe(START + 75 * MINUTE);
  });

  test("a run's history entry has its start, end, outcome and chat", () => {
    const task = cronTask("*/15 * * * *");
    clock.advance(15 * MINUTE);
    const [launch] = launcher.launched;
    let [run] = tasks.runs(task.id);
    expect(run).toMatchObject({
      status: "running",
      startedAt: START + 15 * MINUTE,
      endedAt: null,
      sessionId: "ses_1",
    });
    launch?.hooks.waiting("Waiting for your approval: rm -rf build");
    expect(tasks.runs(task.id)[0]).toMatchObject({
      status: "waiting",
      detail: "Waiting for your approval: rm -rf build",
    });
    launch?.hooks.resumed();
    clock.advance(MINUTE);
    launch?.hooks.ended("error", "The model is not reachable");
    [run] = tasks.runs(task.id);
    expect(run).toMatchObject({
      status: "error",
      detail: "The model is not reachable",
      endedAt: START + 16 * MINUTE,
      sessionId: "ses_1",
    });
    expect(tasks.get(task.id).lastRun?.id).toBe(run?.id);
  });

  test("a one-time task fires once, at its time", () => {
    const task = tasks.create({ name: "Once", prompt: "Do it", kind: "once", runAt: START + 90 * MINUTE });
    clock.advance(89 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    clock.advance(MINUTE);
    expect(launcher.launched).toHaveLength(1);
    launcher.completeAll();
    clock.advance(24 * 60 * MINUTE);
    expect(launcher.launched).toHaveLength(1);
    expect(tasks.get(task.id).nextRunAt).toBeNull();
    expect(clock.pending).toBe(0);
  });

  test("a disabled task never fires; enabling schedules it from now, with no catch-up", () => {
    const task = cronTask("*/10 * * * *", { enabled: false });
    expect(task.nextRunAt).toBeNull();
    clock.advance(60 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    const enabled = tasks.setEnabled(task.id, true);
    expect(enabled.nextRunAt).toBe(START + 70 * MINUTE);
    clock.advance(5 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    clock.advance(5 * MINUTE);
    expect(launcher.launched).toHaveLength(1);
    tasks.setEnabled(task.id, false);
    launcher.completeAll();
    clock.advance(60 * MINUTE);
    expect(launcher.launched).toHaveLength(1);
  });

  test("a run due while the previous one still goes on is skipped, not run twice", () => {
    const task = cronTask("* * * * *");
    clock.advance(MINUTE);
    clock.advance(MINUTE);
    expect(launcher.launched).toHaveLength(1);
    const [latest, first] = tasks.runs(task.id);
    expect(first?.status).toBe("running");
    expect(latest).toMatchObject({ status: "skipped", detail: "Skipped: the previous run was still going." });
    expect(() => tasks.runNow(task.id)).toThrow(/is running now/);
    launcher.completeAll();
    const manual = tasks.runNow(task.id);
    expect(manual).toMatchObject({ trigger: "manual", status: "running", scheduledFor: null });
    expect(launcher.launched).toHaveLength(2);
    // Run now leaves the schedule alone.
    expect(tasks.get(task.id).nextRunAt).toBe(START + 3 * MINUTE);
  });

  test("a run whose turn cannot start is recorded as an error, and the next one still comes", () => {
    const task = cronTask("*/5 * * * *");
    launcher.failWith = "The agent has no model";
    clock.advance(5 * MINUTE);
    expect(tasks.runs(task.id)[0]).toMatchObject({ status: "error", detail: "The agent has no model" });
    launcher.failWith = undefined;
    clock.advance(5 * MINUTE);
    expect(tasks.runs(task.id)[0]?.status).toBe("running");
  });

  test("a task deleted before its time never fires", () => {
    const task = cronTask("*/5 * * * *");
    tasks.delete(task.id);
    clock.advance(30 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    expect(() => tasks.get(task.id)).toThrow(/not found/);
  });
});

describe("missed runs and restarts", () => {
  test("policy skip: runs missed while Sage was closed are recorded as one skipped entry", () => {
    const task = cronTask("0 * * * *", { missedPolicy: "skip" });
    scheduler.stop();
    clock.jumpTo(START + 5 * 60 * MINUTE + 30 * MINUTE); // 05:30, five hours missed
    boot();
    expect(launcher.launched).toHaveLength(0);
    const [skipped] = tasks.runs(task.id);
    expect(skipped).toMatchObject({
      trigger: "missed",
      status: "skipped",
      scheduledFor: START + 60 * MINUTE,
    });
    expect(skipped?.detail).toContain("Missed 5 times");
    expect(tasks.get(task.id).nextRunAt).toBe(START + 6 * 60 * MINUTE);
    clock.advance(30 * MINUTE);
    expect(launcher.launched).toHaveLength(1);
  });

  test("policy run-once: missed runs are made up for once at start, then the schedule goes on", () => {
    const task = cronTask("0 * * * *", { missedPolicy: "run-once" });
    scheduler.stop();
    clock.jumpTo(START + 3 * 60 * MINUTE + 10 * MINUTE);
    boot();
    expect(launcher.launched).toHaveLength(1);
    expect(tasks.runs(task.id)[0]).toMatchObject({ trigger: "missed", status: "running" });
    expect(tasks.runs(task.id)[0]?.detail).toContain("missed 3 times");
    launcher.completeAll();
    expect(tasks.get(task.id).nextRunAt).toBe(START + 4 * 60 * MINUTE);
    clock.advance(50 * MINUTE);
    expect(launcher.launched).toHaveLength(2);
  });

  test("a one-time task missed while closed: run-once runs it, skip does not", () => {
    const kept = tasks.create({
      name: "A",
      prompt: "p",
      kind: "once",
      runAt: START + MINUTE,
      missedPolicy: "run-once",
    });
    const dropped = tasks.create({ name: "B", prompt: "p", kind: "once", runAt: START + MINUTE });
    scheduler.stop();
    clock.jumpTo(START + 60 * MINUTE);
    boot();
    expect(launcher.launched.map((launch) => launch.taskId)).toEqual([kept.id]);
    expect(tasks.runs(dropped.id)[0]?.status).toBe("skipped");
    expect(tasks.get(kept.id).nextRunAt).toBeNull();
    expect(tasks.get(dropped.id).nextRunAt).toBeNull();
  });

  test("a start just after a due time (within the grace) runs it on schedule, not as missed", () => {
    const task = cronTask("0 * * * *", { missedPolicy: "skip" });
    scheduler.stop();
    clock.jumpTo(START + 60 * MINUTE + 30_000); // 30 s after 01:00
    boot();
    expect(launcher.launched).toHaveLength(1);
    expect(tasks.runs(task.id)[0]).toMatchObject({
      trigger: "schedule",
      status: "running",
      scheduledFor: START + 60 * MINUTE,
    });
  });

  test("a computer that slept past a run: the late timer follows the policy", () => {
    const skip = cronTask("0 * * * *", { missedPolicy: "skip" });
    const catchUp = cronTask("0 * * * *", { missedPolicy: "run-once", name: "Catch up" });
    clock.jumpTo(START + 2 * 60 * MINUTE + 20 * MINUTE); // slept through 01:00 and 02:00
    clock.advance(MAX_WAIT);
    expect(launcher.launched.map((launch) => launch.taskId)).toEqual([catchUp.id]);
    expect(tasks.runs(skip.id)[0]?.detail).toContain("Missed 2 times");
  });

  test("a run open when Sage died is marked interrupted at the next start, not lost", () => {
    const task = cronTask("*/5 * * * *");
    clock.advance(5 * MINUTE);
    expect(tasks.runs(task.id)[0]?.status).toBe("running");
    // A kill: nothing is stopped cleanly; a new scheduler opens the same database.
    boot();
    const [run] = tasks.runs(task.id);
    expect(run?.status).toBe("interrupted");
    expect(run?.detail).toContain("Sage stopped during this run");
    expect(run?.sessionId).toBe("ses_1");
  });

  test("quitting during a run records it as interrupted", () => {
    const task = cronTask("*/5 * * * *");
    clock.advance(5 * MINUTE);
    scheduler.stop();
    expect(launcher.disposed).toBe(true);
    expect(tasks.runs(task.id)[0]).toMatchObject({
      status: "interrupted",
      detail: "Sage was closed during this run.",
    });
  });

  test("paused: nothing fires on schedule; resuming after the due time follows the policy; the flag survives a restart", () => {
    const task = cronTask("*/10 * * * *", { missedPolicy: "run-once" });
    scheduler.setPaused(true);
    clock.advance(30 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    boot();
    expect(scheduler.paused).toBe(true);
    expect(launcher.launched).toHaveLength(0);
    scheduler.setPaused(false);
    expect(launcher.launched).toHaveLength(1);
    expect(tasks.runs(task.id)[0]?.trigger).toBe("missed");
    expect(tasks.runs(task.id)[0]?.detail).toContain("missed 3 times");
  });
});

describe("checks", () => {
  test("a bad cron pattern is refused with the reason, on the cron field", () => {
    expect(() => cronTask("61 * * * *")).toThrow(/The cron pattern "61 \* \* \* \*" is not valid: .*minute/);
    expect(() => cronTask("every day")).toThrow(/exactly five, six, or seven space separated parts/);
    try {
      cronTask("* * *");
    } catch (error) {
      expect((error as { name: string; field?: string }).name).toBe("ValidationError");
      expect((error as { field?: string }).field).toBe("cron");
    }
    expect(() => cronTask("0 9 * * *", { timezone: "Mars/Olympus" })).toThrow(/time zone "Mars\/Olympus"/);
    expect(() => cronTask("0 0 30 2 *")).toThrow(/never fires/);
    expect(tasks.list()).toHaveLength(0);
  });

  test("one-time tasks need a time ahead; names, prompts and agents are checked", () => {
    expect(() => tasks.create({ name: "x", prompt: "p", kind: "once" })).toThrow(/needs the time/);
    expect(() => tasks.create({ name: "x", prompt: "p", kind: "once", runAt: START - 1 })).toThrow(
      /in the past/,
    );
    expect(() => tasks.create({ name: "  ", prompt: "p", kind: "cron", cron: "* * * * *" })).toThrow(
      /needs a name/,
    );
    expect(() => tasks.create({ name: "x", prompt: " ", kind: "cron", cron: "* * * * *" })).toThrow(
      /needs a prompt/,
    );
    expect(() =>
      tasks.create({ name: "x", prompt: "p", kind: "cron", cron: "* * * * *", agentId: "agt_gone" }),
    ).toThrow(/no agent with the id "agt_gone"/);
    expect(tasks.create({ name: "x", prompt: "p", kind: "cron", cron: "* * * * *" }).agentId).toBe(agent.id);
  });

  test("changing the schedule reschedules from now; a bad change leaves the task as it was", () => {
    const task = cronTask("0 * * * *");
    expect(() => tasks.update(task.id, { cron: "0 25 * * *" })).toThrow(/hour/);
    expect(tasks.get(task.id).cron).toBe("0 * * * *");
    const changed = tasks.update(task.id, { cron: "*/5 * * * *" });
    expect(changed.nextRunAt).toBe(START + 5 * MINUTE);
    const once = tasks.update(task.id, { kind: "once", runAt: START + 7 * MINUTE });
    expect(once).toMatchObject({ kind: "once", cron: null, nextRunAt: START + 7 * MINUTE });
    clock.advance(5 * MINUTE);
    expect(launcher.launched).toHaveLength(0);
    clock.advance(2 * MINUTE);
    expect(launcher.launched).toHaveLength(1);
  });

  test('"same" mode keeps the chat of the first run for the next ones', () => {
    const task = cronTask("*/5 * * * *", { sessionMode: "same" });
    clock.advance(5 * MINUTE);
    launcher.completeAll();
    expect(tasks.get(task.id).sessionId).toBe("ses_1");
    clock.advance(5 * MINUTE);
    expect(launcher.launched.map((launch) => launch.sessionId)).toEqual(["ses_1", "ses_1"]);
  });
});

const MAX_WAIT = 60_000;
