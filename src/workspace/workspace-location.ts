/**
 * Whether a folder may be an agent's workspace — the one rule, applied wherever a workspace is set
 * (Settings → Agents and the agents API through `AgentRepository.validate`, agent and settings imports
 * through the same repository) and again when a turn or tool run builds the workspace (so a config
 * stored before the rule existed is refused too).
 *
 * Refused, with a sentence saying why (`forbiddenWorkspaceReason`):
 * - `/`, the user's home folder itself, and any folder that contains the home folder;
 * - system folders: `/etc`, `/usr`, `/bin`, `/sbin`, `/lib*`, `/boot`, `/proc`, `/sys`, `/dev`, `/run`,
 *   `/snap`, `/var/lib`, `/var/log`, `/var/cache`, `/var/spool`, `/var/mail`, `/root` (unless it is
 *   the home folder) and everything inside them; `/var`, `/opt`, `/srv`, `/mnt`, `/media`, `/tmp`,
 *   `/var/tmp` and `/home` themselves (folders inside them are fine);
 * - Sage's own data, config and state folders and anything inside them, except folders inside Sage's
 *   default workspaces folder (where each agent gets its own);
 * - the credential folders of Settings → Tools & approvals, and anything inside them.
 * Paths are compared symlink-resolved, so a link to `/etc` is `/etc`. A folder that merely contains
 * Sage's data folder or a credential folder (say `~/.local`) is allowed: those stay hidden inside it
 * (src/sandbox/protected-paths.ts).
 *
 * `workspaceIssue` adds the practical checks: a path with no syntax problem (NUL, backslashes, over-long
 * names: src/workspace/request-path.ts) that either is a writable folder, or can
 * be created (its nearest existing ancestor is a writable folder). Nothing is created here; the
 * runtime creates the folder at the first turn.
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Paths } from "../core/paths.ts";
import { credentialPaths, isInsideRoot, realSpelling, sageFolders } from "../sandbox/protected-paths.ts";
import type { Agent } from "../shared/agent.ts";
import type { FieldIssue } from "../shared/validation.ts";
import { pathSyntaxProblem } from "./request-path.ts";

/** What the location rule needs to know about this machine. */
export interface WorkspaceRules {
  userHome: string;
  /** Sage's data, config and state folders. */
  sageFolders: string[];
  /** Sage's default workspaces folder: folders inside it are allowed. */
  workspacesFolder: string;
  /** Absolute credential paths (expanded from the settings' entries). */
  credentialFolders: string[];
}

/** The rules for this machine: Sage's folders from `paths`, credentials from the settings' entries. */
export function workspaceRulesFor(
  paths: Pick<Paths, "userHome" | "data" | "config" | "state" | "workspaces">,
  credentialEntries: readonly string[],
): WorkspaceRules {
  return {
    userHome: paths.userHome,
    sageFolders: sageFolders(paths),
    workspacesFolder: paths.workspaces,
    credentialFolders: credentialPaths(credentialEntries, paths.userHome),
  };
}

/** Refused with everything inside them. */
const systemTrees = [
  "/etc",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/boot",
  "/proc",
  "/sys",
  "/dev",
  "/run",
  "/snap",
  "/var/lib",
  "/var/log",
  "/var/cache",
  "/var/spool",
  "/var/mail",
  "/var/run",
];

/** Refused themselves; folders inside them are fine. */
const systemFolders = ["/var", "/opt", "/srv", "/mnt", "/media", "/tmp", "/var/tmp", "/home"];

function both(path: string): string[] {
  const real = realSpelling(path);
  return real === path ? [path] : [path, real];
}

function anyInside(roots: readonly string[], candidates: readonly string[]): string | undefined {
  for (const root of roots) {
    for (const spelling of both(root)) {
      if (candidates.some((candidate) => isInsideRoot(spelling, candidate))) return root;
    }
  }
  return undefined;
}

/**
 * Why `path` (absolute) may not be a workspace, as a sentence for people; undefined when it may.
 * Without `rules` only the machine-independent part applies (`/`, system folders).
 */
export function forbiddenWorkspaceReason(path: string, rules?: WorkspaceRules): string | undefined {
  const spellings = both(resolve(path));
  if (spellings.includes("/"))
    return "the whole file system cannot be a workspace; choose a folder for the agent";

  const home = rules ? both(resolve(rules.userHome)) : [];
  if (spellings.some((spelling) => home.includes(spelling))) {
    return "your home folder itself cannot be a workspace (it holds your keys and settings); choose or create a folder inside it, for example ~/projects";
  }
  if (home.some((homeSpelling) => spellings.some((spelling) => isInsideRoot(spelling, homeSpelling)))) {
    return "this folder contains your home folder; choose a folder inside your home folder instead";
  }
  // The exemption from the system-folder rule goes by where the folder really is (a link in the
  // home folder to /etc is /etc).
  const real = spellings[spellings.length - 1] as string;
  const insideHome = home.some((homeSpelling) => isInsideRoot(homeSpelling, real));

  if (rules) {
    const workspaces = both(resolve(rules.workspacesFolder));
    const inDefaultFolder = spellings.some((spelling) =>
      workspaces.some((folder) => spelling !== folder && isInsideRoot(folder, spelling)),
    );
    const sage = anyInside(rules.sageFolders, spellings);
    if (sage !== undefined && !inDefaultFolder) {
      return `${sage} is Sage's own folder (its database, keys and settings); no agent may work in it`;
    }
    const credential = anyInside(rules.credentialFolders, spellings);
    if (credential !== undefined) {
      return `${credential} holds credentials (it is in the credential folders of Settings → Tools & approvals); no agent may work in it`;
    }
  }
  if (insideHome) return undefined;

  const rootHome = home.some((spelling) => isInsideRoot("/root", spelling));
  const trees = rootHome ? systemTrees : [...systemTrees, "/root"];
  const tree = trees.find((root) => spellings.some((spelling) => isInsideRoot(root, spelling)));
  if (tree !== undefined) return `${tree} is a system folder; agents work in folders of their own`;
  const folder = systemFolders.find((root) => spellings.includes(root));
  if (folder !== undefined)
    return `${folder} is a system folder; choose or create a folder inside it instead`;
  return undefined;
}

export function workspaceIssue(
  path: string | undefined,
  field = "workspace",
  rules?: WorkspaceRules,
): FieldIssue | undefined {
  const trimmed = path?.trim();
  if (!trimmed) return undefined;
  if (!isAbsolute(trimmed)) return { field, code: "notAbsolute" };
  // NUL, backslashes, over-long names (src/workspace/request-path.ts): no such folder can be made.
  if (pathSyntaxProblem(trimmed, "absolute")) return { field, code: "notCreatable" };
  const forbidden = forbiddenWorkspaceReason(trimmed, rules);
  if (forbidden !== undefined) return { field, code: "forbiddenLocation", detail: forbidden };
  let current = resolve(trimmed);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(current).isDirectory();
    } catch {
      const parent = dirname(current);
      if (parent === current) return { field, code: "notCreatable" };
      current = parent;
      continue;
    }
    if (!isDirectory) return { field, code: "notCreatable" };
    try {
      accessSync(current, constants.W_OK | constants.X_OK);
      return undefined;
    } catch {
      return { field, code: "notCreatable" };
    }
  }
}

/** An agent's workspace folder: its own setting, else `<workspaces folder>/<agent id>`. */
export function workspaceRootOf(agent: Agent, workspacesFolder: string): string {
  return agent.config.workspace?.trim() || join(workspacesFolder, agent.id);
}
