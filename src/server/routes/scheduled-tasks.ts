/**
 * /api/scheduled-tasks: the Tasks page's API — list, create, read, change (including enable / disable),
 * delete, run now, a task's run history, a cron pattern's preview, and pausing or resuming all
 * scheduled work (the tray does the same). Bodies are checked by shape here and by meaning in
 * ScheduledTasks (src/schedule/task-service.ts), whose `ValidationError`s name the field and say why
 * (a bad cron pattern quotes the parser's reason).
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { checkSchedule, upcomingRuns } from "../../schedule/next-run.ts";
import { ScheduledTask, SchedulerStatus, TaskInput, TaskPatch, TaskRun } from "../../shared/schedule.ts";

const id = t.String({ minLength: 1, maxLength: 200 });

export function scheduledTaskRoutes(app: AppContext) {
  const tasks = app.scheduledTasks;
  return new Elysia({ name: "scheduled-tasks", prefix: "/api/scheduled-tasks", detail: { tags: ["tasks"] } })
    .get("/", () => ({ tasks: tasks.list(), status: app.scheduler.status() }), {
      response: t.Object({ tasks: t.Array(ScheduledTask), status: SchedulerStatus }),
      detail: {
        summary: "Scheduled tasks, oldest first, each with its last run; and whether work is paused",
      },
    })
    .post(
      "/",
      ({ body, set }) => {
        set.status = 201;
        return tasks.create(body, "user");
      },
      { body: TaskInput, response: { 201: ScheduledTask }, detail: { summary: "Create a scheduled task" } },
    )
    .post(
      "/preview",
      ({ body }) => {
        const now = Date.now();
        const schedule = checkSchedule(
          { kind: "cron", runAt: null, cron: body.cron, timezone: body.timezone ?? null },
          now,
        );
        return { cron: schedule.cron ?? body.cron, next: upcomingRuns(schedule, now, 3) };
      },
      {
        body: t.Object({
          cron: t.String({ maxLength: 200 }),
          timezone: t.Optional(t.String({ maxLength: 100 })),
        }),
        response: t.Object({ cron: t.String(), next: t.Array(t.Number()) }),
        detail: {
          summary: "Check a cron pattern: its next three run times, or a 400 saying why it is not valid",
        },
      },
    )
    .get("/status", () => app.scheduler.status(), {
      response: SchedulerStatus,
      detail: { summary: "Whether scheduled work is paused, and how many runs go on now" },
    })
    .put(
      "/status",
      ({ body }) => {
        app.scheduler.setPaused(body.paused);
        return app.scheduler.status();
      },
      {
        body: t.Object({ paused: t.Boolean() }),
        response: SchedulerStatus,
        detail: { summary: "Pause or resume all scheduled work (runs due while paused count as missed)" },
      },
    )
    .get("/:id", ({ params }) => tasks.get(params.id), {
      params: t.Object({ id }),
      response: ScheduledTask,
      detail: { summary: "One scheduled task" },
    })
    .patch("/:id", ({ params, body }) => tasks.update(params.id, body), {
      params: t.Object({ id }),
      body: TaskPatch,
      response: ScheduledTask,
      detail: { summary: "Change a task (only the fields given); enabled: false disables it" },
    })
    .delete(
      "/:id",
      ({ params }) => {
        tasks.delete(params.id);
        return { deleted: true };
      },
      {
        params: t.Object({ id }),
        response: t.Object({ deleted: t.Boolean() }),
        detail: { summary: "Delete a task and its run history" },
      },
    )
    .post(
      "/:id/run",
      ({ params, set }) => {
        set.status = 201;
        return tasks.runNow(params.id);
      },
      {
        params: t.Object({ id }),
        response: { 201: TaskRun },
        detail: { summary: "Run the task now (409 while it runs); its schedule is unchanged" },
      },
    )
    .get("/:id/runs", ({ params, query }) => ({ runs: tasks.runs(params.id, query.limit ?? 50) }), {
      params: t.Object({ id }),
      query: t.Object({ limit: t.Optional(t.Numeric({ minimum: 1, maximum: 200 })) }),
      response: t.Object({ runs: t.Array(TaskRun) }),
      detail: { summary: "The task's runs, newest first, each with its chat" },
    });
}
