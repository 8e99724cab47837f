/**
 * The folder sizes Settings → Storage shows, measured in the background and kept, so a visit answers
 * from what is known instead of walking every workspace again.
 *
 * Contract:
 * - `read(paths)` answers at once with each folder's last measurement and its time (`measuredAt`), or
 *   `measuredAt: null` (0 bytes, incomplete) for one never measured; it starts a background measurement
 *   of those never measured or older than `maxAgeMs` (a stale size is shown meanwhile).
 * - `refresh(paths)` measures them again now, whatever their age (Settings → Storage → Measure again,
 *   and after a clean-up). `settle(ms)` waits for the measuring to finish, at most `ms`.
 * - One folder is measured at a time (folderSize itself is asynchronous and bounded, see
 *   storage-usage.ts), so the server's thread is never held for long and the disk is not flooded;
 *   paths asked for while a measurement runs join its queue (a read does not queue a folder already
 *   queued or being measured; a refresh does, so it measures after a clean-up's changes).
 * - A folder's size is forgotten when no read asked for it in `forgetAfterMs` (an agent's removed
 *   workspace), so the map cannot grow without bound.
 */
import type { Logger } from "../core/logger.ts";
import { type FolderSize, folderSize } from "./storage-usage.ts";

export interface MeasuredFolder extends FolderSize {
  /** When `bytes` was measured (ms since the epoch); null: not measured yet. */
  measuredAt: number | null;
}

export interface FolderSizeCacheOptions {
  logger: Logger;
  /** Older measurements are redone in the background on the next read (default 5 min). */
  maxAgeMs?: number;
  forgetAfterMs?: number;
  /** How a folder is measured (default folderSize). */
  measure?: (path: string) => Promise<FolderSize>;
  now?: () => number;
}

interface Entry {
  size: FolderSize | null;
  measuredAt: number | null;
  readAt: number;
}

export class FolderSizeCache {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new Set<string>();
  private running: Promise<void> | undefined;
  private inFlight: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: FolderSizeCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** What is known now; starts measuring what is unknown or stale. */
  read(paths: string[]): MeasuredFolder[] {
    const now = this.now();
    const maxAge = this.options.maxAgeMs ?? 5 * 60_000;
    const due: string[] = [];
    const answers = paths.map((path) => {
      const entry = this.entries.get(path) ?? { size: null, measuredAt: null, readAt: now };
      entry.readAt = now;
      this.entries.set(path, entry);
      const stale = entry.measuredAt === null || now - entry.measuredAt > maxAge;
      if (stale && !this.queue.has(path) && this.inFlight !== path) due.push(path);
      return entry.size && entry.measuredAt !== null
        ? { ...entry.size, path, measuredAt: entry.measuredAt }
        : { path, bytes: 0, files: 0, complete: false, measuredAt: null };
    });
    this.forgetUnread(now);
    if (due.length > 0) void this.refresh(due);
    return answers;
  }

  /** Measure these folders again (queued behind a measurement in progress); resolves when all are done. */
  refresh(paths: string[]): Promise<void> {
    for (const path of paths) this.queue.add(path);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  measuring(): boolean {
    return this.running !== undefined;
  }

  /** Wait for the measuring in progress, at most `ms`. */
  async settle(ms: number): Promise<void> {
    const running = this.running;
    if (!running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private async drain(): Promise<void> {
    const measure = this.options.measure ?? ((path: string) => folderSize(path));
    for (let path = first(this.queue); path !== undefined; path = first(this.queue)) {
      this.queue.delete(path);
      this.inFlight = path;
      try {
        const size = await measure(path);
        const entry = this.entries.get(path);
        // A folder forgotten meanwhile is not brought back.
        if (entry) Object.assign(entry, { size, measuredAt: this.now() });
      } catch (error) {
        this.options.logger.warn(`could not measure ${path}: ${error}`);
      } finally {
        this.inFlight = undefined;
      }
    }
  }

  private forgetUnread(now: number): void {
    const limit = this.options.forgetAfterMs ?? 24 * 60 * 60_000;
    for (const [path, entry] of this.entries) if (now - entry.readAt > limit) this.entries.delete(path);
  }
}

function first(paths: Set<string>): string | undefined {
  for (const path of paths) return path;
  return undefined;
}
