/**
 * Background shell jobs of a session (started by the shell tool with `background: true`), as the jobs
 * API and the UI see them:
 * - GET  /api/sessions/:id/jobs                      -> { jobs: ShellJobInfo[] } (oldest first)
 * - GET  /api/sessions/:id/jobs/:jobId/output?tail=N -> ShellJobOutputTail (the model's read cursor
 *   does not move: what the agent reads next with shell_job is unchanged)
 * - POST /api/sessions/:id/jobs/:jobId/kill          -> { job: ShellJobInfo } once it has stopped
 * An unknown session or job is a 404. Jobs live in memory: after Sage restarts a session has none.
 */
import { type Static, Type as T } from "@sinclair/typebox";

export const ShellJobState = T.Union([
  T.Literal("running"),
  T.Literal("exited"),
  T.Literal("killed"),
  T.Literal("timed_out"),
]);
export type ShellJobState = Static<typeof ShellJobState>;

/** A plain copy of a job's state, safe to send to the UI or the model. */
export const ShellJobInfo = T.Object({
  id: T.String(),
  command: T.String(),
  /** The short label given by the model, if any. */
  description: T.Optional(T.String()),
  cwd: T.String(),
  sandbox: T.Union([T.Literal("bubblewrap"), T.Literal("seatbelt"), T.Literal("none")]),
  pid: T.Number(),
  state: ShellJobState,
  exitCode: T.Union([T.Number(), T.Null()]),
  signal: T.Union([T.String(), T.Null()]),
  /** One line for people and the model: "running", "exit code 0", "killed on request (...)". */
  summary: T.String(),
  startedAt: T.Number(),
  endedAt: T.Union([T.Number(), T.Null()]),
  /** Characters of output produced so far (including any dropped from the middle). */
  outputChars: T.Number(),
  /** Characters produced since the agent's last read (`shell_job` output). */
  unreadChars: T.Number(),
});
export type ShellJobInfo = Static<typeof ShellJobInfo>;

/** The end of a job's output, with how much before it was dropped to bound memory. */
export const ShellJobOutputTail = T.Object({ job: ShellJobInfo, text: T.String(), omittedChars: T.Number() });
export type ShellJobOutputTail = Static<typeof ShellJobOutputTail>;

/** Characters of output the jobs view shows by default, and the most one request may ask for. */
export const JOB_TAIL_DEFAULT = 16 * 1024;
export const JOB_TAIL_MAXIMUM = 1024 * 1024;
