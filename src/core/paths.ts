/**
 * Where Sage keeps its files. Never derived from import.meta.dir (that points inside the executable when
 * compiled).
 *
 * Default (XDG): data in $XDG_DATA_HOME/sage, config in $XDG_CONFIG_HOME/sage, logs in
 * $XDG_STATE_HOME/sage/logs. One override, `--data-dir` or SAGE_HOME, puts everything under a single
 * folder (used by tests and portable installs).
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface Paths {
  /** The override folder when one was given, else the data dir. Shown in the UI as "data folder". */
  home: string;
  data: string;
  config: string;
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
}

export function resolvePaths(env: Record<string, string | undefined>, override?: string): Paths {
  const home = env.HOME || homedir();
  const single = override || env.SAGE_HOME;
  if (single) {
    const root = resolve(single);
    return layout(root, root, join(root, "config"), join(root, "logs"));
  }
  const data = join(env.XDG_DATA_HOME || join(home, ".local", "share"), "sage");
  const config = join(env.XDG_CONFIG_HOME || join(home, ".config"), "sage");
  const logs = join(env.XDG_STATE_HOME || join(home, ".local", "state"), "sage", "logs");
  return layout(data, data, config, logs);
}

function layout(home: string, data: string, config: string, logs: string): Paths {
  return {
    home,
    data,
    config,
    logs,
    database: join(data, "sage.db"),
    workspaces: join(data, "workspaces"),
    skills: join(data, "skills"),
    browserProfiles: join(data, "browser-profiles"),
    lockFile: join(data, "sage.lock"),
    windowState: join(config, "window.json"),
    secretsFile: join(data, "secrets.enc"),
  };
}

/** Create the folders (0700: they hold keys and conversations). */
export function ensurePaths(paths: Paths): void {
  for (const dir of [paths.data, paths.config, paths.logs, paths.workspaces, paths.skills]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}
