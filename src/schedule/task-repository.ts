/**
 * SQL for scheduled tasks, their run history and the scheduler's paused flag. Synchronous (bun:sqlite);
 * every task row carries the local user's id. A run row is the durable record of one run: written before
 * the run's turn is submitted, so a crash leaves it open ("running" / "waiting") for the next start to
 * mark interrupted.
 */
import type { Database } from "bun:sqlite";
import { NotFoundError } from "../core/errors.ts";
import type {
  MissedPolicy,
  RunStatus,
  RunTrigger,
  ScheduledTask,
  ScheduleKind,
  SessionMode,
  TaskRun,
} from "../shared/schedule.ts";

/** Runs kept per task; older ones are dropped when a new run is recorded. */
export const RUNS_KEPT = 200;

/** A task as stored (without its last run). */
export type TaskRecord = Omit<ScheduledTask, "lastRun">;

interface TaskRow {
  id: string;
  name: string;
  agent_id: string;
  prompt: string;
  kind: string;
  run_at: number | null;
  cron: string | null;
  timezone: string | null;
  session_mode: string;
  session_id: string | null;
  missed_policy: string;
  enabled: number;
  next_run_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

interface RunRow {
  id: string;
  task_id: string;
  trigger: string;
  scheduled_for: number | null;
  started_at: number;
  ended_at: number | null;
  status: string;
  detail: string | null;
  session_id: string | null;
}

const toTask = (row: TaskRow): TaskRecord => ({
  id: row.id,
  name: row.name,
  agentId: row.agent_id,
  prompt: row.prompt,
  kind: row.kind as ScheduleKind,
  runAt: row.run_at,
  cron: row.cron,
  timezone: row.timezone,
  sessionMode: row.session_mode as SessionMode,
  sessionId: row.session_id,
  missedPolicy: row.missed_policy as MissedPolicy,
  enabled: row.enabled === 1,
  nextRunAt: row.next_run_at,
  createdBy: row.created_by === "agent" ? "agent" : "user",
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRun = (row: RunRow): TaskRun => ({
  id: row.id,
  taskId: row.task_id,
  trigger: row.trigger as RunTrigger,
  scheduledFor: row.scheduled_for,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  status: row.status as RunStatus,
  detail: row.detail,
  sessionId: row.session_id,
});

/** The columns a task update may set (camelCase field -> column). */
const COLUMNS = {
  name: "name",
  agentId: "agent_id",
  prompt: "prompt",
  kind: "kind",
  runAt: "run_at",
  cron: "cron",
  timezone: "timezone",
  sessionMode: "session_mode",
  sessionId: "session_id",
  missedPolicy: "missed_policy",
  enabled: "enabled",
  nextRunAt: "next_run_at",
} as const;
export type TaskFields = Partial<Pick<TaskRecord, keyof typeof COLUMNS>>;

export interface NewRun {
  id: string;
  taskId: string;
  trigger: RunTrigger;
  scheduledFor: number | null;
  startedAt: number;
  status: RunStatus;
  detail?: string | null;
  sessionId?: string | null;
  endedAt?: number | null;
}

/** The prepared statements of the repository. */
function prepare(db: Database) {
  const q = (sql: string) => db.prepare(sql);
  return {
    list: q("SELECT * FROM scheduled_tasks WHERE user_id = ? ORDER BY created_at, id"),
    get: q("SELECT * FROM scheduled_tasks WHERE id = ? AND user_id = ?"),
    insert: q(
      `INSERT INTO scheduled_tasks (id, user_id, name, agent_id, prompt, kind, run_at, cron, timezone,
         session_mode, session_id, missed_policy, enabled, next_run_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    delete: q("DELETE FROM scheduled_tasks WHERE id = ? AND user_id = ?"),
    due: q(
      `SELECT * FROM scheduled_tasks WHERE user_id = ? AND enabled = 1 AND next_run_at IS NOT NULL
         AND next_run_at <= ? ORDER BY next_run_at, id`,
    ),
    earliest: q(
      "SELECT MIN(next_run_at) AS at FROM scheduled_tasks WHERE user_id = ? AND enabled = 1 AND next_run_at IS NOT NULL",
    ),
    claim: q(
      `UPDATE scheduled_tasks SET next_run_at = ?, updated_at = ?
        WHERE id = ? AND user_id = ? AND enabled = 1 AND next_run_at IS ?`,
    ),
    insertRun: q(
      `INSERT INTO scheduled_runs (id, task_id, trigger, scheduled_for, started_at, ended_at, status, detail, session_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    trimRuns: q(
      `DELETE FROM scheduled_runs WHERE task_id = ? AND id NOT IN
         (SELECT id FROM scheduled_runs WHERE task_id = ? ORDER BY started_at DESC, id DESC LIMIT ?)`,
    ),
    runs: q("SELECT * FROM scheduled_runs WHERE task_id = ? ORDER BY started_at DESC, id DESC LIMIT ?"),
    run: q("SELECT * FROM scheduled_runs WHERE id = ?"),
    openRuns: q(
      `SELECT r.* FROM scheduled_runs r JOIN scheduled_tasks t ON t.id = r.task_id
        WHERE t.user_id = ? AND r.status IN ('running', 'waiting') ORDER BY r.started_at`,
    ),
    paused: q("SELECT paused FROM scheduler_state WHERE user_id = ?"),
    setPaused: q(
      `INSERT INTO scheduler_state (user_id, paused, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at`,
    ),
  };
}

export class TaskRepository {
  private readonly statements: ReturnType<typeof prepare>;

  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {
    this.statements = prepare(db);
  }

  list(): TaskRecord[] {
    return (this.statements.list.all(this.userId) as TaskRow[]).map(toTask);
  }

  find(id: string): TaskRecord | undefined {
    const row = this.statements.get.get(id, this.userId) as TaskRow | null;
    return row ? toTask(row) : undefined;
  }

  get(id: string): TaskRecord {
    const task = this.find(id);
    if (!task) throw new NotFoundError("Scheduled task", id);
    return task;
  }

  insert(task: TaskRecord): void {
    this.statements.insert.run(
      task.id,
      this.userId,
      task.name,
      task.agentId,
      task.prompt,
      task.kind,
      task.runAt,
      task.cron,
      task.timezone,
      task.sessionMode,
      task.sessionId,
      task.missedPolicy,
      task.enabled ? 1 : 0,
      task.nextRunAt,
      task.createdBy,
      task.createdAt,
      task.updatedAt,
    );
  }

  update(id: string, fields: TaskFields, now: number): void {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [field, column] of Object.entries(COLUMNS)) {
      if (!(field in fields)) continue;
      const value = fields[field as keyof TaskFields];
      sets.push(`${column} = ?`);
      values.push(typeof value === "boolean" ? (value ? 1 : 0) : (value ?? null));
    }
    if (sets.length === 0) return;
    this.db
      .prepare(`UPDATE scheduled_tasks SET ${sets.join(", ")}, updated_at = ? WHERE id = ? AND user_id = ?`)
      .run(...values, now, id, this.userId);
  }

  delete(id: string): boolean {
    return (this.statements.delete.run(id, this.userId).changes ?? 0) > 0;
  }

  /** Enabled tasks whose next run is at or before `now`, soonest first. */
  due(now: number): TaskRecord[] {
    return (this.statements.due.all(this.userId, now) as TaskRow[]).map(toTask);
  }

  /** The soonest next run of any enabled task, or undefined when none is due ever. */
  earliestNextRun(): number | undefined {
    const row = this.statements.earliest.get(this.userId) as { at: number | null } | null;
    return row?.at ?? undefined;
  }

  /**
   * Records a run and advances the task's next run, in one transaction (a crash cannot run it twice).
   *
   * With `claim` (a run on schedule or a missed one), the task's next run is advanced only if it is
   * still `claim.expectedNextRunAt` (the due time this process read) and the task still enabled: the
   * write is a compare-and-set under SQLite's write lock, so when two processes share the data folder
   * (the instance lock should prevent it, but a lock can be taken over), one claims the due time and
   * the other records nothing and must not launch. Returns whether the run was recorded.
   */
  startRun(
    run: NewRun,
    nextRunAt: number | null | "keep",
    now: number,
    claim?: { expectedNextRunAt: number | null },
  ): boolean {
    return this.db
      .transaction(() => {
        if (claim) {
          if (nextRunAt === "keep") throw new Error("a claimed run must advance the task's next run");
          const claimed = this.statements.claim.run(
            nextRunAt,
            now,
            run.taskId,
            this.userId,
            claim.expectedNextRunAt,
          );
          if ((claimed.changes ?? 0) === 0) return false;
        }
        this.statements.insertRun.run(
          run.id,
          run.taskId,
          run.trigger,
          run.scheduledFor,
          run.startedAt,
          run.endedAt ?? null,
          run.status,
          run.detail ?? null,
          run.sessionId ?? null,
        );
        this.statements.trimRuns.run(run.taskId, run.taskId, RUNS_KEPT);
        if (nextRunAt !== "keep" && !claim) this.update(run.taskId, { nextRunAt }, now);
        return true;
      })
      .immediate();
  }

  updateRun(
    id: string,
    fields: { status?: RunStatus; detail?: string | null; endedAt?: number | null; sessionId?: string },
  ): void {
    const columns = { status: "status", detail: "detail", endedAt: "ended_at", sessionId: "session_id" };
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [field, column] of Object.entries(columns)) {
      const value = fields[field as keyof typeof fields];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(value);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE scheduled_runs SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
  }

  run(id: string): TaskRun | undefined {
    const row = this.statements.run.get(id) as RunRow | null;
    return row ? toRun(row) : undefined;
  }

  /** A task's runs, newest first. */
  runs(taskId: string, limit = 50): TaskRun[] {
    return (this.statements.runs.all(taskId, limit) as RunRow[]).map(toRun);
  }

  /** Runs still marked running or waiting (at start-up: the ones a crash or kill cut short). */
  openRuns(): TaskRun[] {
    return (this.statements.openRuns.all(this.userId) as RunRow[]).map(toRun);
  }

  paused(): boolean {
    const row = this.statements.paused.get(this.userId) as { paused: number } | null;
    return row?.paused === 1;
  }

  setPaused(paused: boolean, now: number): void {
    this.statements.setPaused.run(this.userId, paused ? 1 : 0, now);
  }
}
