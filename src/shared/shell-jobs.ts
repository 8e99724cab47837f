/**
 * Background shell jobs of a session (started by the shell tool with `background: true`), as the jobs
 * API and the UI see them:
 * - GET  /api/sessions/:id/jobs                      -> { jobs: ShellJobInfo[] } (oldest first)
 * - GET  /api/sessions/:id/jobs/:jobId/output?tail=N -> ShellJobOutputTail (the model's read cursor
 *   does not move: what the agent reads next with shell_job is unchanged)
 * - POST /api/sessions/:id/jobs/:jobId/kill          -> { job: ShellJobInfo } once it has stopped
 * An unknown session or job is a 404. Jobs live in memory: after Sage restarts a session has none.
 */

export type ShellJobState = "running" | "exited" | "killed" | "timed_out";

/** A plain copy of a job's state, safe to send to the UI or the model. */
export interface ShellJobInfo {
  id: string;
  command: string;
  /** The short label given by the model, if any. */
  description?: string;
  cwd: string;
  sandbox: "bubblewrap" | "seatbelt" | "none";
  pid: number;
  state: ShellJobState;
  exitCode: number | null;
  signal: string | null;
  /** One line for people and the model: "running", "exit code 0", "killed on request (...)". */
  summary: string;
  startedAt: number;
  endedAt: number | null;
  /** Characters of output produced so far (including any dropped from the middle). */
  outputChars: number;
  /** Characters produced since the agent's last read (`shell_job` output). */
  unreadChars: number;
}

/** The end of a job's output, with how much before it was dropped to bound memory. */
export interface ShellJobOutputTail {
  job: ShellJobInfo;
  text: string;
  omittedChars: number;
}

/** Characters of output the jobs view shows by default, and the most one request may ask for. */
export const JOB_TAIL_DEFAULT = 16 * 1024;
export const JOB_TAIL_MAXIMUM = 1024 * 1024;
