/**
 * macOS: shell commands under `sandbox-exec` with a Seatbelt profile built per command, and how the
 * sandbox is chosen per platform.
 *
 * Profile contract (SBPL; a later rule wins over an earlier one):
 * - everything is allowed, then writing anywhere is denied, then writing is allowed again in the
 *   workspace, the temporary folders (/private/tmp, /private/var/folders: $TMPDIR) and the terminal
 *   devices;
 * - the hidden paths (Sage's folders, credential folders) can be neither read nor written;
 * - network: "isolated" denies all of it; "internet" denies connections to this computer
 *   (`localhost`, so Sage's own port, local databases and dev servers are out of reach, as under
 *   slirp4netns on Linux); "host" allows it.
 * Paths must be real paths (macOS's /tmp and /var are symlinks into /private; Seatbelt matches the
 * resolved path), and are quoted with SBPL's string escapes.
 *
 * Not enforced by this machine's tests: there is no macOS here. The profile text is unit-tested; the
 * executable is built for macOS in CI (scripts/check-targets.ts).
 */
import { existsSync } from "node:fs";
import type { OperatingSystem } from "../core/platform.ts";
import type { NetworkMode } from "../shared/agent.ts";
import type { SandboxStatus } from "./types.ts";

export const SANDBOX_EXEC = "/usr/bin/sandbox-exec";

export interface SeatbeltOptions {
  workspace: string;
  hiddenPaths: string[];
  network: NetworkMode;
}

/** An SBPL string literal. */
export function sbplString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function seatbeltProfile(options: SeatbeltOptions): string {
  const writable = [options.workspace, "/private/tmp", "/private/var/folders"];
  const lines = [
    "(version 1)",
    "(allow default)",
    '(deny file-write* (subpath "/"))',
    `(allow file-write* ${writable.map((path) => `(subpath ${sbplString(path)})`).join(" ")} (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/(fd/|ttys)"))`,
  ];
  for (const path of options.hiddenPaths) {
    lines.push(`(deny file-read* file-write* (subpath ${sbplString(path)}))`);
  }
  if (options.network === "isolated") lines.push("(deny network*)");
  if (options.network === "internet") lines.push('(deny network-outbound (remote ip "localhost:*"))');
  return `${lines.join("\n")}\n`;
}

/** The argv that runs `command` (an argv itself) under the profile. */
export function seatbeltCommand(options: SeatbeltOptions, command: string[]): string[] {
  return [SANDBOX_EXEC, "-p", seatbeltProfile(options), ...command];
}

/**
 * The sandbox of a platform other than Linux (where src/sandbox/bubblewrap.ts probes bubblewrap):
 * Seatbelt on macOS when sandbox-exec exists, approvals only on Windows and on a macOS without it.
 * The reason is shown in Settings → Tools & approvals. Undefined on Linux.
 */
export function otherPlatformSandbox(
  os: OperatingSystem,
  exists: (path: string) => boolean = existsSync,
): SandboxStatus | undefined {
  if (os === "linux") return undefined;
  if (os === "darwin") {
    if (exists(SANDBOX_EXEC)) {
      return {
        mode: "seatbelt",
        reason: `commands run under macOS's sandbox (${SANDBOX_EXEC}): only the workspace and temporary folders are writable`,
        internet: {
          available: true,
          reason: "connections to this computer are refused by the sandbox profile",
        },
      };
    }
    return {
      mode: "none",
      reason: `${SANDBOX_EXEC} was not found, so commands run without a sandbox and each one asks for your approval`,
    };
  }
  return {
    mode: "none",
    reason:
      "Windows has no sandbox Sage can use, so commands run without one and each one asks for your approval",
  };
}
