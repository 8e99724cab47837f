/**
 * The scheduler: fires due tasks while Sage runs (window, tray or --serve), on an injected clock.
 *
 * Contract:
 * - A run is recorded (a history row, status "running") and the task's next run is advanced in ONE
 *   transaction before its turn is submitted: a crash right after cannot run it again, and a kill during
 *   the run leaves the row open, which the next `start()` marks "interrupted" (never lost).
 * - A task never has two runs at once: a run due while the last one still goes on is recorded as
 *   skipped; "Run now" on a running task is a `ConflictError`.
 * - A due time is claimed, not just read: recording its run advances the task's next run only if it is
 *   still the due time this scheduler saw (TaskRepository.startRun's claim). A second Sage process on
 *   the same data folder that read the same due time records nothing and launches nothing.
 * - Missed runs: due times more than LATE_AFTER_MS in the past when Sage looks — at `start()` (Sage was
 *   closed), or when a timer fires late (the computer slept) or work resumes (it was paused) — follow the
 *   task's policy: "skip" records one skipped entry (with how many were missed), "run-once"
 *   runs the task once now. Either way the next run is the first one after now.
 * - Disabled tasks have no next run and never fire; enabling one schedules it from now (the runs it had
 *   while disabled are not "missed").
 * - The timer waits at most MAX_WAIT_MS, so a changed clock or a wake from sleep is noticed soon.
 * - Paused (the tray's "Pause scheduled work", stored): nothing fires on schedule; "Run now" still works.
 */
import { ConflictError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { Logger } from "../core/logger.ts";
import type { RunTrigger, SchedulerStatus, TaskRun } from "../shared/schedule.ts";
import { countOccurrences, MISSED_COUNT_LIMIT, nextRunAfter } from "./next-run.ts";
import type { TaskRecord, TaskRepository } from "./task-repository.ts";
import type { Clock, RunHooks, RunLauncher } from "./types.ts";

/** A timer this late (or a due time this old at start-up) means the run was missed. */
export const LATE_AFTER_MS = 2 * 60_000;
/** Longest single wait of the timer. */
export const MAX_WAIT_MS = 60_000;

export interface SchedulerDeps {
  repo: TaskRepository;
  launcher: RunLauncher;
  clock: Clock;
  logger: Logger;
}

export class Scheduler {
  /** taskId -> the id of its run going on now. */
  readonly #active = new Map<string, string>();
  readonly #pausedListeners = new Set<(paused: boolean) => void>();
  #cancelTimer: (() => void) | undefined;
  #started = false;
  #stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Marks runs a crash left open as interrupted, deals with missed runs, and starts the timer. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const now = this.deps.clock.now();
    for (const run of this.deps.repo.openRuns()) {
      this.deps.repo.updateRun(run.id, {
        status: "interrupted",
        endedAt: now,
        detail: "Sage stopped during this run (it was closed, crashed or was killed).",
      });
    }
    // Due times that passed while Sage was closed are missed (a start within LATE_AFTER_MS of one runs it).
    this.#tick();
  }

  /** Stops the timer; runs going on are recorded as interrupted (their turns are stopped by the sessions). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancelTimer?.();
    this.deps.launcher.dispose();
    const now = this.deps.clock.now();
    for (const runId of this.#active.values()) {
      this.deps.repo.updateRun(runId, {
        status: "interrupted",
        endedAt: now,
        detail: "Sage was closed during this run.",
      });
    }
    this.#active.clear();
  }

  /** Re-reads the tasks' next runs (after a task was added, changed or removed). */
  wake(): void {
    if (this.#started && !this.#stopped) this.#arm();
  }

  get paused(): boolean {
    return this.deps.repo.paused();
  }

  /** Pause or resume scheduled work (stored: a restart keeps it). */
  setPaused(paused: boolean): void {
    this.deps.repo.setPaused(paused, this.deps.clock.now());
    this.deps.logger.info(paused ? "scheduled work paused" : "scheduled work resumed");
    if (!paused) this.#tick();
    else this.#arm();
    for (const listener of this.#pausedListeners) listener(paused);
  }

  /** Hears every pause and resume (the tray's menu item follows it); returns the unsubscribe. */
  onPausedChange(listener: (paused: boolean) => void): () => void {
    this.#pausedListeners.add(listener);
    return () => this.#pausedListeners.delete(listener);
  }

  status(): SchedulerStatus {
    return { paused: this.paused, running: this.#active.size };
  }

  /** Whether the task has a run going on now. */
  isRunning(taskId: string): boolean {
    return this.#active.has(taskId);
  }

  /** Runs the task now, outside its schedule (its next scheduled run stays). */
  runNow(task: TaskRecord): TaskRun {
    if (this.#active.has(task.id))
      throw new ConflictError(`"${task.name}" is running now; wait for the run to end or stop it first.`);
    const runId = this.#fire(task, "manual", null, this.deps.clock.now());
    const run = runId ? this.deps.repo.run(runId) : undefined;
    if (!run) throw new Error(`the run ${runId} was not recorded`);
    return run;
  }

  // ---- internals ------------------------------------------------------------------------------------

  #arm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#stopped || this.paused) return;
    const next = this.deps.repo.earliestNextRun();
    if (next === undefined) return;
    const delay = Math.min(Math.max(next - this.deps.clock.now(), 0), MAX_WAIT_MS);
    this.#cancelTimer = this.deps.clock.setTimer(() => this.#tick(), delay);
  }

  #tick(): void {
    if (this.#stopped) return;
    try {
      if (!this.paused) {
        const now = this.deps.clock.now();
        for (const task of this.deps.repo.due(now)) {
          const dueAt = task.nextRunAt ?? now;
          if (now - dueAt > LATE_AFTER_MS) this.#missed(task, now);
          else this.#fire(task, "schedule", dueAt, now);
        }
      }
    } catch (error) {
      this.deps.logger.error("the scheduler's check failed", error);
    }
    this.#arm();
  }

  /** A due time that passed unseen: the task's policy decides. */
  #missed(task: TaskRecord, now: number): void {
    const firstMissed = task.nextRunAt ?? now;
    const count = countOccurrences(task, firstMissed, now);
    const times =
      count >= MISSED_COUNT_LIMIT
        ? `more than ${MISSED_COUNT_LIMIT} times`
        : count === 1
          ? "once"
          : `${count} times`;
    if (task.missedPolicy === "run-once") {
      this.#fire(task, "missed", firstMissed, now, `Made up for a missed schedule (missed ${times}).`);
      return;
    }
    const recorded = this.deps.repo.startRun(
      {
        id: newId("run"),
        taskId: task.id,
        trigger: "missed",
        scheduledFor: firstMissed,
        startedAt: now,
        endedAt: now,
        status: "skipped",
        detail: `Missed ${times} while Sage was not running, the computer slept or scheduled work was paused; skipped, as the task says.`,
      },
      nextRunAfter(task, now),
      now,
      { expectedNextRunAt: task.nextRunAt },
    );
    if (recorded) this.deps.logger.info(`scheduled task ${task.id}: missed ${times}, skipped`);
    else this.#claimedElsewhere(task);
  }

  /**
   * Records a run, advances the schedule and launches the turn; returns the run's id, or undefined when
   * another process claimed this due time first (then nothing is recorded or launched here).
   */
  #fire(
    task: TaskRecord,
    trigger: RunTrigger,
    scheduledFor: number | null,
    now: number,
    note?: string,
  ): string | undefined {
    const next = trigger === "manual" ? "keep" : nextRunAfter(task, now);
    const claim = trigger === "manual" ? undefined : { expectedNextRunAt: task.nextRunAt };
    const runId = newId("run");
    if (this.#active.has(task.id)) {
      const recorded = this.deps.repo.startRun(
        {
          id: runId,
          taskId: task.id,
          trigger,
          scheduledFor,
          startedAt: now,
          endedAt: now,
          status: "skipped",
          detail: "Skipped: the previous run was still going.",
        },
        next,
        now,
        claim,
      );
      if (!recorded) this.#claimedElsewhere(task);
      return recorded ? runId : undefined;
    }
    const recorded = this.deps.repo.startRun(
      { id: runId, taskId: task.id, trigger, scheduledFor, startedAt: now, status: "running", detail: note },
      next,
      now,
      claim,
    );
    if (!recorded) {
      this.#claimedElsewhere(task);
      return undefined;
    }
    this.#active.set(task.id, runId);
    this.deps.logger.info(`scheduled task ${task.id}: run ${runId} started (${trigger})`);
    try {
      const sessionId = this.deps.launcher.launch(task, runId, this.#hooks(task.id, runId));
      this.deps.repo.updateRun(runId, { sessionId });
      if (task.sessionMode === "same" && task.sessionId !== sessionId)
        this.deps.repo.update(task.id, { sessionId }, now);
    } catch (error) {
      this.#active.delete(task.id);
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.repo.updateRun(runId, { status: "error", endedAt: this.deps.clock.now(), detail: reason });
      this.deps.logger.warn(`scheduled task ${task.id}: run ${runId} could not start: ${reason}`);
    }
    return runId;
  }

  #claimedElsewhere(task: TaskRecord): void {
    this.deps.logger.warn(
      `scheduled task ${task.id}: its due time was claimed by another Sage process on this data folder; not run here`,
    );
  }

  #hooks(taskId: string, runId: string): RunHooks {
    const live = () => !this.#stopped && this.#active.get(taskId) === runId;
    return {
      waiting: (detail) => {
        if (live()) this.deps.repo.updateRun(runId, { status: "waiting", detail });
      },
      resumed: () => {
        if (live()) this.deps.repo.updateRun(runId, { status: "running", detail: null });
      },
      ended: (status, detail) => {
        if (!live()) return;
        this.#active.delete(taskId);
        this.deps.repo.updateRun(runId, {
          status,
          endedAt: this.deps.clock.now(),
          ...(detail !== undefined ? { detail } : status === "completed" ? {} : { detail: null }),
        });
        this.deps.logger.info(`scheduled task ${taskId}: run ${runId} ended (${status})`);
      },
    };
  }
}
