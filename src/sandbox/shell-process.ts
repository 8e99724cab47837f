/**
 * Running one shell command: spawn (sandboxed or not), stream its output, stop it.
 *
 * Contract of `startShellProcess`:
 * - The command runs as `bash -c <command>` (`/bin/sh -c` where bash is missing), with stdin at
 *   end-of-file, in `cwd`, with exactly `sandbox.env` as its environment.
 * - Under bubblewrap the argv comes from `bubblewrapCommand`; a sandbox config that says bubblewrap
 *   but carries no launcher is refused with `SandboxUnavailableError`, never run unsandboxed.
 * - The network is `sandbox.network` (src/sandbox/network.ts). "internet" where slirp4netns is missing
 *   or fails runs the command without network, and a `[sage]` line on stderr says so and why.
 * - The process is started in a session and process group of its own. Stopping it (timeout, abort
 *   signal, `stop()`) sends SIGTERM to the whole group, then SIGKILL after `stopGraceMs`. Under
 *   bubblewrap the group is `bwrap` itself, whose death kills its PID namespace.
 * - When the shell exits, whatever it left running in its process group is stopped the same way, so
 *   a foreground command never leaves processes behind (long-running ones belong in background jobs).
 * - `onOutput` receives decoded text per stream as soon as it arrives; `output` keeps the combined
 *   transcript with bounded memory (see shell-output.ts).
 * - `finished` never rejects; it resolves once the process has exited and its output is drained.
 */
import { statSync } from "node:fs";
import type { NetworkMode } from "../shared/agent.ts";
import { bubblewrapCommand } from "./bubblewrap.ts";
import { bubblewrapFds, type InternetLink, linkInternet } from "./internet-link.ts";
import { seatbeltCommand } from "./seatbelt.ts";
import { type OutputLimits, OutputLog, type OutputStream, StreamDecoder } from "./shell-output.ts";
import { type StopSignal, shellProgram } from "./shell-program.ts";
import { type SandboxMode, SandboxUnavailableError, type ShellSandboxConfig } from "./types.ts";

/** Why a process was stopped by us rather than exiting on its own. */
export type ShellStopReason = "timeout" | "abort" | "kill" | "dispose";

export interface ShellLaunch {
  command: string;
  /** Absolute working directory, already confined to the workspace by the caller. */
  cwd: string;
  /** Absolute workspace root (the writable bind under bubblewrap). */
  workspaceRoot: string;
  sandbox: ShellSandboxConfig;
  /** Stop the command after this long; no limit when absent. */
  timeoutMs?: number;
  /** Stops the command when aborted (reason "abort"). */
  signal?: AbortSignal;
  onOutput?(stream: OutputStream, text: string): void;
  outputLimits?: OutputLimits;
  /** Time between SIGTERM and SIGKILL when stopping. */
  stopGraceMs?: number;
}

export interface ShellOutcome {
  /** The exit status, or null when the process died from a signal. */
  exitCode: number | null;
  /** The signal that ended the process, e.g. "SIGTERM", or null. */
  signal: string | null;
  stoppedBy: ShellStopReason | null;
  durationMs: number;
}

export interface ShellProcess {
  readonly pid: number;
  readonly mode: SandboxMode;
  readonly startedAt: number;
  readonly output: OutputLog;
  readonly running: boolean;
  readonly finished: Promise<ShellOutcome>;
  /** Stop the process group (no effect once it has exited); resolves when it is gone. */
  stop(reason: ShellStopReason): Promise<ShellOutcome>;
}

/** The command could not be started at all (missing folder, missing executable ...). */
export class ShellStartError extends Error {
  override readonly name = "ShellStartError";
}

const defaultStopGraceMs = 2000;
/** How long to keep reading after the shell exited, for output still in the pipes. */
const drainAfterExitMs = 1000;

const shell = shellProgram();

function signalGroup(pid: number, signal: StopSignal): void {
  shell.stopTree(pid, signal);
}

/**
 * SIGKILL to the group after `graceMs`. Made out here so the timer holds the pid only: a closure made
 * inside `startShellProcess` would share its scope and keep the process, its output and the caller's
 * launch (the tool call, the turn) alive for the whole grace period after every command.
 */
function killAfter(pid: number, graceMs: number): ReturnType<typeof setTimeout> {
  return setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
}

interface CommandPlan {
  argv: string[];
  /** slirp4netns to attach once bwrap runs ("internet" with slirp4netns available). */
  slirp4netns?: string;
  /** Told to the user on stderr before the command's own output. */
  notice?: string;
}

function commandPlan(launch: ShellLaunch): CommandPlan {
  const shellArgv = shell.argv(launch.command);
  const { sandbox } = launch;
  if (sandbox.mode === "none") return { argv: shellArgv };
  if (sandbox.mode === "seatbelt") {
    const options = {
      workspace: launch.workspaceRoot,
      hiddenPaths: sandbox.hiddenPaths,
      network: sandbox.network,
    };
    return { argv: seatbeltCommand(options, shellArgv) };
  }
  if (!sandbox.bubblewrap) {
    throw new SandboxUnavailableError(
      "The sandbox is set to bubblewrap but no usable bwrap was found; the command was not run.",
    );
  }
  const slirp4netns = sandbox.network === "internet" ? sandbox.internet?.slirp4netns : undefined;
  const network: NetworkMode = sandbox.network === "internet" && !slirp4netns ? "isolated" : sandbox.network;
  const options = {
    workspace: launch.workspaceRoot,
    hiddenPaths: sandbox.hiddenPaths,
    network,
    cwd: launch.cwd,
  };
  const argv = bubblewrapCommand(sandbox.bubblewrap, options, shellArgv);
  if (sandbox.network === "internet" && !slirp4netns) {
    const why = sandbox.internet?.reason ?? "slirp4netns was not found";
    return { argv, notice: `[sage] This command has no network: ${why}.\n` };
  }
  return { argv, slirp4netns };
}

async function pump(
  stream: ReadableStream<Uint8Array>,
  name: OutputStream,
  deliver: (name: OutputStream, text: string) => void,
  stopReading: Promise<void>,
): Promise<void> {
  const reader = stream.getReader();
  const decoder = new StreamDecoder();
  const cancelled = stopReading.then(() => null);
  try {
    while (true) {
      const next = await Promise.race([reader.read(), cancelled]);
      if (next === null || next.done) break;
      deliver(name, decoder.decode(next.value));
    }
  } catch {
    // A broken pipe ends the stream like EOF.
  } finally {
    deliver(name, decoder.finish());
    reader.cancel().catch(() => {});
  }
}

export function startShellProcess(launch: ShellLaunch): ShellProcess {
  if (launch.signal?.aborted) throw new ShellStartError("The command was not started: it was stopped first.");
  let cwdIsFolder = false;
  try {
    cwdIsFolder = statSync(launch.cwd).isDirectory();
  } catch {
    cwdIsFolder = false;
  }
  if (!cwdIsFolder)
    throw new ShellStartError(`The working directory does not exist or is not a folder: ${launch.cwd}`);

  const plan = commandPlan(launch);
  const output = new OutputLog(launch.outputLimits);
  const startedAt = Date.now();
  let child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    const extraPipes = plan.slirp4netns ? (["pipe", "pipe", "pipe"] as const) : [];
    child = Bun.spawn(plan.argv, {
      cwd: launch.sandbox.mode === "none" ? launch.cwd : launch.workspaceRoot,
      env: launch.sandbox.env,
      stdio: ["ignore", "pipe", "pipe", ...extraPipes],
      detached: true,
    }) as Bun.Subprocess<"ignore", "pipe", "pipe">;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ShellStartError(`The command could not be started: ${message}`);
  }
  const pid = child.pid;
  const graceMs = launch.stopGraceMs ?? defaultStopGraceMs;

  let running = true;
  let stoppedBy: ShellStopReason | null = null;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const terminate = (): void => {
    signalGroup(pid, "SIGTERM");
    killTimer ??= killAfter(pid, graceMs);
  };

  const deliver = (stream: OutputStream, text: string): void => {
    if (text.length === 0) return;
    output.write(stream, text);
    try {
      launch.onOutput?.(stream, text);
    } catch {
      // A failing listener must not break the process bookkeeping.
    }
  };
  if (plan.notice) deliver("stderr", plan.notice);
  // "internet": bwrap waits (block fd) until slirp4netns has configured the network, or failed to.
  const internet: Promise<InternetLink> | undefined = plan.slirp4netns
    ? linkInternet(bubblewrapFds(child), plan.slirp4netns).then((link) => {
        if (!link.ok) {
          deliver("stderr", `[sage] This command has no network: slirp4netns failed (${link.error}).\n`);
        }
        return link;
      })
    : undefined;

  let stopReading: () => void = () => {};
  const readingStopped = new Promise<void>((resolve) => {
    stopReading = resolve;
  });
  const drained = Promise.all([
    pump(child.stdout, "stdout", deliver, readingStopped),
    pump(child.stderr, "stderr", deliver, readingStopped),
  ]);

  const stop = (reason: ShellStopReason): Promise<ShellOutcome> => {
    if (running && stoppedBy === null) {
      stoppedBy = reason;
      terminate();
    }
    return finished;
  };

  const timeoutTimer =
    launch.timeoutMs === undefined ? undefined : setTimeout(() => void stop("timeout"), launch.timeoutMs);
  const onAbort = (): void => void stop("abort");
  launch.signal?.addEventListener("abort", onAbort, { once: true });

  const finished = (async (): Promise<ShellOutcome> => {
    await child.exited;
    const endedAt = Date.now();
    await (await internet)?.close();
    running = false;
    clearTimeout(timeoutTimer);
    launch.signal?.removeEventListener("abort", onAbort);
    // Leftovers in the group (a `cmd &` the shell did not wait for) would hold the pipes open;
    // they get the same SIGTERM, then SIGKILL after the grace period.
    terminate();
    killTimer?.unref();
    const drainTimer = setTimeout(stopReading, drainAfterExitMs);
    await drained;
    clearTimeout(drainTimer);
    return {
      exitCode: child.exitCode,
      signal: child.signalCode === null ? null : String(child.signalCode),
      stoppedBy,
      durationMs: endedAt - startedAt,
    };
  })();

  return {
    pid,
    mode: launch.sandbox.mode,
    startedAt,
    output,
    get running() {
      return running;
    },
    finished,
    stop,
  };
}

/** A one-line account of how the process ended, for the model and the UI. */
export function describeOutcome(outcome: ShellOutcome, timeoutMs?: number): string {
  const ending =
    outcome.exitCode !== null ? `exit code ${outcome.exitCode}` : `killed by ${outcome.signal ?? "a signal"}`;
  switch (outcome.stoppedBy) {
    case "timeout": {
      const seconds = timeoutMs === undefined ? "its time limit" : `${Math.round(timeoutMs / 100) / 10} s`;
      return `timed out after ${seconds}; the command was stopped (${ending})`;
    }
    case "abort":
      return `stopped by the user (${ending})`;
    case "kill":
      return `killed on request (${ending})`;
    case "dispose":
      return `stopped because the session ended (${ending})`;
    default:
      return ending;
  }
}
