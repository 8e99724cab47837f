/**
 * The state of one workspace tree: folders loaded on demand, which are expanded, and the rows to show.
 *
 * Contract:
 * - Only the root is loaded at first; a folder is fetched the first time it is expanded and kept
 *   (collapsing does not forget it). Answers that arrive after a newer request for the same folder are
 *   dropped, so a slow old listing never overwrites a fresh one.
 * - `refresh(paths)` reloads the loaded folders that contain the changed paths; an empty list reloads
 *   every loaded folder. A folder that no longer exists is forgotten (and collapsed).
 * - `rows()` is the visible tree, depth-first, in the server's order (folders first); `rowKeys()` and
 *   `rowByKey()` give the same with stable keys, for rendering without re-creating rows.
 */
import { createMemo } from "solid-js";
import { createStore, produce } from "solid-js/store";
import type { WorkspaceEntry } from "../../../../src/shared/workspace.ts";
import type { ApiError } from "../../lib/api.ts";
import { listFolder } from "./workspace-api.ts";

export interface FolderState {
  entries: WorkspaceEntry[];
  truncated: boolean;
  loading: boolean;
  error?: string;
}

/** One visible row; `key` is stable across reloads (the tree keeps each row's DOM, and its focus). */
export type TreeRow =
  | { key: string; kind: "entry"; entry: WorkspaceEntry; depth: number; expanded: boolean }
  | { key: string; kind: "loading" | "truncated"; path: string; depth: number }
  | { key: string; kind: "error"; path: string; depth: number; message: string };

interface TreeState {
  root: string;
  folders: Record<string, FolderState>;
  expanded: Record<string, boolean>;
}

export function parentOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "." : path.slice(0, cut);
}

export function createWorkspaceTree(agentId: () => string) {
  const [state, setState] = createStore<TreeState>({ root: "", folders: {}, expanded: {} });
  const latestRequest = new Map<string, number>();
  let requestCounter = 0;

  async function load(path: string): Promise<void> {
    const request = ++requestCounter;
    latestRequest.set(path, request);
    setState("folders", path, (folder: FolderState | undefined) =>
      folder ? { ...folder, loading: true } : { entries: [], truncated: false, loading: true },
    );
    try {
      const listing = await listFolder(agentId(), path);
      if (latestRequest.get(path) !== request) return;
      setState(
        produce((draft) => {
          draft.root = listing.root;
          draft.folders[path] = { entries: listing.entries, truncated: listing.truncated, loading: false };
        }),
      );
    } catch (error) {
      if (latestRequest.get(path) !== request) return;
      const status = (error as ApiError).status;
      if ((status === 404 || status === 400) && path !== ".") {
        forget(path);
        return;
      }
      setState("folders", path, { loading: false, error: (error as Error).message });
    }
  }

  /** Drop a folder (and everything under it) that no longer exists. */
  function forget(path: string): void {
    setState(
      produce((draft) => {
        for (const key of Object.keys(draft.folders)) {
          if (key === path || key.startsWith(`${path}/`)) delete draft.folders[key];
        }
        for (const key of Object.keys(draft.expanded)) {
          if (key === path || key.startsWith(`${path}/`)) delete draft.expanded[key];
        }
      }),
    );
  }

  function toggle(path: string, open = !state.expanded[path]): void {
    setState("expanded", path, open);
    if (open && !state.folders[path]) void load(path);
  }

  function refresh(paths: string[] = []): Promise<void> {
    const loaded = Object.keys(state.folders);
    const targets =
      paths.length === 0
        ? loaded
        : [...new Set(paths.map(parentOf))].filter((folder) => state.folders[folder] !== undefined);
    return Promise.all(targets.map((folder) => load(folder))).then(() => {});
  }

  function reset(): void {
    latestRequest.clear();
    setState({ root: "", folders: {}, expanded: {} });
    void load(".");
  }

  const rows = createMemo(() => {
    const out: TreeRow[] = [];
    const walk = (path: string, depth: number) => {
      const folder = state.folders[path];
      if (!folder) return;
      if (folder.error) out.push({ key: `error:${path}`, kind: "error", path, depth, message: folder.error });
      if (folder.loading && folder.entries.length === 0) {
        out.push({ key: `loading:${path}`, kind: "loading", path, depth });
      }
      for (const entry of folder.entries) {
        const expanded = entry.type === "directory" && !!state.expanded[entry.path];
        out.push({ key: `entry:${entry.path}`, kind: "entry", entry, depth, expanded });
        if (expanded) walk(entry.path, depth + 1);
      }
      if (folder.truncated) out.push({ key: `truncated:${path}`, kind: "truncated", path, depth });
    };
    walk(".", 0);
    return out;
  });

  const rowKeys = createMemo(() => rows().map((row) => row.key));
  const rowByKey = createMemo(() => new Map(rows().map((row) => [row.key, row])));

  return { state, rows, rowKeys, rowByKey, load, toggle, refresh, reset };
}

export type WorkspaceTree = ReturnType<typeof createWorkspaceTree>;
