/**
 * The `shell`, `shell_job` and `shell_job_kill` tools against real processes, unsandboxed and (where
 * bwrap works) under bubblewrap.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProgressUpdate, ToolContext, ToolResult, ToolServices } from "../../src/agent/tool-contract.ts";
import { probeBubblewrap } from "../../src/sandbox/bubblewrap.ts";
import { buildShellEnvironment } from "../../src/sandbox/environment.ts";
import { ShellJobs } from "../../src/sandbox/shell-jobs.ts";
import type { ShellSandboxConfig } from "../../src/sandbox/types.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import { defaultTimeoutMs, type ShellParameters, shellTool } from "../../src/tools/shell.ts";
import { shellJobKillTool, shellJobTool } from "../../src/tools/shell-jobs-tool.ts";

const root = mkdtempSync(join(tmpdir(), "sage-tools-shell-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const workspace = createWorkspace(join(root, "workspace"));
mkdirSync(join(workspace.root, "sub"), { recursive: true });

function sandboxConfig(overrides: Partial<ShellSandboxConfig> = {}): ShellSandboxConfig {
  return {
    mode: "none",
    reason: "test",
    hiddenPaths: [],
    network: "host",
    env: buildShellEnvironment({ base: { ...process.env, MY_SERVICE_TOKEN: "token-value-never-shown" } }),
    ...overrides,
  };
}

interface TimedProgress extends ProgressUpdate {
  at: number;
}

const jobRegistries: ShellJobs[] = [];
afterEach(async () => {
  await Promise.all(jobRegistries.splice(0).map((jobs) => jobs.dispose()));
});

function context(services: ToolServices, signal = new AbortController().signal) {
  const progress: TimedProgress[] = [];
  const ctx: ToolContext = {
    signal,
    workspace,
    sessionId: "session-1",
    agentId: "agent-1",
    turnId: "turn-1",
    callId: "call-1",
    progress: (update) => progress.push({ ...update, at: Date.now() }),
    ask: async () => null,
    services,
  };
  return { ctx, progress };
}

async function runShell(params: ShellParameters, services: ToolServices = { sandbox: sandboxConfig() }) {
  const { ctx, progress } = context(services);
  const result = await shellTool.execute(params, ctx);
  return { result, progress, details: result.details as Record<string, unknown> };
}

function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

describe("shell tool", () => {
  test("describes a call by its command", async () => {
    const description = await shellTool.describe?.({ command: "npm test\nnpm run lint" }, { workspace });
    expect(description).toEqual({
      title: "npm test",
      detail: "npm test\nnpm run lint",
      detailKind: "command",
    });
    expect(shellTool.kind).toBe("shell");
  });

  test("returns output and exit code; a failing command is a result, not an error", async () => {
    const ok = await runShell({ command: "echo hello" });
    expect(ok.result.text).toBe("hello\n\nexit code 0");
    expect(ok.details.exitCode).toBe(0);
    expect(ok.details.sandbox).toBe("none");
    expect(ok.details.timedOut).toBe(false);
    const failing = await runShell({ command: "echo partial; exit 7", description: "fails on purpose" });
    expect(failing.result.text).toBe("partial\n\nexit code 7");
    expect(failing.details.exitCode).toBe(7);
    expect(failing.details.description).toBe("fails on purpose");
    expect((await runShell({ command: "true" })).result.text).toBe("(no output)\n\nexit code 0");
  });

  test("live output arrives well before the command ends", async () => {
    const started = Date.now();
    const { progress } = await runShell({ command: "echo a; sleep 1; echo b" });
    const ended = Date.now();
    const first = progress[0];
    expect(first).toMatchObject({ stream: "stdout", text: "a\n" });
    expect(ended - (first?.at ?? ended)).toBeGreaterThan(700);
    expect((first?.at ?? ended) - started).toBeLessThan(500);
    expect(progress.map((update) => update.text).join("")).toBe("a\nb\n");
  });

  test("stderr is streamed as stderr and marked in the result", async () => {
    const { result, progress } = await runShell({ command: "echo out; echo err >&2; echo out2" });
    expect(progress.filter((update) => update.stream === "stderr").map((update) => update.text)).toEqual([
      "err\n",
    ]);
    expect(result.text).toContain("[stderr] err\n");
    expect(result.text).toContain("out\n");
    expect(result.text).not.toContain("[stderr] out");
  });

  test("non-UTF-8 bytes become replacement characters; split characters survive chunking", async () => {
    const broken = await runShell({ command: "printf 'ok \\377\\376 end\\n'" });
    expect(broken.result.text).toContain("ok \uFFFD\uFFFD end\n");
    const split = await runShell({ command: "printf '\\303'; sleep 0.2; printf '\\251t\\303\\251\\n'" });
    expect(split.result.text).toContain("été\n");
    expect(split.progress.map((update) => update.text).join("")).toBe("été\n");
  });

  test("a timeout stops the command and the processes it started", async () => {
    const { result, details } = await runShell({
      command: "sleep 30 & echo child=$!; wait",
      timeout_ms: 500,
    });
    expect(details.timedOut).toBe(true);
    expect(result.text).toContain("timed out after 0.5 s");
    const childPid = Number.parseInt(/child=(\d+)/.exec(result.text)?.[1] ?? "0", 10);
    expect(childPid).toBeGreaterThan(0);
    await Bun.sleep(100);
    expect(isAlive(childPid)).toBe(false);
    expect(details.durationMs).toBeLessThan(5000);
  });

  test("aborting the turn stops the command", async () => {
    const controller = new AbortController();
    const { ctx } = context({ sandbox: sandboxConfig() }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await shellTool.execute({ command: "echo started; sleep 30" }, ctx);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.text).toContain("started\n");
    expect(result.text).toContain("stopped by the user");
    expect((result.details as Record<string, unknown>).stopped).toBe(true);
  });

  test("an already stopped turn runs nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx } = context({ sandbox: sandboxConfig() }, controller.signal);
    const marker = join(workspace.root, "should-not-exist");
    await expect(shellTool.execute({ command: `touch ${marker}` }, ctx)).rejects.toThrow(/not run/);
    expect(() => readFileSync(marker)).toThrow();
  });

  test("cwd is confined to the workspace", async () => {
    const inside = await runShell({ command: "pwd", cwd: "sub" });
    expect(inside.result.text).toBe(`${join(workspace.root, "sub")}\n\nexit code 0`);
    expect(inside.details.cwd).toBe("sub");
    await expect(runShell({ command: "pwd", cwd: ".." })).rejects.toThrow(/Refused path/);
    await expect(runShell({ command: "pwd", cwd: "/etc" })).rejects.toThrow(/outside the workspace/);
    await expect(runShell({ command: "pwd", cwd: "missing" })).rejects.toThrow(/does not exist/);
  });

  test("secrets from the app's environment are not visible to the command", async () => {
    const { result } = await runShell({ command: "env" });
    expect(result.text).not.toContain("token-value-never-shown");
    expect(result.text).not.toContain("MY_SERVICE_TOKEN");
    expect(result.text).toContain("TERM=dumb");
  });

  test("refuses to run without sandbox settings, with malformed ones, or with bubblewrap but no launcher", async () => {
    await expect(runShell({ command: "true" }, {})).rejects.toThrow(/no sandbox settings/);
    const partial = { mode: "none" } as unknown as ShellSandboxConfig;
    await expect(runShell({ command: "true" }, { sandbox: partial })).rejects.toThrow(/malformed/);
    await expect(
      runShell({ command: "true" }, { sandbox: sandboxConfig({ mode: "bubblewrap" }) }),
    ).rejects.toThrow(/no usable bwrap/);
  });

  test("the default time limit is two minutes", () => {
    expect(defaultTimeoutMs).toBe(120_000);
  });
});

describe("background jobs through the tools", () => {
  function jobServices(): ToolServices {
    const shellJobs = new ShellJobs({ stopGraceMs: 500 });
    jobRegistries.push(shellJobs);
    return { sandbox: sandboxConfig(), shellJobs };
  }

  async function callJob(services: ToolServices, params: Parameters<typeof shellJobTool.execute>[0]) {
    return shellJobTool.execute(params, context(services).ctx);
  }

  test("start, read output, status running, kill, status killed", async () => {
    const services = jobServices();
    const started = await runShell(
      { command: "echo ready; sleep 30", background: true, description: "server" },
      services,
    );
    expect(started.details.jobId).toBe("job-1");
    expect(started.result.text).toContain("job-1");

    let output: ToolResult = { text: "" };
    const deadline = Date.now() + 5000;
    while (!output.text.endsWith("\n\nready\n") && Date.now() < deadline) {
      output = await callJob(services, { action: "output", job_id: "job-1" });
      await Bun.sleep(20);
    }
    expect(output.text).toMatch(/^job-1 \[running, .*— server: echo ready; sleep 30\n\nready\n$/);
    expect((await callJob(services, { action: "output", job_id: "job-1" })).text).toContain(
      "(no new output)",
    );
    expect((await callJob(services, { action: "status", job_id: "job-1" })).text).toMatch(/^job-1 \[running/);
    expect((await callJob(services, { action: "list" })).text).toContain("— server");

    const killed = await shellJobKillTool.execute({ job_id: "job-1" }, context(services).ctx);
    expect(killed.text).toContain("Stopped job-1.");
    expect((await callJob(services, { action: "status", job_id: "job-1" })).text).toContain(
      "killed on request",
    );
    const again = await shellJobKillTool.execute({ job_id: "job-1" }, context(services).ctx);
    expect(again.text).toContain("had already ended");
  });

  test("a job writes into the workspace and its exit code is reported", async () => {
    const services = jobServices();
    await runShell({ command: "echo from-job > job.txt; exit 4", background: true }, services);
    const jobs = services.shellJobs as ShellJobs;
    const deadline = Date.now() + 5000;
    while (jobs.status("job-1").state === "running" && Date.now() < deadline) await Bun.sleep(20);
    expect((await callJob(services, { action: "status", job_id: "job-1" })).text).toContain("exit code 4");
    expect(readFileSync(join(workspace.root, "job.txt"), "utf8")).toBe("from-job\n");
  });

  test("clear errors: no registry, missing or unknown job id", async () => {
    await expect(runShell({ command: "sleep 1", background: true })).rejects.toThrow(
      /Background jobs are not available/,
    );
    const services = jobServices();
    expect((await callJob(services, { action: "list" })).text).toBe("No background jobs.");
    await expect(callJob(services, { action: "output" })).rejects.toThrow(/needs job_id/);
    await expect(callJob(services, { action: "status", job_id: "job-42" })).rejects.toThrow(
      /No background job "job-42"/,
    );
    await expect(shellJobKillTool.execute({ job_id: "job-42" }, context(services).ctx)).rejects.toThrow(
      /No background job/,
    );
    await expect(callJob({}, { action: "list" })).rejects.toThrow(/not available/);
  });

  test("reading is a read; killing goes through shell approval", async () => {
    expect(shellJobTool.kind).toBe("read");
    expect(shellJobKillTool.kind).toBe("shell");
    const description = await shellJobKillTool.describe?.({ job_id: "job-3" }, { workspace });
    expect(description?.title).toContain("job-3");
  });
});

const machine = await probeBubblewrap();
if (machine.mode !== "bubblewrap") console.warn(`Skipping shell-under-bubblewrap tests: ${machine.reason}`);

describe.skipIf(machine.mode !== "bubblewrap")("shell tool under bubblewrap", () => {
  test("reports the sandbox, writes the workspace, cannot see the hidden data dir", async () => {
    const dataDir = join(workspace.root, "sage-data");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "keys"), "hidden-key-material");
    const sandbox = sandboxConfig({ ...machine, hiddenPaths: [dataDir], network: "isolated" });
    const { result, details, progress } = await runShell(
      {
        command: "cat sage-data/keys; echo made > bwrap-made.txt; echo live",
      },
      { sandbox },
    );
    expect(details.sandbox).toBe("bubblewrap");
    expect(result.text).not.toContain("hidden-key-material");
    expect(readFileSync(join(workspace.root, "bwrap-made.txt"), "utf8")).toBe("made\n");
    expect(progress.some((update) => update.text.includes("live"))).toBe(true);
  });

  test("a timeout stops a sandboxed command", async () => {
    const sandbox = sandboxConfig({ ...machine, network: "isolated" });
    const { details } = await runShell({ command: "sleep 30", timeout_ms: 300 }, { sandbox });
    expect(details.timedOut).toBe(true);
    expect(details.durationMs).toBeLessThan(5000);
  });

  test("a background job runs sandboxed and is killed with its sandbox", async () => {
    const shellJobs = new ShellJobs({ stopGraceMs: 500 });
    jobRegistries.push(shellJobs);
    const services = { sandbox: sandboxConfig({ ...machine, network: "isolated" }), shellJobs };
    const { details } = await runShell({ command: "echo in-sandbox; sleep 30", background: true }, services);
    expect(details.sandbox).toBe("bubblewrap");
    const deadline = Date.now() + 5000;
    while (shellJobs.status("job-1").outputChars === 0 && Date.now() < deadline) await Bun.sleep(20);
    expect(shellJobs.readOutput("job-1").text).toBe("in-sandbox\n");
    const killed = await shellJobs.kill("job-1");
    expect(killed.state).toBe("killed");
    expect(isAlive(killed.pid)).toBe(false);
  });
});
