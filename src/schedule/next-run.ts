/**
 * When a task runs next, and whether its schedule is valid. Cron patterns are parsed by `croner`
 * (five fields, or six with seconds first; ranges, steps, lists, names like MON and JAN, nicknames like
 * "@daily"). A bad pattern or time zone is a `ValidationError` on the field, with croner's reason in
 * plain words, so the Tasks page and an agent's tool call can say why.
 */
import { Cron } from "croner";
import { ValidationError } from "../core/errors.ts";
import type { ScheduleKind } from "../shared/schedule.ts";

export interface Schedule {
  kind: ScheduleKind;
  runAt: number | null;
  cron: string | null;
  timezone: string | null;
}

/** More missed occurrences than this are counted as "more than" (the count is for the history's words). */
export const MISSED_COUNT_LIMIT = 1000;

/** croner's messages start with "CronPattern: " / "CronDate: " and may embed the original error. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^Cron(Pattern|Date|Options)?:\s*/i, "")
    .replace(/\s*Original error:.*$/s, "")
    .trim();
}

function cronOf(pattern: string, timezone: string | null): Cron {
  try {
    return new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) });
  } catch (error) {
    throw new ValidationError(`The cron pattern "${pattern}" is not valid: ${reasonOf(error)}`, "cron");
  }
}

/**
 * Checks a schedule and returns it normalised (trimmed pattern, fields of the other kind cleared).
 * Throws a `ValidationError` naming the field: a missing time or pattern, a pattern croner refuses, a
 * time zone it cannot use, or a pattern that never fires.
 */
export function checkSchedule(schedule: Schedule, now: number): Schedule {
  if (schedule.kind === "once") {
    if (schedule.runAt === null || !Number.isFinite(schedule.runAt))
      throw new ValidationError("A one-time task needs the time to run at.", "runAt");
    return { kind: "once", runAt: Math.round(schedule.runAt), cron: null, timezone: null };
  }
  const pattern = schedule.cron?.trim().replace(/\s+/g, " ") ?? "";
  if (!pattern)
    throw new ValidationError('A recurring task needs a cron pattern, e.g. "0 9 * * 1-5".', "cron");
  const timezone = schedule.timezone?.trim() || null;
  const cron = cronOf(pattern, timezone);
  let next: Date | null;
  try {
    next = cron.nextRun(new Date(now));
  } catch (error) {
    throw new ValidationError(`The time zone "${timezone}" is not valid: ${reasonOf(error)}`, "timezone");
  }
  if (!next)
    throw new ValidationError(`The cron pattern "${pattern}" never fires (no future date matches).`, "cron");
  return { kind: "cron", runAt: null, cron: pattern, timezone };
}

/**
 * The first run strictly after `after`: a one-time task's time when it is still ahead, else null; a
 * cron task's next occurrence. A schedule that cannot be read any more (stored before a croner change)
 * gives null rather than throwing: the task then simply is not due.
 */
export function nextRunAfter(schedule: Schedule, after: number): number | null {
  if (schedule.kind === "once")
    return schedule.runAt !== null && schedule.runAt > after ? schedule.runAt : null;
  if (!schedule.cron) return null;
  try {
    return cronOf(schedule.cron, schedule.timezone).nextRun(new Date(after))?.getTime() ?? null;
  } catch {
    return null;
  }
}

/** How many occurrences fall in (from - 1, to]: the runs a cron task missed (1 for a one-time task). */
export function countOccurrences(schedule: Schedule, from: number, to: number): number {
  if (schedule.kind === "once" || !schedule.cron) return 1;
  let count = 0;
  let at = from - 1;
  for (;;) {
    const next = nextRunAfter(schedule, at);
    if (next === null || next > to || count >= MISSED_COUNT_LIMIT) return count;
    count += 1;
    at = next;
  }
}

/** The next `count` run times after `after` (the Tasks page previews a pattern with them). */
export function upcomingRuns(schedule: Schedule, after: number, count: number): number[] {
  const runs: number[] = [];
  let at = after;
  for (let i = 0; i < count; i++) {
    const next = nextRunAfter(schedule, at);
    if (next === null) break;
    runs.push(next);
    at = next;
  }
  return runs;
}
