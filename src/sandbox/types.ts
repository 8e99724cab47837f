/**
 * Shell isolation contract: what the integrator hands to the `shell` and `shell_job` tools.
 *
 * Wiring (done once per session by whoever builds `ToolServices`):
 *
 * ```ts
 * const services: ToolServices = {
 *   sandbox: {
 *     ...sandboxStatus(),                       // src/sandbox/bubblewrap.ts, probed once per process
 *     hiddenPaths: [paths.dataDir, paths.configDir, ...secretStorePaths(process.env)],
 *     network: agent.allowNetwork,
 *     env: buildShellEnvironment({ base: process.env, extra: settings.env, allow: settings.envAllow }),
 *   } satisfies ShellSandboxConfig,
 *   shellJobs: new ShellJobs(),                 // src/sandbox/shell-jobs.ts; dispose() at session end
 * };
 * ```
 *
 * Without `services.sandbox` the shell tools refuse to run: there is no implicit default, so a
 * forgotten wiring can never silently run commands unsandboxed with the app's full environment.
 */
import { type Static, Type as T } from "@sinclair/typebox";

/**
 * How shell commands are isolated.
 * - `"bubblewrap"`: under `bwrap`: the workspace is read-write, the rest of the file system read-only,
 *   the hidden paths are empty, `/tmp` is private, and the network is cut when the agent has it off.
 * - `"none"`: bubblewrap is missing or unusable; commands run as the user with no isolation besides
 *   the scrubbed environment and the working directory. The approval policy must then ask before
 *   every command, and the UI must say so.
 */
export const SandboxMode = T.Union([T.Literal("bubblewrap"), T.Literal("none")]);
export type SandboxMode = Static<typeof SandboxMode>;

/** How to start bubblewrap on this machine, as found by the probe. */
export const BubblewrapLauncher = T.Object({
  /** Absolute path of the `bwrap` executable. */
  path: T.String(),
  /** Options the probe found necessary on this machine (for instance `--unshare-user`). */
  extraArgs: T.Array(T.String()),
});
export type BubblewrapLauncher = Static<typeof BubblewrapLauncher>;

/** The result of probing for bubblewrap: which mode is active and why (shown in the UI). */
export const SandboxStatus = T.Object({
  mode: SandboxMode,
  /** One sentence for people: why this mode, e.g. "bwrap is not installed" or the bwrap error. */
  reason: T.String(),
  /** Present exactly when `mode` is `"bubblewrap"`. */
  bubblewrap: T.Optional(BubblewrapLauncher),
});
export type SandboxStatus = Static<typeof SandboxStatus>;

/** `ToolServices.sandbox`: the isolation settings for one session's shell commands. */
export const ShellSandboxConfig = T.Object({
  ...SandboxStatus.properties,
  /**
   * Absolute paths made invisible inside the sandbox: Sage's data dir (database, keys), its config
   * dir, keyring files and sockets. A hidden folder appears empty; a hidden file reads as nothing.
   * Paths that do not exist are ignored. Only enforced under bubblewrap.
   */
  hiddenPaths: T.Array(T.String()),
  /** Whether commands may reach the network. Only enforced under bubblewrap. */
  network: T.Boolean(),
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
