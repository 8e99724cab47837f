/**
 * Scheduled tasks as the API, the Tasks page and the agent tools see them: a prompt that a chosen agent
 * runs at a time ("once") or on a cron pattern ("cron"), in a new chat each time or appended to one chat,
 * and the history of its runs. Times are ms since the epoch.
 */
import { type Static, Type as T } from "@sinclair/typebox";

export const ScheduleKind = T.Union([T.Literal("once"), T.Literal("cron")]);
export type ScheduleKind = Static<typeof ScheduleKind>;

/** "new": every run starts a new chat; "same": every run appends a turn to the task's one chat. */
export const SessionMode = T.Union([T.Literal("new"), T.Literal("same")]);
export type SessionMode = Static<typeof SessionMode>;

/**
 * What happens to runs missed while Sage was closed, the computer slept or scheduled work was paused:
 * "skip" records them as skipped; "run-once" runs the task once, at start (however many were missed).
 */
export const MissedPolicy = T.Union([T.Literal("skip"), T.Literal("run-once")]);
export type MissedPolicy = Static<typeof MissedPolicy>;

/** The fields a user (or an agent) sets; the server fills in the rest. */
export const TaskInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  /** The agent that runs the prompt; the default agent when absent. */
  agentId: T.Optional(T.String({ maxLength: 200 })),
  prompt: T.String({ minLength: 1, maxLength: 20_000 }),
  kind: ScheduleKind,
  /** "once": when to run (ms since the epoch). */
  runAt: T.Optional(T.Number()),
  /** "cron": five (or six, with seconds) space-separated fields, e.g. "0 9 * * 1-5". */
  cron: T.Optional(T.String({ maxLength: 200 })),
  /** IANA time zone of the cron pattern; the computer's own when absent. */
  timezone: T.Optional(T.String({ maxLength: 100 })),
  sessionMode: T.Optional(SessionMode),
  missedPolicy: T.Optional(MissedPolicy),
  enabled: T.Optional(T.Boolean()),
});
export type TaskInput = Static<typeof TaskInput>;

/** A partial update: only the fields given change. */
export const TaskPatch = T.Partial(TaskInput);
export type TaskPatch = Static<typeof TaskPatch>;

export const RunTrigger = T.Union([T.Literal("schedule"), T.Literal("missed"), T.Literal("manual")]);
export type RunTrigger = Static<typeof RunTrigger>;

/**
 * running: the turn runs; waiting: it waits for the user's approval or answer; completed / error /
 * stopped: how the turn ended; interrupted: Sage stopped (quit, crash, kill) during the run; skipped: a
 * missed run not made up for (policy "skip").
 */
export const RunStatus = T.Union([
  T.Literal("running"),
  T.Literal("waiting"),
  T.Literal("completed"),
  T.Literal("error"),
  T.Literal("stopped"),
  T.Literal("interrupted"),
  T.Literal("skipped"),
]);
export type RunStatus = Static<typeof RunStatus>;

export const TaskRun = T.Object({
  id: T.String(),
  taskId: T.String(),
  trigger: RunTrigger,
  /** When the schedule wanted it (absent for "Run now"). */
  scheduledFor: T.Union([T.Number(), T.Null()]),
  startedAt: T.Number(),
  endedAt: T.Union([T.Number(), T.Null()]),
  status: RunStatus,
  /** Why it failed, what it waits for, how many runs were skipped ... */
  detail: T.Union([T.String(), T.Null()]),
  /** The chat of the run (open it to see what happened). */
  sessionId: T.Union([T.String(), T.Null()]),
});
export type TaskRun = Static<typeof TaskRun>;

export const ScheduledTask = T.Object({
  id: T.String(),
  name: T.String(),
  agentId: T.String(),
  prompt: T.String(),
  kind: ScheduleKind,
  runAt: T.Union([T.Number(), T.Null()]),
  cron: T.Union([T.String(), T.Null()]),
  timezone: T.Union([T.String(), T.Null()]),
  sessionMode: SessionMode,
  missedPolicy: MissedPolicy,
  enabled: T.Boolean(),
  /** The "same" chat, once the first run made it. */
  sessionId: T.Union([T.String(), T.Null()]),
  /** When it runs next; null when nothing is due (a one-time task that ran, or a disabled task). */
  nextRunAt: T.Union([T.Number(), T.Null()]),
  /** Who made it: the user on the Tasks page, or an agent from a chat. */
  createdBy: T.Union([T.Literal("user"), T.Literal("agent")]),
  createdAt: T.Number(),
  updatedAt: T.Number(),
  lastRun: T.Union([TaskRun, T.Null()]),
});
export type ScheduledTask = Static<typeof ScheduledTask>;

export const SchedulerStatus = T.Object({
  /** The user paused scheduled work (tray or Tasks page); due runs count as missed until resumed. */
  paused: T.Boolean(),
  /** Runs going on now. */
  running: T.Number(),
});
export type SchedulerStatus = Static<typeof SchedulerStatus>;
