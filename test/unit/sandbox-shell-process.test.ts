/** The process runner without a sandbox: stopping, grace period, leftovers, start errors. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildShellEnvironment } from "../../src/sandbox/environment.ts";
import { describeOutcome, ShellStartError, startShellProcess } from "../../src/sandbox/shell-process.ts";
import type { ShellSandboxConfig } from "../../src/sandbox/types.ts";

const workspace = mkdtempSync(join(tmpdir(), "sage-shell-process-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const unsandboxed: ShellSandboxConfig = {
  mode: "none",
  reason: "test",
  hiddenPaths: [],
  network: "host",
  env: buildShellEnvironment({ base: process.env }),
};

function launch(command: string, extra: Partial<Parameters<typeof startShellProcess>[0]> = {}) {
  return startShellProcess({
    command,
    cwd: workspace,
    workspaceRoot: workspace,
    sandbox: unsandboxed,
    ...extra,
  });
}

/** True while `pid` exists and is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await Bun.sleep(20);
  }
  return condition();
}

describe("startShellProcess (no sandbox)", () => {
  test("runs in the given folder with exactly the given environment", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    const started = launch('pwd; echo "term=$TERM"; echo "home=${SAGE_HOME:-unset}"');
    const outcome = await started.finished;
    expect(outcome.exitCode).toBe(0);
    const text = started.output.text();
    expect(text).toContain(`${workspace}\n`);
    expect(text).toContain("term=dumb");
    expect(text).toContain("home=unset");
  });

  test("stdin is empty, so a command waiting for input ends at once", async () => {
    const started = launch('read line; echo "got:[$line]"', { timeoutMs: 5000 });
    const outcome = await started.finished;
    expect(outcome.stoppedBy).toBeNull();
    expect(started.output.text()).toContain("got:[]");
  });

  test("a process that ignores SIGTERM is killed after the grace period", async () => {
    const started = launch("trap '' TERM; sleep 30", { timeoutMs: 200, stopGraceMs: 300 });
    const outcome = await started.finished;
    expect(outcome.stoppedBy).toBe("timeout");
    expect(outcome.signal).toBe("SIGKILL");
    expect(outcome.durationMs).toBeGreaterThanOrEqual(450);
    expect(outcome.durationMs).toBeLessThan(3000);
  });

  test("processes left running in the background are stopped when the command ends", async () => {
    const started = launch("sleep 30 & echo $!");
    const outcome = await started.finished;
    expect(outcome.exitCode).toBe(0);
    const childPid = Number.parseInt(started.output.text().trim(), 10);
    expect(childPid).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(childPid))).toBe(true);
  });

  test("stop() ends a running command and reports why", async () => {
    const started = launch("echo begun; sleep 30");
    await waitFor(() => started.output.text().includes("begun"));
    expect(started.running).toBe(true);
    const outcome = await started.stop("kill");
    expect(started.running).toBe(false);
    expect(outcome.stoppedBy).toBe("kill");
    expect(describeOutcome(outcome)).toContain("killed on request");
    // Stopping again is harmless and gives the same outcome.
    expect(await started.stop("timeout")).toEqual(outcome);
  });

  test("a missing working folder is a clear start error", () => {
    expect(() => launch("true", { cwd: join(workspace, "missing") })).toThrow(ShellStartError);
    expect(() => launch("true", { cwd: join(workspace, "missing") })).toThrow(/does not exist/);
  });

  test("an already aborted signal refuses to start", () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => launch("true", { signal: controller.signal })).toThrow(/not started/);
  });

  test("a throwing output listener does not break the run", async () => {
    const started = launch("echo one; echo two", {
      onOutput: () => {
        throw new Error("listener failure");
      },
    });
    expect((await started.finished).exitCode).toBe(0);
    expect(started.output.text()).toBe("one\ntwo\n");
  });
});

describe("startShellProcess memory", () => {
  test("an exited command is not kept alive while its group's SIGKILL waits for the grace period", async () => {
    // After every exit the group gets SIGTERM and, `stopGraceMs` later, SIGKILL (for leftovers). That
    // timer must hold the pid only, not the process, its output or the caller's launch (in Sage: the
    // tool call and its turn), or every shell command's turn stays in memory for the grace period.
    const held: WeakRef<object>[] = [];
    const runOne = async () => {
      const onOutput = () => {};
      const started = launch("echo done", { onOutput, stopGraceMs: 5_000 });
      held.push(new WeakRef(onOutput), new WeakRef(started.output));
      expect((await started.finished).exitCode).toBe(0);
    };
    for (let i = 0; i < 5; i++) await runOne();
    await Bun.sleep(20);
    for (let i = 0; i < 3; i++) Bun.gc(true);
    // One may survive on the stack (the collector scans it conservatively); before: all ten.
    expect(held.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(1);
  });
});

describe("describeOutcome", () => {
  const base = { exitCode: 0, signal: null, stoppedBy: null, durationMs: 5 } as const;
  test("one line per ending", () => {
    expect(describeOutcome(base)).toBe("exit code 0");
    expect(describeOutcome({ ...base, exitCode: null, signal: "SIGSEGV" })).toBe("killed by SIGSEGV");
    expect(describeOutcome({ ...base, exitCode: null, signal: "SIGTERM", stoppedBy: "timeout" }, 1500)).toBe(
      "timed out after 1.5 s; the command was stopped (killed by SIGTERM)",
    );
    expect(describeOutcome({ ...base, exitCode: 143, stoppedBy: "abort" })).toBe(
      "stopped by the user (exit code 143)",
    );
    expect(describeOutcome({ ...base, stoppedBy: "dispose" })).toContain("session ended");
  });
});
