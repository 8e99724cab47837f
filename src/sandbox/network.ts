/**
 * The network of sandboxed shell commands, per agent (`AgentConfig.network`, src/shared/agent.ts):
 *
 * - "isolated": `bwrap --unshare-net`; the command has a loopback of its own and nothing else. No
 *   abstract Unix socket of the host is reachable either (they belong to a network namespace).
 * - "internet": the same private namespace, connected to the outside by slirp4netns — a user-mode
 *   TCP/IP stack that opens ordinary sockets on the command's behalf — started with
 *   `--disable-host-loopback`, so 127.0.0.1 of this computer (Sage's port, databases, dev servers)
 *   stays out of reach, as do the host's abstract sockets. DNS goes through slirp4netns' forwarder
 *   (10.0.2.3), which also works when the host's resolver listens on loopback (systemd-resolved), so
 *   the sandbox gets a resolv.conf naming it. Addresses of this computer on other interfaces and the
 *   local network remain reachable, as for any program on the network.
 *   Without a working slirp4netns the command runs as "isolated" and its output says so.
 * - "host": the computer's own network namespace: everything, including every local service.
 *
 * How "internet" is put together (src/sandbox/shell-process.ts does it): bwrap starts with
 * `--unshare-net --info-fd 3 --block-fd 4 --ro-bind-data 5 /etc/resolv.conf`; Sage reads the
 * sandboxed process id from fd 3, starts slirp4netns on it (`--ready-fd` / `--exit-fd`), waits until
 * the interface is configured, then writes to fd 4 so bwrap runs the command. slirp4netns ends with
 * the command, or when Sage goes away (its exit fd closes).
 */
import { existsSync, readFileSync } from "node:fs";
import type { NetworkMode } from "../shared/agent.ts";
import { probeRun } from "./probe-run.ts";

/** File descriptors of the bwrap process in "internet" mode (after stdin, stdout, stderr). */
export const internetFds = { info: 3, block: 4, resolvConf: 5 } as const;

/** slirp4netns' built-in DNS forwarder inside the sandbox. */
export const slirpDnsAddress = "10.0.2.3";

/** Where slirp4netns is looked for, in order, after the PATH. */
const wellKnownLocations = ["/usr/bin/slirp4netns", "/usr/local/bin/slirp4netns", "/bin/slirp4netns"];

/** Whether "internet" can be given on this machine, and why (shown in Settings). */
export interface InternetStatus {
  available: boolean;
  reason: string;
  /** Absolute path of slirp4netns, when available. */
  slirp4netns?: string;
}

/** Find a runnable slirp4netns (asynchronously: see src/sandbox/probe-run.ts); `candidates` replaces the search (tests). */
export async function probeInternet(candidates?: string[]): Promise<InternetStatus> {
  const list =
    candidates ?? [Bun.which("slirp4netns"), ...wellKnownLocations].filter((path) => path !== null);
  for (const path of list) {
    if (!path || !existsSync(path)) continue;
    const result = await probeRun([path, "--version"], 5000);
    if (result.ok) {
      return {
        available: true,
        reason: `commands of agents set to "Internet only" reach the internet through slirp4netns at ${path}, without access to this computer's own services`,
        slirp4netns: path,
      };
    }
  }
  return {
    available: false,
    reason:
      'slirp4netns is not installed, so commands of agents set to "Internet only" run without network (install the slirp4netns package)',
  };
}

/** The options bwrap gets for a network mode; "internet" expects the fds of `internetFds`. */
export function bubblewrapNetworkArgs(mode: NetworkMode | "internet-unavailable"): string[] {
  switch (mode) {
    case "host":
      return [];
    case "internet":
      return [
        "--unshare-net",
        "--info-fd",
        String(internetFds.info),
        "--block-fd",
        String(internetFds.block),
        "--ro-bind-data",
        String(internetFds.resolvConf),
        "/etc/resolv.conf",
      ];
    default:
      return ["--unshare-net"];
  }
}

/**
 * The resolv.conf of an "internet" sandbox: the host's search domains and options, with slirp4netns'
 * forwarder as the only name server. `hostText` defaults to the host's /etc/resolv.conf.
 */
export function sandboxResolvConf(hostText?: string): string {
  let text = hostText;
  if (text === undefined) {
    try {
      text = readFileSync("/etc/resolv.conf", "utf8");
    } catch {
      text = "";
    }
  }
  const kept = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^(search|domain|options)\s/.test(line));
  return [`nameserver ${slirpDnsAddress}`, ...kept, ""].join("\n");
}

/** The argv of slirp4netns for the sandboxed process `pid` (fd 3: ready, fd 4: exit). */
export function slirpCommand(path: string, pid: number): string[] {
  return [
    path,
    "--configure",
    "--mtu=65520",
    "--disable-host-loopback",
    "--ready-fd=3",
    "--exit-fd=4",
    String(pid),
    "tap0",
  ];
}
