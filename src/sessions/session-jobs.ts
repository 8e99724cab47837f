/**
 * The jobs view's operations on a session's background shell jobs (see src/shared/shell-jobs.ts for
 * the API): list them, show the end of one's output, kill one. The user acts here, so no approval is
 * asked; the agent's own `shell_job` / `shell_job_kill` tools are unaffected (the output peek leaves
 * the model's read cursor alone).
 *
 * Errors: `NotFoundError` for an unknown session (from `jobsOf`) or an unknown job id.
 */
import { NotFoundError } from "../core/errors.ts";
import type { ShellJobs } from "../sandbox/shell-jobs.ts";
import type { ShellJobInfo, ShellJobOutputTail } from "../shared/shell-jobs.ts";

/** How to find a session's jobs: undefined when it has none yet; throws for an unknown session. */
export type JobsOf = (sessionId: string) => ShellJobs | undefined;

function asNotFound(error: unknown, jobId: string): unknown {
  return error instanceof Error && error.name === "ShellJobNotFoundError"
    ? new NotFoundError("Background job", jobId)
    : error;
}

function jobsWith(jobsOf: JobsOf, sessionId: string, jobId: string): ShellJobs {
  const jobs = jobsOf(sessionId);
  if (!jobs) throw new NotFoundError("Background job", jobId);
  return jobs;
}

/** Every kept job of the session, oldest first (none for a session that has not run since start). */
export function listJobs(jobsOf: JobsOf, sessionId: string): ShellJobInfo[] {
  return jobsOf(sessionId)?.list() ?? [];
}

export function jobOutputTail(
  jobsOf: JobsOf,
  sessionId: string,
  jobId: string,
  tailChars: number,
): ShellJobOutputTail {
  const jobs = jobsWith(jobsOf, sessionId, jobId);
  try {
    return jobs.peekOutput(jobId, tailChars);
  } catch (error) {
    throw asNotFound(error, jobId);
  }
}

/** Stop the job and everything it started; resolves with its final state (at once if it had ended). */
export async function killJob(jobsOf: JobsOf, sessionId: string, jobId: string): Promise<ShellJobInfo> {
  const jobs = jobsWith(jobsOf, sessionId, jobId);
  try {
    return await jobs.kill(jobId);
  } catch (error) {
    throw asNotFound(error, jobId);
  }
}
