/**
 * Protected paths: what no tool of an agent may read, write or list, and what the shell sandbox shows
 * empty. One list for both, so the file tools and the shell can never disagree:
 * - Sage's own folders — data (database, `sage.lock` with the live token, `secrets.enc` and its key,
 *   browser profiles), config and state (logs) — always;
 * - the credential folders of Settings → Tools & approvals (`~/.ssh`, `~/.aws`, browser profiles …,
 *   src/shared/credential-folders.ts), read when each turn starts.
 *
 * The sandbox adds host sockets on top (src/sandbox/host-sockets.ts); the file tools need not, since
 * they cannot connect to a socket.
 *
 * The one rule for "is this path hidden" (`isHiddenPath`) mirrors how bubblewrap stacks its mounts:
 * among the hidden paths and the workspace, the deepest one that contains the path decides. So the
 * default workspace `<data>/workspaces/<agent>` stays usable although the data folder is hidden, while
 * a data folder (or `~/.ssh`) inside a workspace stays hidden.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, normalize, relative, resolve, sep } from "node:path";
import type { Paths } from "../core/paths.ts";
import { expandCredentialFolder } from "../shared/credential-folders.ts";

/** True when `candidate` (absolute, normalised) is `root` or lies below it. */
export function isInsideRoot(root: string, candidate: string): boolean {
  const fromRoot = relative(root, candidate);
  if (fromRoot === "") return true;
  if (isAbsolute(fromRoot)) return false;
  return fromRoot !== ".." && !fromRoot.startsWith(`..${sep}`);
}

/** Sage's own folders, hidden from every tool whatever the settings say. */
export function sageFolders(paths: Pick<Paths, "data" | "config" | "state">): string[] {
  return [...new Set([paths.data, paths.config, paths.state].map((path) => normalize(path)))];
}

/** The credential entries as absolute paths (`~` is `home`); entries that name nothing are dropped. */
export function credentialPaths(entries: readonly string[], home: string): string[] {
  const paths: string[] = [];
  for (const entry of entries) {
    const expanded = expandCredentialFolder(entry, home);
    if (expanded !== undefined && isAbsolute(expanded)) paths.push(resolve(expanded));
  }
  return [...new Set(paths)];
}

/** Everything hidden from an agent's tools: Sage's folders and the user's credential folders. */
export function protectedPaths(
  paths: Pick<Paths, "data" | "config" | "state" | "userHome">,
  credentialEntries: readonly string[],
): string[] {
  return [...new Set([...sageFolders(paths), ...credentialPaths(credentialEntries, paths.userHome)])];
}

/**
 * Each path in its real (symlink-resolved) spelling, plus the spelling given when it differs, so
 * that neither spelling slips past a check. Paths that do not exist (yet) keep their spelling, with
 * their nearest existing ancestor resolved.
 */
export function withRealSpellings(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    const normalised = normalize(path);
    out.add(normalised);
    out.add(realSpelling(normalised));
  }
  return [...out];
}

/** The real (symlink-resolved) spelling of `path`; a missing tail is kept as given. */
export function realSpelling(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(existing);
      return rest.length === 0 ? real : `${real === "/" ? "" : real}/${rest.reverse().join("/")}`;
    } catch {
      const cut = existing.lastIndexOf("/");
      if (cut <= 0) return path;
      rest.push(existing.slice(cut + 1));
      existing = existing.slice(0, cut);
    }
  }
}

function depth(path: string): number {
  return path.split(sep).filter((part) => part.length > 0).length;
}

/**
 * Whether `path` (absolute, normalised) is hidden: some hidden path contains it, and the workspace
 * does not lie strictly between that hidden path and it (the deepest container decides; a hidden path
 * equal to the workspace hides it).
 */
export function isHiddenPath(path: string, hidden: readonly string[], workspace?: string): boolean {
  let deepest: string | undefined;
  for (const candidate of hidden) {
    if (!isInsideRoot(candidate, path)) continue;
    if (deepest === undefined || depth(candidate) > depth(deepest)) deepest = candidate;
  }
  if (deepest === undefined) return false;
  if (workspace === undefined || !isInsideRoot(workspace, path)) return true;
  return !(depth(workspace) > depth(deepest) && isInsideRoot(deepest, workspace));
}
