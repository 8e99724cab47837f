/**
 * The program that runs the shell tool's command lines, and how to stop what it started, per platform.
 *
 * Contract:
 * - Linux and macOS: `bash -c COMMAND` (`/bin/sh` where bash is missing); stopping signals the whole
 *   process group (the runner starts the shell detached, as a group leader).
 * - Windows: PowerShell (`pwsh` when installed, else Windows PowerShell) with `-NoProfile
 *   -NonInteractive -Command COMMAND`; Windows has no process groups to signal, so stopping runs
 *   `taskkill /T` on the tree (`/F` for the forced second step).
 * - `label` names the shell for the model (the shell tool's description) and people.
 */
import { existsSync } from "node:fs";
import { currentOs, type OperatingSystem } from "../core/platform.ts";

export type StopSignal = "SIGTERM" | "SIGKILL";

export interface ShellProgram {
  /** How the command line is run, for the model: "bash -c" or "PowerShell -Command". */
  label: string;
  /** The argv that runs one command line. */
  argv(command: string): string[];
  /** Stop the process tree rooted at `pid` (no effect once it is gone). */
  stopTree(pid: number, signal: StopSignal): void;
}

export interface ShellProgramProbes {
  exists(path: string): boolean;
  which(name: string): string | null;
}

const realProbes: ShellProgramProbes = { exists: existsSync, which: (name) => Bun.which(name) };

/** `taskkill`'s arguments for a tree stop: a polite first step, `/F` for SIGKILL. */
export function taskkillArgs(pid: number, signal: StopSignal): string[] {
  return ["taskkill", "/T", ...(signal === "SIGKILL" ? ["/F"] : []), "/PID", String(pid)];
}

function signalGroup(pid: number, signal: StopSignal): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function shellProgram(
  os: OperatingSystem = currentOs(),
  probes: ShellProgramProbes = realProbes,
): ShellProgram {
  if (os === "windows") {
    const path = probes.which("pwsh") ?? probes.which("powershell.exe") ?? "powershell.exe";
    return {
      label: "PowerShell -Command",
      argv: (command) => [path, "-NoProfile", "-NonInteractive", "-Command", command],
      stopTree: (pid, signal) => {
        try {
          Bun.spawn(taskkillArgs(pid, signal), { stdio: ["ignore", "ignore", "ignore"] }).unref();
        } catch {
          // taskkill missing: nothing more can be done from here.
        }
      },
    };
  }
  const path = probes.exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
  return {
    label: path === "/bin/bash" ? "bash -c" : "sh -c",
    argv: (command) => [path, "-c", command],
    stopTree: signalGroup,
  };
}
