/**
 * `.gitignore` and `.ignore` rules for the workspace's search and listing tools (grep, glob, list_dir),
 * matched with the `ignore` package (git's pattern semantics: negation, anchored and folder-only patterns).
 *
 * Rules are read from every folder between the workspace root and the path, each file's patterns relative
 * to its own folder (as git does); `.ignore` is read after `.gitignore` so it can re-include. A path whose
 * parent folder is ignored is ignored too. Files are read once per matcher (one matcher per tool call),
 * at most 1 MB each; unreadable ones are skipped. Never throws.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";

export const IGNORE_FILE_NAMES = [".gitignore", ".ignore"] as const;
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

export interface IgnoreMatcher {
  /** True when `absolutePath` (a folder when `isDir`) is ignored by the workspace's ignore files. */
  ignores(absolutePath: string, isDir: boolean): boolean;
}

function readRules(folder: string): Ignore | undefined {
  let rules: Ignore | undefined;
  for (const name of IGNORE_FILE_NAMES) {
    const path = `${folder}${sep}${name}`;
    try {
      const info = statSync(path);
      if (!info.isFile() || info.size > MAX_IGNORE_FILE_BYTES) continue;
      rules ??= ignore();
      rules.add(readFileSync(path, "utf8"));
    } catch {
      // absent or unreadable: no rules from it
    }
  }
  return rules;
}

/** A matcher for paths inside `root` (the workspace's real root). */
export function createIgnoreMatcher(root: string): IgnoreMatcher {
  const rulesByFolder = new Map<string, Ignore | undefined>();
  const verdicts = new Map<string, boolean>();
  const rulesOf = (folder: string) => {
    if (!rulesByFolder.has(folder)) rulesByFolder.set(folder, readRules(folder));
    return rulesByFolder.get(folder);
  };

  function ignores(absolutePath: string, isDir: boolean): boolean {
    const rel = relative(root, absolutePath);
    if (rel === "" || rel.startsWith("..")) return false;
    const key = `${absolutePath}${isDir ? "/" : ""}`;
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const parent = dirname(absolutePath);
    let verdict = parent !== absolutePath && relative(root, parent) !== "" && ignores(parent, true);
    if (!verdict) {
      // Each folder from the root down to the parent may hold rules; later (deeper) files win.
      const folders: string[] = [];
      for (let folder = parent; ; folder = dirname(folder)) {
        folders.unshift(folder);
        if (relative(root, folder) === "" || dirname(folder) === folder) break;
      }
      for (const folder of folders) {
        const rules = rulesOf(folder);
        if (!rules) continue;
        const inside = relative(folder, absolutePath).split(sep).join("/");
        const result = rules.test(isDir ? `${inside}/` : inside);
        if (result.ignored) verdict = true;
        else if (result.unignored) verdict = false;
      }
    }
    verdicts.set(key, verdict);
    return verdict;
  }
  return { ignores };
}

/** The `include_ignored` parameter grep, glob and list_dir share. */
export const INCLUDE_IGNORED_DESCRIPTION =
  "Also include files and folders that .gitignore or .ignore files exclude. Default: false.";

/**
 * A walk's filter: which folders to descend into and which entries to leave out, counting what the ignore
 * files excluded (for the tools' notes). Without a matcher (include_ignored) only the skipped folder names
 * (`.git`, `node_modules`) are kept out, and those only when `includeSkipped` is false.
 */
export function ignoreWalkFilter(
  matcher: IgnoreMatcher | undefined,
  isSkippedName: (name: string) => boolean,
  includeSkipped: boolean,
): {
  descendInto(entry: { absolutePath: string; relativePath: string }): boolean;
  excluded(entry: { absolutePath: string; kind: string }): boolean;
  ignoredCount(): number;
} {
  let ignored = 0;
  return {
    descendInto(entry) {
      if (!includeSkipped && isSkippedName(entry.relativePath.split("/").pop() ?? "")) return false;
      return !matcher?.ignores(entry.absolutePath, true);
    },
    excluded(entry) {
      if (!matcher?.ignores(entry.absolutePath, entry.kind === "dir")) return false;
      ignored += 1;
      return true;
    },
    ignoredCount: () => ignored,
  };
}
