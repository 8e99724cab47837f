/**
 * The `shell` tool: run a command in the workspace, sandboxed by bubblewrap where available.
 *
 * Needs `ctx.services.sandbox` (a `ShellSandboxConfig`, see src/sandbox/types.ts) and, for
 * `background: true`, `ctx.services.shellJobs` (a `ShellJobs`). Without them it refuses clearly.
 *
 * Result text: the combined output (stderr lines start with `[stderr] `), a blank line, then how the
 * command ended ("exit code N", "timed out after X s ...", "stopped by the user ..."). A non-zero exit
 * is a normal result, not an error. Details for the card: `{ exitCode, signal, timedOut, stopped,
 * durationMs, sandbox, command, description?, cwd }`, or for a background start `{ jobId, background,
 * sandbox, command, description?, cwd }`.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import {
  defineTool,
  type ToolContext,
  ToolError,
  type ToolResult,
  type ToolServices,
} from "../agent/tool-contract.ts";
import type { ShellJobs } from "../sandbox/shell-jobs.ts";
import { describeOutcome, startShellProcess } from "../sandbox/shell-process.ts";
import { shellProgram } from "../sandbox/shell-program.ts";
import { ShellSandboxConfig } from "../sandbox/types.ts";

export const defaultTimeoutMs = 120_000;
export const maximumTimeoutMs = 600_000;

/** The platform's shell (bash on Linux and macOS, PowerShell on Windows), named in the description. */
const shell = shellProgram().label;

export const ShellParameters = T.Object({
  command: T.String({ minLength: 1, description: `The command line, run by ${shell}.` }),
  cwd: T.Optional(
    T.String({ description: "Working directory relative to the workspace root (default: the root)." }),
  ),
  timeout_ms: T.Optional(
    T.Integer({
      minimum: 100,
      maximum: maximumTimeoutMs,
      description: `Stop the command after this many milliseconds (default ${defaultTimeoutMs}, at most ${maximumTimeoutMs}).`,
    }),
  ),
  background: T.Optional(
    T.Boolean({
      description: "Start the command as a background job and return at once with its job id.",
    }),
  ),
  description: T.Optional(
    T.String({ maxLength: 120, description: "A few words saying what the command does, shown to the user." }),
  ),
});
export type ShellParameters = Static<typeof ShellParameters>;

const description = `Run a shell command (${shell}) in the workspace and get its output and exit code.
- The working directory is the workspace root unless cwd names a folder inside it.
- There is no terminal and no input: use non-interactive flags (-y, --yes, --no-pager).
- Output from stderr is marked "[stderr] ". The command is stopped after timeout_ms (default 120 s,
  at most 600 s), together with everything it started.
- Processes a command leaves running in the background (cmd &) are stopped when it ends. For servers,
  watchers and other long-running commands use background: true, then read their output and stop
  them with the shell_job and shell_job_kill tools.
- Commands may run in a sandbox: only the workspace (and /tmp, which is private and temporary) is
  writable; Sage's own folders and credential folders (~/.ssh, ~/.aws, browser profiles ...) look empty;
  services of this computer (127.0.0.1, desktop sockets) are out of reach; and depending on the agent's
  setting the network is the internet only, none, or the computer's own.`;

function sandboxConfig(services: ToolServices): ShellSandboxConfig {
  const candidate = services.sandbox;
  if (candidate === undefined) {
    throw new ToolError(
      "The shell is not available here: no sandbox settings were provided for this session.",
    );
  }
  if (!Value.Check(ShellSandboxConfig, candidate)) {
    const first = Value.Errors(ShellSandboxConfig, candidate).First();
    const where = first ? ` (${first.path || "/"}: ${first.message})` : "";
    throw new ToolError(`The shell is not available here: the sandbox settings are malformed${where}.`);
  }
  return candidate;
}

function firstLine(command: string): string {
  const line = command.trim().split("\n")[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

function timeoutOf(params: ShellParameters): number {
  const requested = params.timeout_ms ?? defaultTimeoutMs;
  return Math.min(Math.max(Math.floor(requested), 1), maximumTimeoutMs);
}

/** Start failures the model can act on become `ToolError`s with the same message. */
function asToolError(error: unknown): unknown {
  const known = [
    "ShellStartError",
    "SandboxUnavailableError",
    "ShellJobLimitError",
    "ShellJobsDisposedError",
  ];
  return error instanceof Error && known.includes(error.name) ? new ToolError(error.message) : error;
}

function startBackground(
  params: ShellParameters,
  ctx: ToolContext,
  sandbox: ShellSandboxConfig,
  cwd: string,
): ToolResult {
  const jobs = ctx.services.shellJobs;
  if (!jobs) {
    throw new ToolError("Background jobs are not available here; run the command without background: true.");
  }
  let job: ReturnType<ShellJobs["start"]>;
  try {
    job = jobs.start({
      command: params.command,
      cwd,
      workspaceRoot: ctx.workspace.root,
      sandbox,
      ...(params.timeout_ms === undefined ? {} : { timeoutMs: timeoutOf(params) }),
      ...(params.description ? { description: params.description } : {}),
    });
  } catch (error) {
    throw asToolError(error);
  }
  const limit = params.timeout_ms === undefined ? "" : ` It will be stopped after ${timeoutOf(params)} ms.`;
  return {
    text:
      `Started background job ${job.id} (pid ${job.pid}).${limit} ` +
      `Read its output with shell_job {"action":"output","job_id":"${job.id}"}; stop it with shell_job_kill.`,
    details: {
      jobId: job.id,
      background: true,
      sandbox: sandbox.mode,
      command: params.command,
      cwd: ctx.workspace.relative(cwd),
      ...(params.description ? { description: params.description } : {}),
    },
  };
}

export const shellTool = defineTool({
  name: "shell",
  description,
  parameters: ShellParameters,
  kind: "shell",
  describe(params) {
    return { title: firstLine(params.command), detail: params.command, detailKind: "command" };
  },
  async execute(params, ctx) {
    const sandbox = sandboxConfig(ctx.services);
    const cwd = params.cwd === undefined ? ctx.workspace.root : ctx.workspace.resolve(params.cwd);
    if (ctx.signal.aborted) throw new ToolError("The command was not run: the turn was stopped.");
    if (params.background) return startBackground(params, ctx, sandbox, cwd);

    const timeoutMs = timeoutOf(params);
    let started: ReturnType<typeof startShellProcess>;
    try {
      started = startShellProcess({
        command: params.command,
        cwd,
        workspaceRoot: ctx.workspace.root,
        sandbox,
        timeoutMs,
        signal: ctx.signal,
        onOutput: (stream, text) => ctx.progress({ stream, text }),
      });
    } catch (error) {
      throw asToolError(error);
    }
    const outcome = await started.finished;
    const output = started.output.text();
    const ending = describeOutcome(outcome, timeoutMs);
    const body = output.length === 0 ? "(no output)\n" : output.endsWith("\n") ? output : `${output}\n`;
    return {
      text: `${body}\n${ending}`,
      details: {
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        timedOut: outcome.stoppedBy === "timeout",
        stopped: outcome.stoppedBy === "abort",
        durationMs: outcome.durationMs,
        sandbox: sandbox.mode,
        command: params.command,
        cwd: ctx.workspace.relative(cwd),
        ...(params.description ? { description: params.description } : {}),
      },
    };
  },
});
