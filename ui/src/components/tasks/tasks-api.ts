/**
 * Calls to the scheduled-tasks API (src/server/routes/scheduled-tasks.ts) through the typed client: each
 * answer has the type the route declares. Failures throw ApiError with the server's message and the field
 * it is about (a bad cron pattern says why), ready to show.
 */

import type { TaskInput, TaskPatch } from "../../../../src/shared/schedule.ts";
import { call } from "../../lib/api-client.ts";

export const tasksApi = {
  list: () => call("GET /api/scheduled-tasks"),
  create: (input: TaskInput) => call("POST /api/scheduled-tasks", { json: input }),
  update: (id: string, patch: TaskPatch) =>
    call("PATCH /api/scheduled-tasks/:id", { params: { id }, json: patch }),
  remove: (id: string) => call("DELETE /api/scheduled-tasks/:id", { params: { id } }),
  runNow: (id: string) => call("POST /api/scheduled-tasks/:id/run", { params: { id } }),
  runs: (id: string) =>
    call("GET /api/scheduled-tasks/:id/runs", { params: { id }, query: { limit: 50 } }).then(
      (body) => body.runs,
    ),
  preview: (cron: string, timezone?: string) =>
    call("POST /api/scheduled-tasks/preview", { json: { cron, ...(timezone ? { timezone } : {}) } }),
  setPaused: (paused: boolean) => call("PUT /api/scheduled-tasks/status", { json: { paused } }),
};
