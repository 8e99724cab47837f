/**
 * Bubblewrap: finding a usable `bwrap` and building its arguments.
 *
 * A `bwrap` binary can be installed yet unusable (user namespaces disabled, a container without the
 * right capabilities), so the probe runs a real trial with the same isolation options the shell tool
 * uses. It tries plain `bwrap` first, then with `--unshare-user` (which helps root inside some
 * containers), and keeps the first variant that works.
 *
 * Process lifetime inside the sandbox: `--unshare-pid` gives every command its own PID namespace and
 * `--die-with-parent` ties it to the `bwrap` process, so killing `bwrap` (what the shell runner does on
 * timeout or stop) kills every process the command started. `--new-session` detaches the command from
 * any controlling terminal, so it cannot push keystrokes into the terminal Sage was started from
 * (TIOCSTI); the runner starts `bwrap` in a session of its own anyway, so nothing is lost by it.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, resolve, sep, win32 } from "node:path";
import { currentOs, type OperatingSystem } from "../core/platform.ts";
import type { NetworkMode } from "../shared/agent.ts";
import { hostSocketPaths } from "./host-sockets.ts";
import { bubblewrapNetworkArgs, probeInternet } from "./network.ts";
import { type ProbeRunResult, probeRun } from "./probe-run.ts";
import { isHiddenPath } from "./protected-paths.ts";
import { otherPlatformSandbox } from "./seatbelt.ts";
import type { BubblewrapLauncher, SandboxMode, SandboxStatus } from "./types.ts";

export interface BubblewrapOptions {
  /** Absolute path of the workspace: the only place the command may write (besides a private /tmp). */
  workspace: string;
  /** Absolute paths to make invisible (see `ShellSandboxConfig.hiddenPaths`). Missing ones are skipped. */
  hiddenPaths: string[];
  /**
   * The network of the command (src/sandbox/network.ts). "internet" expects the caller to wire the
   * file descriptors of `internetFds` and start slirp4netns; every other mode needs nothing more.
   */
  network: NetworkMode;
  /** Absolute working directory inside the sandbox; defaults to the workspace. */
  cwd?: string;
  /** Host sockets to hide besides `hiddenPaths`; default `hostSocketPaths` of this machine now. */
  hostSockets?: string[];
}

/** Where `bwrap` is looked for, in order, after the PATH. */
const wellKnownLocations = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];

/** A probe that does not answer in this time counts as unusable. */
const probeTimeoutMs = 5000;

/** Variants of extra options tried by the probe, in order of preference. */
const launcherVariants: string[][] = [[], ["--unshare-user"]];

function depth(path: string): number {
  return path.split(sep).filter((part) => part.length > 0).length;
}

function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * The `bwrap` options (without the executable and without the command) for one shell command.
 *
 * Mount order matters because a later mount covers an earlier one: the hidden paths and the writable
 * workspace are applied parents first, so a workspace inside the data dir stays visible and writable,
 * and a data dir inside the workspace stays hidden. Paths are symlink-resolved first so that hiding
 * cannot be side-stepped through another spelling of the same folder. A hidden path inside a folder
 * that is hidden already is left out (the mount point would not exist on the empty tmpfs).
 */
export function buildBubblewrapArgs(options: BubblewrapOptions): string[] {
  if (!isAbsolute(options.workspace)) {
    throw new Error(`The workspace path must be absolute, got "${options.workspace}"`);
  }
  const workspace = realPathOrNull(options.workspace);
  if (workspace === null) throw new Error(`The workspace folder does not exist: ${options.workspace}`);
  const cwd = options.cwd === undefined ? workspace : (realPathOrNull(options.cwd) ?? resolve(options.cwd));

  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];

  const hidden = new Map<string, boolean>(); // real path -> is a folder
  const hostSockets = options.hostSockets ?? hostSocketPaths({ env: {} });
  for (const hiddenPath of [...options.hiddenPaths, ...hostSockets]) {
    if (!isAbsolute(hiddenPath)) throw new Error(`Hidden paths must be absolute, got "${hiddenPath}"`);
    const real = realPathOrNull(hiddenPath);
    if (real === null || real === workspace || real === "/" || hidden.has(real)) continue;
    try {
      hidden.set(real, statSync(real).isDirectory());
    } catch {
      // Vanished since realpath: nothing to hide.
    }
  }
  const hiddenFolders = [...hidden].filter(([, isFolder]) => isFolder).map(([path]) => path);

  type Mount = { path: string; args: string[] };
  const mounts: Mount[] = [{ path: workspace, args: ["--bind", workspace, workspace] }];
  for (const [path, isFolder] of hidden) {
    const ancestors = hiddenFolders.filter((folder) => folder !== path);
    if (isHiddenPath(path, ancestors, workspace)) continue;
    mounts.push({ path, args: isFolder ? ["--tmpfs", path] : ["--ro-bind", "/dev/null", path] });
  }
  // Stable sort: parents (fewer components) first; at equal depth the paths are disjoint.
  mounts.sort((first, second) => depth(first.path) - depth(second.path));
  for (const mount of mounts) args.push(...mount.args);

  args.push("--unshare-pid", "--unshare-ipc", ...bubblewrapNetworkArgs(options.network));
  args.push("--die-with-parent", "--new-session", "--chdir", cwd);
  return args;
}

/**
 * What a sandboxed command could use to read the keys Sage keeps in the OS keychain or to talk to the
 * user's session, per platform. Pass them in `hiddenPaths` (the file tools refuse them too).
 * - Linux: the whole runtime folder `$XDG_RUNTIME_DIR` (the D-Bus session bus with the Secret Service
 *   and `systemd --user`, gnome-keyring's control socket, the Wayland display, pipewire, the gpg and
 *   ssh agents of many desktops) and the keyring files.
 * - macOS: the keychains, cookies, Safari and Mail, and the browsers' profiles under Application
 *   Support (the Linux credential-folder defaults name their Linux places).
 * - Windows: the Credential Manager's and DPAPI's folders and the browsers' profiles in AppData.
 * `env` is the app's environment (XDG_RUNTIME_DIR, XDG_DATA_HOME, HOME, USERPROFILE, APPDATA and
 * LOCALAPPDATA are read).
 */
export function secretStorePaths(
  env: Record<string, string | undefined>,
  os: OperatingSystem = currentOs(),
): string[] {
  if (os === "darwin") {
    if (!env.HOME || !isAbsolute(env.HOME)) return [];
    const library = join(env.HOME, "Library");
    const support = join(library, "Application Support");
    return [
      join(library, "Keychains"),
      join(library, "Cookies"),
      join(library, "Safari"),
      join(library, "Mail"),
      ...["Google/Chrome", "Chromium", "BraveSoftware", "Microsoft Edge", "Vivaldi", "Firefox"].map((name) =>
        join(support, name),
      ),
    ];
  }
  if (os === "windows") {
    const home = env.USERPROFILE || env.HOME;
    const roaming = env.APPDATA || (home ? win32.join(home, "AppData", "Roaming") : undefined);
    const local = env.LOCALAPPDATA || (home ? win32.join(home, "AppData", "Local") : undefined);
    const paths: string[] = [];
    if (roaming) {
      paths.push(
        ...["Microsoft\\Credentials", "Microsoft\\Protect", "Mozilla\\Firefox"].map((p) =>
          win32.join(roaming, p),
        ),
      );
    }
    if (local) {
      paths.push(
        ...[
          "Microsoft\\Credentials",
          "Google\\Chrome\\User Data",
          "Microsoft\\Edge\\User Data",
          "BraveSoftware\\Brave-Browser\\User Data",
        ].map((p) => win32.join(local, p)),
      );
    }
    return paths;
  }
  const paths: string[] = [];
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && isAbsolute(runtimeDir)) paths.push(runtimeDir);
  const dataHome = env.XDG_DATA_HOME || (env.HOME ? join(env.HOME, ".local", "share") : undefined);
  if (dataHome && isAbsolute(dataHome)) paths.push(join(dataHome, "keyrings"));
  return paths;
}

function findExecutable(candidates?: string[]): string | null {
  const list = candidates ?? [Bun.which("bwrap"), ...wellKnownLocations].filter((path) => path !== null);
  for (const candidate of list) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

function trialRun(path: string, extraArgs: string[]): Promise<ProbeRunResult> {
  const trialArgs = [
    ...extraArgs,
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-net",
    "--die-with-parent",
    "--new-session",
    "--",
    "true",
  ];
  return probeRun([path, ...trialArgs], probeTimeoutMs);
}

/**
 * Probe for a usable bubblewrap, uncached. `candidates` replaces the search (PATH, then well-known
 * locations); tests use it to simulate a missing or broken `bwrap`.
 */
export async function probeBubblewrap(candidates?: string[]): Promise<SandboxStatus> {
  const path = findExecutable(candidates);
  if (path === null) {
    return { mode: "none", reason: "bubblewrap (bwrap) is not installed, so commands run without a sandbox" };
  }
  const errors: string[] = [];
  for (const extraArgs of launcherVariants) {
    const trial = await trialRun(path, extraArgs);
    if (trial.ok) {
      const bubblewrap: BubblewrapLauncher = { path, extraArgs };
      const how = extraArgs.length > 0 ? ` (with ${extraArgs.join(" ")})` : "";
      return { mode: "bubblewrap", reason: `commands run under bubblewrap at ${path}${how}`, bubblewrap };
    }
    errors.push(trial.error);
  }
  return {
    mode: "none",
    reason: `bubblewrap at ${path} cannot create a sandbox here (${errors[0]}), so commands run without one`,
  };
}

let cachedStatus: Promise<SandboxStatus> | null = null;

/**
 * The sandbox status of this machine (bubblewrap, and slirp4netns for the "internet" network mode, on
 * Linux; Seatbelt or approvals only elsewhere, see src/sandbox/seatbelt.ts), probed once per process,
 * asynchronously (the probes are child processes; nothing waits for them but the callers that need
 * the answer), then remembered. Concurrent first callers share one probe.
 */
export function sandboxStatus(): Promise<SandboxStatus> {
  cachedStatus ??= probeSandbox();
  return cachedStatus;
}

/** The probes, uncached, run side by side; `bwrapCandidates` as for `probeBubblewrap`. */
export async function probeSandbox(bwrapCandidates?: string[]): Promise<SandboxStatus> {
  const other = otherPlatformSandbox(currentOs());
  if (other) return other;
  const [bubblewrap, internet] = await Promise.all([probeBubblewrap(bwrapCandidates), probeInternet()]);
  return { ...bubblewrap, internet };
}

/** How shell commands are isolated here ("bubblewrap", "seatbelt" or "none"; see `sandboxStatus().reason`). */
export async function sandboxMode(): Promise<SandboxMode> {
  return (await sandboxStatus()).mode;
}

/** The full argv that runs `command` (an argv itself) under bubblewrap. */
export function bubblewrapCommand(
  launcher: BubblewrapLauncher,
  options: BubblewrapOptions,
  command: string[],
): string[] {
  return [launcher.path, ...launcher.extraArgs, ...buildBubblewrapArgs(options), "--", ...command];
}
