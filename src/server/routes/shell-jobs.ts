/**
 * /api/sessions/:id/jobs: the session's background shell jobs for the jobs view — list, the end of
 * one job's output, kill (see src/shared/shell-jobs.ts and src/sessions/session-jobs.ts).
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { type JobsOf, jobOutputTail, killJob, listJobs } from "../../sessions/session-jobs.ts";
import {
  JOB_TAIL_DEFAULT,
  JOB_TAIL_MAXIMUM,
  ShellJobInfo,
  ShellJobOutputTail,
} from "../../shared/shell-jobs.ts";

const id = t.String({ minLength: 1, maxLength: 200 });
const jobParams = t.Object({ id, jobId: t.String({ minLength: 1, maxLength: 100 }) });

export function shellJobRoutes(app: AppContext) {
  const jobsOf: JobsOf = (sessionId) => app.sessions.shellJobs(sessionId);
  return new Elysia({ name: "shell-jobs", detail: { tags: ["sessions"] } })
    .get("/api/sessions/:id/jobs", ({ params }) => ({ jobs: listJobs(jobsOf, params.id) }), {
      params: t.Object({ id }),
      response: t.Object({ jobs: t.Array(ShellJobInfo) }),
      detail: { summary: "The session's background shell jobs, oldest first (state, exit code, times)" },
    })
    .get(
      "/api/sessions/:id/jobs/:jobId/output",
      ({ params, query }) => jobOutputTail(jobsOf, params.id, params.jobId, query.tail ?? JOB_TAIL_DEFAULT),
      {
        params: jobParams,
        query: t.Object({
          tail: t.Optional(
            t.Integer({
              minimum: 1,
              maximum: JOB_TAIL_MAXIMUM,
              description: "Characters from the end of the output (default 16 KiB)",
            }),
          ),
        }),
        response: ShellJobOutputTail,
        detail: { summary: "The end of a job's output; the agent's own read position is unchanged" },
      },
    )
    .post(
      "/api/sessions/:id/jobs/:jobId/kill",
      async ({ params }) => ({ job: await killJob(jobsOf, params.id, params.jobId) }),
      {
        params: jobParams,
        response: t.Object({ job: ShellJobInfo }),
        detail: { summary: "Stop a background job and everything it started; answers once it has stopped" },
      },
    );
}
