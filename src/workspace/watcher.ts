/**
 * Live change notices for open workspace panels: one recursive `fs.watch` per workspace root, shared by
 * every listener of that root and closed when the last one leaves (so nothing is watched while no panel
 * is open).
 *
 * Contract:
 * - Changes are batched: a batch is delivered `debounceMs` after the last change, or at the latest
 *   `maxWaitMs` after the first, so a busy build produces a few notices a second, not thousands.
 * - A batch lists the changed paths (workspace-relative, "/"-separated, deduplicated, created, modified
 *   or removed alike). More than `maxPaths` changes give an empty list, meaning "many things changed:
 *   reload everything shown".
 * - If the watch cannot be set up or fails later (inotify limits, the root vanished), every listener of
 *   that root gets `failed(message)` once and the root is no longer watched; panels then fall back to
 *   reloading after tool calls and on demand.
 * - Recursive watching on Linux adds one inotify watch per folder (Bun 1.4.5 follows new folders too);
 *   the kernel's per-user limit (fs.inotify.max_user_watches) bounds how big a tree can be watched.
 */
import { type FSWatcher, watch } from "node:fs";
import { sep } from "node:path";

export interface WatchListener {
  changed(paths: string[]): void;
  failed(message: string): void;
}

export interface WatcherOptions {
  debounceMs?: number;
  maxWaitMs?: number;
  maxPaths?: number;
}

interface WatchedRoot {
  watcher: FSWatcher;
  listeners: Set<WatchListener>;
  pending: Set<string>;
  overflow: boolean;
  firstPendingAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class WorkspaceWatchers {
  private readonly roots = new Map<string, WatchedRoot>();
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly maxPaths: number;

  constructor(options: WatcherOptions = {}) {
    this.debounceMs = options.debounceMs ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 1000;
    this.maxPaths = options.maxPaths ?? 200;
  }

  /** Roots currently watched (for tests and diagnostics). */
  get watchedRoots(): string[] {
    return [...this.roots.keys()];
  }

  /** Start listening to `root` (an absolute real path); returns the function that stops listening. */
  watch(root: string, listener: WatchListener): () => void {
    let entry = this.roots.get(root);
    if (!entry) {
      try {
        entry = this.open(root);
      } catch (error) {
        const message = `Live updates are unavailable: ${error instanceof Error ? error.message : String(error)}`;
        queueMicrotask(() => listener.failed(message));
        return () => {};
      }
    }
    entry.listeners.add(listener);
    const watched = entry;
    return () => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.roots.get(root) === watched) this.close(root, watched);
    };
  }

  closeAll(): void {
    for (const [root, entry] of this.roots) this.close(root, entry);
  }

  private open(root: string): WatchedRoot {
    const watcher = watch(root, { recursive: true }, (_event, filename) => {
      if (filename === null) entry.overflow = true;
      else this.note(entry, String(filename));
    });
    const entry: WatchedRoot = {
      watcher,
      listeners: new Set(),
      pending: new Set(),
      overflow: false,
      firstPendingAt: 0,
      timer: undefined,
    };
    watcher.on("error", (error: Error) => {
      this.close(root, entry);
      const message = `Live updates stopped: ${error.message}`;
      for (const listener of entry.listeners) listener.failed(message);
    });
    this.roots.set(root, entry);
    return entry;
  }

  private note(entry: WatchedRoot, filename: string): void {
    const path = sep === "/" ? filename : filename.split(sep).join("/");
    if (entry.pending.size >= this.maxPaths) entry.overflow = true;
    else entry.pending.add(path);
    const now = Date.now();
    if (entry.firstPendingAt === 0) entry.firstPendingAt = now;
    clearTimeout(entry.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, entry.firstPendingAt + this.maxWaitMs - now));
    entry.timer = setTimeout(() => this.flush(entry), wait);
  }

  private flush(entry: WatchedRoot): void {
    const paths = entry.overflow ? [] : [...entry.pending].sort();
    entry.pending.clear();
    entry.overflow = false;
    entry.firstPendingAt = 0;
    entry.timer = undefined;
    for (const listener of entry.listeners) {
      try {
        listener.changed(paths);
      } catch {
        // one broken listener (a closed stream) must not starve the others
      }
    }
  }

  private close(root: string, entry: WatchedRoot): void {
    clearTimeout(entry.timer);
    entry.watcher.close();
    if (this.roots.get(root) === entry) this.roots.delete(root);
  }
}
