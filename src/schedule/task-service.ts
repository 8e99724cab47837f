/**
 * Scheduled tasks as the routes and the agent tools use them: list, read, create, change, enable or
 * disable, delete, run now, and the run history. Every write is checked here (the HTTP schemas and the
 * tools' schemas only check shapes): names and prompts are not blank, the agent exists, a one-time
 * task's time is ahead, a cron pattern parses (the error says why not). After a change the scheduler
 * re-reads the next runs.
 */
import { ConflictError, ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { Agent } from "../shared/agent.ts";
import type { ScheduledTask, TaskInput, TaskPatch, TaskRun } from "../shared/schedule.ts";
import { checkSchedule, nextRunAfter, type Schedule } from "./next-run.ts";
import type { Scheduler } from "./scheduler.ts";
import type { TaskFields, TaskRecord, TaskRepository } from "./task-repository.ts";
import type { Clock } from "./types.ts";

/** Most tasks one user may have (an agent in a loop cannot fill the database). */
export const MAX_TASKS = 500;

export interface ScheduledTasksDeps {
  repo: TaskRepository;
  scheduler: Scheduler;
  clock: Clock;
  agents: { find(id: string): Agent | undefined; defaultAgent(): Agent };
}

export class ScheduledTasks {
  constructor(private readonly deps: ScheduledTasksDeps) {}

  list(): ScheduledTask[] {
    return this.deps.repo.list().map((task) => this.#withLastRun(task));
  }

  get(id: string): ScheduledTask {
    return this.#withLastRun(this.deps.repo.get(id));
  }

  /** Runs of a task, newest first. */
  runs(id: string, limit = 50): TaskRun[] {
    this.deps.repo.get(id);
    return this.deps.repo.runs(id, limit);
  }

  create(input: TaskInput, createdBy: "user" | "agent" = "user"): ScheduledTask {
    if (this.deps.repo.list().length >= MAX_TASKS)
      throw new ConflictError(`There are already ${MAX_TASKS} scheduled tasks; delete some first.`);
    const now = this.deps.clock.now();
    const schedule = checkSchedule(
      {
        kind: input.kind,
        runAt: input.runAt ?? null,
        cron: input.cron ?? null,
        timezone: input.timezone ?? null,
      },
      now,
    );
    if (schedule.kind === "once") this.#checkAhead(schedule, now);
    const enabled = input.enabled ?? true;
    const task: TaskRecord = {
      id: newId("tsk"),
      name: this.#text(input.name, "name", "The task needs a name."),
      agentId: this.#agent(input.agentId).id,
      prompt: this.#text(input.prompt, "prompt", "The task needs a prompt: what should the agent do?"),
      ...schedule,
      sessionMode: input.sessionMode ?? "new",
      sessionId: null,
      missedPolicy: input.missedPolicy ?? "skip",
      enabled,
      nextRunAt: enabled ? nextRunAfter(schedule, now) : null,
      createdBy,
      createdAt: now,
      updatedAt: now,
    };
    this.deps.repo.insert(task);
    this.deps.scheduler.wake();
    return this.get(task.id);
  }

  /** Changes the fields given; a new schedule (or enabling) schedules the next run from now. */
  update(id: string, patch: TaskPatch): ScheduledTask {
    const task = this.deps.repo.get(id);
    const now = this.deps.clock.now();
    const fields: TaskFields = {};
    if (patch.name !== undefined) fields.name = this.#text(patch.name, "name", "The task needs a name.");
    if (patch.prompt !== undefined)
      fields.prompt = this.#text(
        patch.prompt,
        "prompt",
        "The task needs a prompt: what should the agent do?",
      );
    if (patch.agentId !== undefined) {
      fields.agentId = this.#agent(patch.agentId).id;
      // The "same" chat belongs to the old agent: the next run starts a new one.
      if (fields.agentId !== task.agentId) fields.sessionId = null;
    }
    if (patch.sessionMode !== undefined) fields.sessionMode = patch.sessionMode;
    if (patch.missedPolicy !== undefined) fields.missedPolicy = patch.missedPolicy;
    const scheduleChanged =
      patch.kind !== undefined ||
      patch.runAt !== undefined ||
      patch.cron !== undefined ||
      patch.timezone !== undefined;
    let schedule: Schedule = task;
    if (scheduleChanged) {
      const kind = patch.kind ?? task.kind;
      schedule = checkSchedule(
        {
          kind,
          runAt: patch.runAt ?? (kind === task.kind ? task.runAt : null),
          cron: patch.cron ?? (kind === task.kind ? task.cron : null),
          timezone: patch.timezone ?? (kind === task.kind ? task.timezone : null),
        },
        now,
      );
      if (schedule.kind === "once" && schedule.runAt !== task.runAt) this.#checkAhead(schedule, now);
      Object.assign(fields, schedule);
    }
    const enabled = patch.enabled ?? task.enabled;
    fields.enabled = enabled;
    if (!enabled) fields.nextRunAt = null;
    else if (scheduleChanged || !task.enabled) fields.nextRunAt = nextRunAfter(schedule, now);
    this.deps.repo.update(id, fields, now);
    this.deps.scheduler.wake();
    return this.get(id);
  }

  setEnabled(id: string, enabled: boolean): ScheduledTask {
    return this.update(id, { enabled });
  }

  /** Deletes the task and its history; a run going on finishes in its chat, unrecorded. */
  delete(id: string): void {
    this.deps.repo.get(id);
    this.deps.repo.delete(id);
    this.deps.scheduler.wake();
  }

  /** Whether the user paused scheduled work. */
  paused(): boolean {
    return this.deps.scheduler.paused;
  }

  runNow(id: string): TaskRun {
    return this.deps.scheduler.runNow(this.deps.repo.get(id));
  }

  #withLastRun(task: TaskRecord): ScheduledTask {
    return { ...task, lastRun: this.deps.repo.runs(task.id, 1)[0] ?? null };
  }

  #text(value: string, field: string, message: string): string {
    const text = value.trim();
    if (!text) throw new ValidationError(message, field);
    return text;
  }

  #agent(agentId: string | undefined): Agent {
    if (agentId === undefined || agentId === "") return this.deps.agents.defaultAgent();
    const agent = this.deps.agents.find(agentId);
    if (!agent) throw new ValidationError(`There is no agent with the id "${agentId}".`, "agentId");
    return agent;
  }

  #checkAhead(schedule: Schedule, now: number): void {
    if ((schedule.runAt ?? 0) <= now)
      throw new ValidationError(
        `The time to run at (${new Date(schedule.runAt ?? 0).toISOString()}) is in the past; pick a time ahead.`,
        "runAt",
      );
  }
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** The scheduled tasks, for the scheduled-task tools (wired in src/app/lifecycle.ts). */
    scheduledTasks?: ScheduledTasks;
  }
}
