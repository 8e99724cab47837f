/**
 * Calls to the scheduled-tasks API (src/server/routes/scheduled-tasks.ts). Failures throw ApiError with
 * the server's message and the field it is about (a bad cron pattern says why), ready to show.
 */

import type {
  ScheduledTask,
  SchedulerStatus,
  TaskInput,
  TaskPatch,
  TaskRun,
} from "../../../../src/shared/schedule.ts";
import { locale } from "../../i18n/index.ts";
import { api } from "../../lib/api.ts";

const one = (id: string) => `/api/scheduled-tasks/${encodeURIComponent(id)}`;

export const tasksApi = {
  list: () => api<{ tasks: ScheduledTask[]; status: SchedulerStatus }>("/api/scheduled-tasks"),
  create: (input: TaskInput) => api<ScheduledTask>("/api/scheduled-tasks", { method: "POST", json: input }),
  update: (id: string, patch: TaskPatch) => api<ScheduledTask>(one(id), { method: "PATCH", json: patch }),
  remove: (id: string) => api<{ deleted: boolean }>(one(id), { method: "DELETE" }),
  runNow: (id: string) => api<TaskRun>(`${one(id)}/run`, { method: "POST" }),
  runs: (id: string) => api<{ runs: TaskRun[] }>(`${one(id)}/runs?limit=50`).then((body) => body.runs),
  preview: (cron: string, timezone?: string) =>
    api<{ cron: string; next: number[] }>("/api/scheduled-tasks/preview", {
      method: "POST",
      json: { cron, ...(timezone ? { timezone } : {}) },
    }),
  setPaused: (paused: boolean) =>
    api<SchedulerStatus>("/api/scheduled-tasks/status", { method: "PUT", json: { paused } }),
};

/** A time as the user reads it (their locale, with the weekday). */
export function formatTime(time: number | null | undefined): string {
  if (time === null || time === undefined) return "—";
  return new Date(time).toLocaleString(locale() === "zh" ? "zh-CN" : undefined, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** ms since the epoch as the value of an <input type="datetime-local"> (local time), and back. */
export function toLocalInput(time: number | null | undefined): string {
  if (time === null || time === undefined) return "";
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? time : undefined;
}
