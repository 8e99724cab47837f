/**
 * Where Sage keeps its files. Never derived from import.meta.dir (that points inside the executable when
 * compiled).
 *
 * Defaults per platform (the platform is a parameter, so tests check all three here):
 * - Linux (XDG): data in $XDG_DATA_HOME/sage, config in $XDG_CONFIG_HOME/sage, logs in
 *   $XDG_STATE_HOME/sage/logs.
 * - macOS: data in ~/Library/Application Support/Sage, config in its `config` folder, logs in
 *   ~/Library/Logs/Sage.
 * - Windows: data in %LOCALAPPDATA%\Sage (machine-local: database, workspaces), config in
 *   %APPDATA%\Sage (roams with the profile), logs in %LOCALAPPDATA%\Sage\logs.
 * One override, `--data-dir` or SAGE_HOME, puts everything under a single folder on every platform
 * (used by tests and portable installs).
 */
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { posix, win32 } from "node:path";
import { errorMessage } from "./errors.ts";
import { currentOs, type OperatingSystem } from "./platform.ts";

export interface Paths {
  /** The override folder when one was given, else the data dir. Shown in the UI as "data folder". */
  home: string;
  /** The user's home folder ($HOME): `~` in credential folder entries, and a forbidden workspace. */
  userHome: string;
  data: string;
  config: string;
  /** Sage's own state folder ($XDG_STATE_HOME/sage, or the override folder); holds `logs`. */
  state: string;
  logs: string;
  database: string;
  /** Default parent of agents' workspaces. */
  workspaces: string;
  /** The user's editable skills (built-ins are synced here). */
  skills: string;
  /** Browser profiles, one per agent. */
  browserProfiles: string;
  /** Single-instance lock with the running server's port. */
  lockFile: string;
  /** Remembered window size. */
  windowState: string;
  /** Encrypted fallback key store, used when no OS keychain is reachable. */
  secretsFile: string;
  /** Big packages the executable unpacks on first use (src/core/cold-bundles.ts). */
  modules: string;
}

export function resolvePaths(
  env: Record<string, string | undefined>,
  override?: string,
  os: OperatingSystem = currentOs(),
): Paths {
  const { join, resolve } = os === "windows" ? win32 : posix;
  const home = env.HOME || (os === "windows" ? env.USERPROFILE : undefined) || homedir();
  const single = override || env.SAGE_HOME;
  if (single) {
    const root = resolve(single);
    return layout(join, resolve(home), { home: root, data: root, config: join(root, "config"), state: root });
  }
  if (os === "darwin") {
    const data = join(home, "Library", "Application Support", "Sage");
    const logs = join(home, "Library", "Logs", "Sage");
    return layout(join, resolve(home), { home: data, data, config: join(data, "config"), state: logs, logs });
  }
  if (os === "windows") {
    const data = join(env.LOCALAPPDATA || join(home, "AppData", "Local"), "Sage");
    const config = join(env.APPDATA || join(home, "AppData", "Roaming"), "Sage");
    return layout(join, resolve(home), { home: data, data, config, state: data });
  }
  const data = join(env.XDG_DATA_HOME || join(home, ".local", "share"), "sage");
  const config = join(env.XDG_CONFIG_HOME || join(home, ".config"), "sage");
  const state = join(env.XDG_STATE_HOME || join(home, ".local", "state"), "sage");
  return layout(join, resolve(home), { home: data, data, config, state });
}

interface Folders {
  home: string;
  data: string;
  config: string;
  state: string;
  /** Default: `state/logs`. */
  logs?: string;
}

function layout(join: (...parts: string[]) => string, userHome: string, folders: Folders): Paths {
  const { home, data, config, state } = folders;
  return {
    home,
    userHome,
    data,
    config,
    state,
    logs: folders.logs ?? join(state, "logs"),
    database: join(data, "sage.db"),
    workspaces: join(data, "workspaces"),
    skills: join(data, "skills"),
    browserProfiles: join(data, "browser-profiles"),
    lockFile: join(data, "sage.lock"),
    windowState: join(config, "window.json"),
    secretsFile: join(data, "secrets.enc"),
    modules: join(data, "modules"),
  };
}

/** A data, config or state folder could not be created or made private. */
export class DataFolderError extends Error {
  override readonly name = "DataFolderError";
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `Sage cannot use its folder ${path}: ${errorMessage(cause)}. Check that it is a folder you own, ` +
        "or start Sage with --data-dir pointing at another folder.",
    );
  }
}

/**
 * Create Sage's folders before anything opens a file in them (the single-instance lock is the first).
 * Called once, early, by `main.ts` in every mode (window, serve, dev, the window's fallback), and again
 * by `initialize` for callers that start the backend directly (tests, benchmarks): it is idempotent.
 *
 * Contract: data, config, state, logs, workspaces and skills exist afterwards. Sage's own folders (data,
 * config, state, logs) are private (0700: they hold keys, conversations and the access token), and are
 * made so when they already exist with wider modes. Missing parents (`~/.local/share` on a brand-new
 * account) are created 0700 as the XDG spec asks, but existing parents are never changed: they belong
 * to the user, not to Sage.
 */
export function ensurePaths(paths: Paths, os: OperatingSystem = currentOs()): void {
  // Windows has no Unix modes (chmod only toggles read-only); the profile's ACLs keep them private.
  for (const dir of [paths.data, paths.config, paths.state, paths.logs]) {
    if (os === "windows") makeFolder(dir);
    else makePrivateFolder(dir);
  }
  for (const dir of [paths.workspaces, paths.skills]) makeFolder(dir);
}

function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new DataFolderError(dir, error);
  }
}

function makePrivateFolder(dir: string): void {
  makeFolder(dir);
  try {
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw new Error("it is not a folder");
    if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  } catch (error) {
    throw new DataFolderError(dir, error);
  }
}
