/**
 * Host sockets: the Unix sockets through which a sandboxed command could ask another program on this
 * computer to act for it — the D-Bus session bus (`systemd-run --user` runs anything, unsandboxed),
 * the keyring, the ssh-agent and gpg-agent, docker/podman (root on the host), the X11/Wayland display
 * (keystroke injection), the system bus, database servers, the printing system …
 *
 * `hostSocketPaths` lists what the sandbox hides (a folder shows empty, a socket is covered by
 * /dev/null, so `connect()` fails):
 * - the user's runtime folder `$XDG_RUNTIME_DIR` and all of `/run/user` (every user's), whole;
 * - every socket found under `/run` (and `/var/run` where it is a separate folder), found by a
 *   bounded walk when the command starts, so sockets of services installed later are covered too;
 * - a few well-known sockets outside `/run` (LXD/Incus).
 * `/tmp` (X11's `/tmp/.X11-unix`, tmux, screen …) is already a private tmpfs in the sandbox.
 *
 * Abstract sockets (the ssh-agent of some desktops, X11's `@/tmp/.X11-unix/X0`, `systemd --user`'s
 * private bus on some systems) have no path: only a network namespace of its own keeps a command
 * from them, which the "isolated" and "internet" network modes give (src/sandbox/network.ts).
 */
import { type Dirent, existsSync, readdirSync, realpathSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { isInsideRoot } from "./protected-paths.ts";

/** Sockets outside /run that grant control of the host. */
const wellKnownSockets = [
  "/var/lib/lxd/unix.socket",
  "/var/snap/lxd/common/lxd/unix.socket",
  "/var/lib/incus/unix.socket",
];

/** Limits of the walk under /run: it must stay cheap (it runs for every command). */
const maximumDepth = 6;
const maximumEntries = 20_000;

export interface HostSocketOptions {
  /** The app's environment; only `XDG_RUNTIME_DIR` is read. */
  env: Record<string, string | undefined>;
  /** Folders to walk for sockets (tests); default `/run` and the real `/var/run`. */
  roots?: string[];
}

function defaultRoots(): string[] {
  const roots = ["/run"];
  try {
    const varRun = realpathSync("/var/run");
    if (!isInsideRoot("/run", varRun)) roots.push(varRun);
  } catch {
    // No /var/run: nothing more to walk.
  }
  return roots;
}

/** Every Unix socket below `root`, skipping the folders in `skip` (they are hidden whole). */
export function findSockets(root: string, skip: readonly string[] = []): string[] {
  const sockets: string[] = [];
  let visited = 0;
  const pending: Array<{ path: string; level: number }> = [{ path: root, level: 0 }];
  while (pending.length > 0 && visited < maximumEntries) {
    const folder = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(folder.path, { withFileTypes: true });
    } catch {
      continue; // unreadable (another user's), gone, or not a folder
    }
    for (const entry of entries) {
      visited += 1;
      const path = join(folder.path, entry.name);
      if (entry.isSocket()) sockets.push(path);
      else if (entry.isDirectory() && folder.level + 1 < maximumDepth) {
        if (!skip.some((skipped) => isInsideRoot(skipped, path))) {
          pending.push({ path, level: folder.level + 1 });
        }
      }
    }
  }
  return sockets;
}

/** What the sandbox hides to keep commands away from the host's sockets (see the module comment). */
export function hostSocketPaths(options: HostSocketOptions): string[] {
  const folders: string[] = ["/run/user"];
  const runtimeDir = options.env.XDG_RUNTIME_DIR;
  if (runtimeDir && isAbsolute(runtimeDir)) folders.push(runtimeDir);
  const present = folders.filter((folder) => existsSync(folder));
  const sockets = (options.roots ?? defaultRoots()).flatMap((root) => findSockets(root, present));
  const known = wellKnownSockets.filter((path) => existsSync(path));
  return [...new Set([...present, ...sockets, ...known])];
}
