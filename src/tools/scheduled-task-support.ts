/**
 * Shared plumbing of the scheduled-task tools (list, add, update, delete): finding the app's task
 * service among the tool services, reading the model's times, and describing tasks in plain text.
 * The service does every check; its `ValidationError`s (a bad cron pattern with the parser's reason, a
 * time in the past ...) reach the model as the tool's error.
 */

import { type ToolContext, ToolError } from "../agent/tool-contract.ts";
import type { ScheduledTasks } from "../schedule/task-service.ts";
import type { ScheduledTask } from "../shared/schedule.ts";

export function requireScheduledTasks(ctx: Pick<ToolContext, "services">): ScheduledTasks {
  const tasks = ctx.services.scheduledTasks;
  if (!tasks) throw new ToolError("Scheduled tasks are not available here.");
  return tasks;
}

/** An ISO 8601 date-time from the model ("2026-12-24T09:00", local time without an offset) as ms. */
export function parseTime(value: string, field: string): number {
  const time = Date.parse(value.trim());
  if (!Number.isFinite(time))
    throw new ToolError(
      `${field} "${value}" is not a date and time; use ISO 8601, e.g. "2026-12-24T09:00" (local time) or "2026-12-24T08:00:00Z".`,
    );
  return time;
}

const when = (time: number | null) => (time === null ? "—" : new Date(time).toString());

/** The task in a few lines the model can read back (and quote to the user). */
export function describeTask(task: ScheduledTask): string {
  const schedule =
    task.kind === "once"
      ? `once, at ${when(task.runAt)}`
      : `cron "${task.cron}"${task.timezone ? ` (${task.timezone})` : " (local time)"}`;
  const last = task.lastRun
    ? `${task.lastRun.status} at ${when(task.lastRun.startedAt)}${task.lastRun.sessionId ? ` (chat ${task.lastRun.sessionId})` : ""}`
    : "never ran";
  return [
    `- ${task.name} [${task.id}] ${task.enabled ? "enabled" : "disabled"}`,
    `  schedule: ${schedule}; next run: ${when(task.nextRunAt)}`,
    `  agent: ${task.agentId}; chat: ${task.sessionMode === "same" ? "one chat for every run" : "a new chat each run"}; missed runs: ${task.missedPolicy}`,
    `  last run: ${last}`,
    `  prompt: ${task.prompt.length > 300 ? `${task.prompt.slice(0, 300)}…` : task.prompt}`,
  ].join("\n");
}

/** What the tools return in `details` (the tool card can show it). */
export function taskDetails(task: ScheduledTask): Record<string, unknown> {
  return { taskId: task.id, name: task.name, enabled: task.enabled, nextRunAt: task.nextRunAt };
}
