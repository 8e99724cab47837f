/**
 * Shell isolation contract: what the integrator hands to the `shell` and `shell_job` tools.
 *
 * Wiring (done once per turn by whoever builds `ToolServices`, see src/sessions/turn-setup.ts):
 *
 * ```ts
 * const services: ToolServices = {
 *   sandbox: {
 *     ...sandboxStatus(),                       // src/sandbox/bubblewrap.ts, probed once per process
 *     hiddenPaths: [...protectedPaths(paths, settings.credentialFolders), ...secretStorePaths(env)],
 *     network: agent.network,                   // "isolated" | "internet" | "host"
 *     env: buildShellEnvironment({ base: process.env, extra: settings.env, allow: settings.envAllow }),
 *   } satisfies ShellSandboxConfig,
 *   shellJobs: new ShellJobs(),                 // src/sandbox/shell-jobs.ts; dispose() at session end
 * };
 * ```
 *
 * Host sockets (/run/user, sockets under /run …) are hidden by bubblewrap.ts for every command,
 * whatever the wiring passes (src/sandbox/host-sockets.ts).
 *
 * Without `services.sandbox` the shell tools refuse to run: there is no implicit default, so a
 * forgotten wiring can never silently run commands unsandboxed with the app's full environment.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { NetworkMode } from "../shared/agent.ts";

/**
 * How shell commands are isolated.
 * - `"bubblewrap"`: under `bwrap`: the workspace is read-write, the rest of the file system read-only,
 *   the hidden paths and host sockets are empty, `/tmp` is private, and the network is the agent's
 *   network mode.
 * - `"seatbelt"`: macOS: under `sandbox-exec` with a profile built per command (src/sandbox/seatbelt.ts):
 *   the workspace and temporary folders writable, hidden paths unreadable, the agent's network mode.
 * - `"none"`: bubblewrap is missing or unusable (or Windows, which has no sandbox Sage can use); commands run as the user with no isolation besides
 *   the scrubbed environment and the working directory. The approval policy must then ask before
 *   every command, and the UI must say so.
 */
export const SandboxMode = T.Union([T.Literal("bubblewrap"), T.Literal("seatbelt"), T.Literal("none")]);
export type SandboxMode = Static<typeof SandboxMode>;

/** How to start bubblewrap on this machine, as found by the probe. */
export const BubblewrapLauncher = T.Object({
  /** Absolute path of the `bwrap` executable. */
  path: T.String(),
  /** Options the probe found necessary on this machine (for instance `--unshare-user`). */
  extraArgs: T.Array(T.String()),
});
export type BubblewrapLauncher = Static<typeof BubblewrapLauncher>;

/** Whether the "internet" network mode can be given here (src/sandbox/network.ts). */
export const InternetStatus = T.Object({
  available: T.Boolean(),
  /** One sentence for people, shown in Settings. */
  reason: T.String(),
  /** Absolute path of slirp4netns, when available. */
  slirp4netns: T.Optional(T.String()),
});

/** The result of probing for bubblewrap: which mode is active and why (shown in the UI). */
export const SandboxStatus = T.Object({
  mode: SandboxMode,
  /** One sentence for people: why this mode, e.g. "bwrap is not installed" or the bwrap error. */
  reason: T.String(),
  /** Present exactly when `mode` is `"bubblewrap"`. */
  bubblewrap: T.Optional(BubblewrapLauncher),
  /** Absent where nobody probed (then "internet" runs as "isolated"). */
  internet: T.Optional(InternetStatus),
});
export type SandboxStatus = Static<typeof SandboxStatus>;

/** `ToolServices.sandbox`: the isolation settings for one session's shell commands. */
export const ShellSandboxConfig = T.Object({
  ...SandboxStatus.properties,
  /**
   * Absolute paths made invisible inside the sandbox: Sage's data, config and state folders
   * (database, keys, the lock file with the token), the credential folders, keyrings and the user's
   * runtime folder. A hidden folder appears empty; a hidden file reads as nothing. Paths that do not
   * exist are ignored. Only enforced under bubblewrap.
   */
  hiddenPaths: T.Array(T.String()),
  /** What commands may reach over the network (src/sandbox/network.ts). Only enforced under bubblewrap. */
  network: NetworkMode,
  /**
   * The complete environment of every command, already scrubbed of secrets: build it with
   * `buildShellEnvironment` (src/sandbox/environment.ts). The tools add nothing to it.
   */
  env: T.Record(T.String(), T.String()),
});
export type ShellSandboxConfig = Static<typeof ShellSandboxConfig>;

/** The sandbox settings say bubblewrap, but it cannot be used; commands are refused, never run bare. */
export class SandboxUnavailableError extends Error {
  override readonly name = "SandboxUnavailableError";
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** How the shell tool runs commands for this agent (checked again by the tool). */
    sandbox?: ShellSandboxConfig;
  }
}
