/**
 * Tools over the session's background shell jobs (`ctx.services.shellJobs`, a `ShellJobs`).
 *
 * Split in two so the approval policy can treat them by kind:
 * - `shell_job` (kind "read"): list jobs, show one job's status, read its new output. It only reads
 *   state the session already holds, so it runs without asking, and polling a server's log never
 *   interrupts the user.
 * - `shell_job_kill` (kind "shell"): stop a job and everything it started. It changes the world
 *   (a server goes down), so it goes through the same approval as running a command.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { defineTool, ToolError, type ToolServices } from "../agent/tool-contract.ts";
import type { ShellJobSnapshot, ShellJobs } from "../sandbox/shell-jobs.ts";

function jobsOf(services: ToolServices): ShellJobs {
  const jobs = services.shellJobs;
  if (!jobs) throw new ToolError("Background jobs are not available here.");
  return jobs;
}

function seconds(milliseconds: number): string {
  return `${Math.round(milliseconds / 100) / 10} s`;
}

/** One line per job, as the model reads it. */
export function formatJobLine(job: ShellJobSnapshot, now = Date.now()): string {
  const ran = seconds((job.endedAt ?? now) - job.startedAt);
  const label = job.description ? ` — ${job.description}` : "";
  const unread = job.unreadChars > 0 ? `, ${job.unreadChars} characters unread` : "";
  return `${job.id} [${job.summary}, ${ran}${unread}]${label}: ${job.command.split("\n")[0]}`;
}

function requireJobId(jobId: string | undefined, action: string): string {
  if (jobId === undefined || jobId.trim() === "") {
    throw new ToolError(`The "${action}" action needs job_id (see the "list" action).`);
  }
  return jobId;
}

export const ShellJobParameters = T.Object({
  action: T.Union([T.Literal("list"), T.Literal("status"), T.Literal("output")], {
    description: "list: all jobs; status: one job's state; output: the job's output since the last read.",
  }),
  job_id: T.Optional(T.String({ description: 'The job id returned by shell, e.g. "job-1".' })),
  from_start: T.Optional(
    T.Boolean({ description: "With output: return all output still held instead of only new output." }),
  ),
});
export type ShellJobParameters = Static<typeof ShellJobParameters>;

export const shellJobTool = defineTool({
  name: "shell_job",
  description: `Look at background jobs started with shell (background: true).
- action "list": every job of this session with its state.
- action "status": one job's state (running, exit code, killed, timed out).
- action "output": what the job printed since your last "output" call (from_start: true for all that
  is kept). Very long output keeps its start and its end; the middle is reported as omitted.`,
  parameters: ShellJobParameters,
  kind: "read",
  async execute(params, ctx) {
    const jobs = jobsOf(ctx.services);
    if (params.action === "list") {
      const all = jobs.list();
      const text = all.length === 0 ? "No background jobs." : all.map((job) => formatJobLine(job)).join("\n");
      return { text, details: { jobs: all } };
    }
    const jobId = requireJobId(params.job_id, params.action);
    try {
      if (params.action === "status") {
        const job = jobs.status(jobId);
        return { text: formatJobLine(job), details: { job } };
      }
      const read = jobs.readOutput(jobId, { fromStart: params.from_start === true });
      const header = formatJobLine(read.job);
      const body = read.text.length === 0 ? "(no new output)" : read.text;
      return { text: `${header}\n\n${body}`, details: { job: read.job, omittedChars: read.omittedChars } };
    } catch (error) {
      if (error instanceof Error && error.name === "ShellJobNotFoundError")
        throw new ToolError(error.message);
      throw error;
    }
  },
});

export const ShellJobKillParameters = T.Object({
  job_id: T.String({ minLength: 1, description: 'The job to stop, e.g. "job-1".' }),
});
export type ShellJobKillParameters = Static<typeof ShellJobKillParameters>;

export const shellJobKillTool = defineTool({
  name: "shell_job_kill",
  description:
    "Stop a background job started with shell (background: true), together with every process it started. " +
    "Returns the job's final state and any output not read yet.",
  parameters: ShellJobKillParameters,
  kind: "shell",
  describe(params) {
    return {
      title: `Stop background job ${params.job_id}`,
      detail: `kill ${params.job_id}`,
      detailKind: "command",
    };
  },
  async execute(params, ctx) {
    const jobs = jobsOf(ctx.services);
    try {
      const before = jobs.status(params.job_id);
      const job = await jobs.kill(params.job_id);
      const read = jobs.readOutput(job.id);
      const outcome = before.state === "running" ? `Stopped ${job.id}.` : `${job.id} had already ended.`;
      const rest = read.text.length === 0 ? "" : `\n\nUnread output:\n${read.text}`;
      return { text: `${outcome}\n${formatJobLine(read.job)}${rest}`, details: { job: read.job } };
    } catch (error) {
      if (error instanceof Error && error.name === "ShellJobNotFoundError")
        throw new ToolError(error.message);
      throw error;
    }
  },
});
