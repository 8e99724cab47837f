import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildShellEnvironment } from "../../src/sandbox/environment.ts";
import {
  ShellJobLimitError,
  ShellJobNotFoundError,
  type ShellJobSnapshot,
  ShellJobs,
  ShellJobsDisposedError,
} from "../../src/sandbox/shell-jobs.ts";
import type { ShellSandboxConfig } from "../../src/sandbox/types.ts";

const workspace = mkdtempSync(join(tmpdir(), "sage-shell-jobs-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const sandbox: ShellSandboxConfig = {
  mode: "none",
  reason: "test",
  hiddenPaths: [],
  network: "host",
  env: buildShellEnvironment({ base: process.env }),
};

const registries: ShellJobs[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((jobs) => jobs.dispose()));
});

function registry(options: ConstructorParameters<typeof ShellJobs>[0] = {}): ShellJobs {
  const jobs = new ShellJobs({ stopGraceMs: 500, ...options });
  registries.push(jobs);
  return jobs;
}

function start(jobs: ShellJobs, command: string, description?: string): ShellJobSnapshot {
  return jobs.start({ command, cwd: workspace, workspaceRoot: workspace, sandbox, description });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(20);
  }
}

function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

describe("ShellJobs", () => {
  test("lifecycle: start, running, new output only, kill, killed", async () => {
    const jobs = registry();
    const job = start(jobs, "echo first; sleep 0.2; echo second; sleep 30", "a long task");
    expect(job.id).toBe("job-1");
    expect(job.state).toBe("running");
    expect(job.description).toBe("a long task");

    await waitFor(() => jobs.status(job.id).outputChars >= "first\nsecond\n".length);
    expect(jobs.status(job.id).unreadChars).toBe("first\nsecond\n".length);
    const firstRead = jobs.readOutput(job.id);
    expect(firstRead.text).toBe("first\nsecond\n");
    expect(firstRead.job.state).toBe("running");
    expect(firstRead.job.unreadChars).toBe(0);
    expect(jobs.readOutput(job.id).text).toBe("");
    expect(jobs.readOutput(job.id, { fromStart: true }).text).toBe("first\nsecond\n");

    const killed = await jobs.kill(job.id);
    expect(killed.state).toBe("killed");
    expect(killed.summary).toContain("killed on request");
    expect(killed.endedAt).not.toBeNull();
    expect(isAlive(job.pid)).toBe(false);
    expect(jobs.status(job.id).state).toBe("killed");
    // Killing a finished job is harmless.
    expect((await jobs.kill(job.id)).state).toBe("killed");
  });

  test("a job that ends by itself is reported with its exit code", async () => {
    const jobs = registry();
    const job = start(jobs, "echo done; exit 3");
    await waitFor(() => jobs.status(job.id).state !== "running");
    const status = jobs.status(job.id);
    expect(status.state).toBe("exited");
    expect(status.exitCode).toBe(3);
    expect(status.summary).toBe("exit code 3");
    expect(jobs.readOutput(job.id).text).toBe("done\n");
  });

  test("a job with a time limit is stopped and marked timed out", async () => {
    const jobs = registry();
    const job = jobs.start({
      command: "sleep 30",
      cwd: workspace,
      workspaceRoot: workspace,
      sandbox,
      timeoutMs: 200,
    });
    await waitFor(() => jobs.status(job.id).state !== "running");
    expect(jobs.status(job.id).state).toBe("timed_out");
  });

  test("ids count up, list keeps start order, unknown ids are clear errors", async () => {
    const jobs = registry();
    start(jobs, "true");
    start(jobs, "true");
    expect(jobs.list().map((job) => job.id)).toEqual(["job-1", "job-2"]);
    expect(() => jobs.status("job-9")).toThrow(ShellJobNotFoundError);
    expect(() => jobs.status("job-9")).toThrow(/known jobs: job-1, job-2/);
    expect(() => registry().readOutput("job-1")).toThrow(/there are no background jobs/);
  });

  test("refuses more running jobs than the limit", async () => {
    const jobs = registry({ maxRunning: 2 });
    start(jobs, "sleep 30");
    start(jobs, "sleep 30");
    expect(() => start(jobs, "sleep 30")).toThrow(ShellJobLimitError);
    await jobs.kill("job-1");
    expect(start(jobs, "true").id).toBe("job-3");
  });

  test("forgets the oldest finished jobs beyond maxKept", async () => {
    const jobs = registry({ maxKept: 2 });
    for (let index = 0; index < 4; index++) {
      const job = start(jobs, "true");
      await waitFor(() => jobs.status(job.id).state === "exited");
    }
    expect(jobs.list().map((job) => job.id)).toEqual(["job-3", "job-4"]);
  });

  test("dispose stops every running job and refuses new ones", async () => {
    const jobs = registry();
    const first = start(jobs, "sleep 30");
    const second = start(jobs, "sleep 30 & wait");
    await jobs.dispose();
    for (const job of jobs.list()) expect(job.state).toBe("killed");
    expect(isAlive(first.pid)).toBe(false);
    expect(isAlive(second.pid)).toBe(false);
    expect(() => start(jobs, "true")).toThrow(ShellJobsDisposedError);
    await jobs.dispose();
  });

  test("subscribers hear about starts and ends", async () => {
    const jobs = registry();
    const seen: string[] = [];
    const unsubscribe = jobs.subscribe((job) => seen.push(`${job.id}:${job.state}`));
    const job = start(jobs, "true");
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([`${job.id}:running`, `${job.id}:exited`]);
    unsubscribe();
    start(jobs, "true");
    await Bun.sleep(100);
    expect(seen.length).toBe(2);
  });
});
