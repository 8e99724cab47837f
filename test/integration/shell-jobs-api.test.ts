/**
 * The jobs view's API over real background shell jobs: the fake model starts them through the shell
 * tool (`background: true`) in a real turn over /ws, then GET /api/sessions/:id/jobs lists them, the
 * output route shows the end of their output without moving the agent's read cursor, and kill stops
 * one. Unknown sessions and jobs are 404s; a bad tail is a 400; no token, no answer.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import type { ShellJobInfo, ShellJobOutputTail } from "../../src/shared/shell-jobs.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  openSession,
  runTurn,
  type Subscribed,
  workspaceRoot,
} from "../support/session-steps.ts";

type ErrorBody = { error: { code: string; message: string } };

const app = useBackend();
beforeAll(async () => {
  mkdirSync(workspaceRoot(app()), { recursive: true });
  configureAgent(app(), { approvals: { shell: "allow" } });
});

/** One turn in which the model starts `command` as a background job; resolves with the job id. */
async function startJob(session: Subscribed, command: string, description: string): Promise<string> {
  app().fake.enqueue(
    { toolCalls: [{ name: "shell", arguments: { command, background: true, description } }] },
    { text: "Started it." },
  );
  expect((await runTurn(session, `start ${description}`)).status).toBe("completed");
  const jobs = await list(session.sessionId);
  const job = jobs.body.jobs.find((candidate) => candidate.description === description);
  if (!job) throw new Error(`no job "${description}" in ${JSON.stringify(jobs.body)}`);
  return job.id;
}

function list(sessionId: string) {
  return app().api<{ jobs: ShellJobInfo[] } & ErrorBody>(`/api/sessions/${sessionId}/jobs`);
}

function output(sessionId: string, jobId: string, tail?: number) {
  const query = tail === undefined ? "" : `?tail=${tail}`;
  return app().api<ShellJobOutputTail & ErrorBody>(`/api/sessions/${sessionId}/jobs/${jobId}/output${query}`);
}

function kill(sessionId: string, jobId: string) {
  return app().api<{ job: ShellJobInfo } & ErrorBody>(`/api/sessions/${sessionId}/jobs/${jobId}/kill`, {
    method: "POST",
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await Bun.sleep(50);
  }
}

describe("the jobs API", () => {
  test("lists a running job, shows its output's end, kills it; an exited job keeps its exit code", async () => {
    const session = await openSession(app());
    // Nothing ran in this session yet: no jobs, not an error.
    const none = await list(session.sessionId);
    expect(none.status).toBe(200);
    expect(none.body.jobs).toEqual([]);

    const ticker = await startJob(
      session,
      "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.05; done",
      "ticker",
    );
    const listed = (await list(session.sessionId)).body.jobs;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: ticker, state: "running", exitCode: null, endedAt: null });

    const seen = await until(
      () => output(session.sessionId, ticker),
      (read) => read.body.text.includes("tick-5"),
      "five ticks",
    );
    expect(seen.status).toBe(200);
    expect(seen.body.job.id).toBe(ticker);
    expect(seen.body.text.startsWith("tick-0\n")).toBe(true);
    // A short tail is the end of the output only.
    const tail = await output(session.sessionId, ticker, 8);
    expect(tail.body.text.length).toBeLessThanOrEqual(8);
    expect(tail.body.text).toEndWith("\n");
    // Watching does not consume what the agent will read next with shell_job.
    const jobs = app().running.backend.context.sessions.shellJobs(session.sessionId);
    const status = jobs?.status(ticker);
    expect(status?.unreadChars).toBe(status?.outputChars);

    const killed = await kill(session.sessionId, ticker);
    expect(killed.status).toBe(200);
    expect(killed.body.job).toMatchObject({ id: ticker, state: "killed" });
    expect(killed.body.job.endedAt).toBeNumber();
    expect((await list(session.sessionId)).body.jobs[0]?.state).toBe("killed");
    // Killing an ended job is harmless and says how it ended.
    expect((await kill(session.sessionId, ticker)).body.job.state).toBe("killed");

    const failing = await startJob(session, "echo bye; exit 3", "failing");
    const exited = await until(
      () => list(session.sessionId),
      (read) => read.body.jobs.find((job) => job.id === failing)?.state === "exited",
      "the job to exit",
    );
    expect(exited.body.jobs.map((job) => job.id)).toEqual([ticker, failing]);
    expect(exited.body.jobs[1]).toMatchObject({ state: "exited", exitCode: 3 });
    expect((await output(session.sessionId, failing)).body.text).toBe("bye\n");
    session.socket.close();
  });

  test("unknown sessions and jobs are 404s, a bad tail is a 400, and the token is required", async () => {
    const session = await openSession(app());
    expect((await list("ses_missing")).status).toBe(404);
    expect((await output("ses_missing", "job-1")).status).toBe(404);
    expect((await kill("ses_missing", "job-1")).status).toBe(404);
    // A session with no jobs yet, then one with a job: an unknown id is a 404 naming it.
    expect((await kill(session.sessionId, "job-1")).status).toBe(404);
    const jobId = await startJob(session, "echo only", "only");
    for (const answer of [
      await output(session.sessionId, "job-99"),
      await kill(session.sessionId, "job-99"),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe("not_found");
      expect(answer.body.error.message).toContain("job-99");
    }
    expect((await output(session.sessionId, jobId, 0)).status).toBe(400);
    expect((await output(session.sessionId, jobId, 2 * 1024 * 1024)).status).toBe(400);

    for (const [method, path] of [
      ["GET", `/api/sessions/${session.sessionId}/jobs`],
      ["GET", `/api/sessions/${session.sessionId}/jobs/${jobId}/output`],
      ["POST", `/api/sessions/${session.sessionId}/jobs/${jobId}/kill`],
    ] as const) {
      expect((await fetch(`${app().url}${path}`, { method })).status).toBe(401);
    }
    session.socket.close();
  });
});
