/**
 * Housekeeping when Sage goes idle: a while after the last turn ended (and no turn is running), one
 * full garbage collection — a burst of turns leaves the heap at its high-water mark, and an idle app
 * should hold only what it uses (scripts/bench/soak.ts) — and, at most once an hour, SQLite's
 * `PRAGMA optimize` (refreshes the query planner's statistics where they went stale; cheap, and
 * skipped by SQLite when nothing changed).
 *
 * Contract: nothing runs while a turn is running; every timer is unref'd and `stop()` clears it; a
 * failing step is logged and never thrown.
 */
import type { Database } from "bun:sqlite";
import type { Logger } from "../core/logger.ts";
import type { EventLog } from "../store/event-log.ts";

export const IDLE_DELAY_MS = 5_000;
export const OPTIMIZE_EVERY_MS = 60 * 60_000;

export interface IdleHousekeepingOptions {
  db: Database;
  events: EventLog;
  logger: Logger;
  idleDelayMs?: number;
  optimizeEveryMs?: number;
  /** The collector (tests count calls); default `Bun.gc(true)`. */
  collect?: () => void;
}

export class IdleHousekeeping {
  readonly #options: IdleHousekeepingOptions;
  readonly #running = new Set<string>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastOptimize = 0;
  /** How many idle rounds ran (tests). */
  rounds = 0;

  constructor(options: IdleHousekeepingOptions) {
    this.#options = options;
    this.#unsubscribe = options.events.subscribe((events) => {
      for (const { event } of events) {
        if (event.type === "turn.started") {
          this.#running.add(event.sessionId);
          this.#cancel();
        } else if (event.type === "turn.ended") {
          this.#running.delete(event.sessionId);
          if (this.#running.size === 0) this.#schedule();
        }
      }
    });
  }

  stop(): void {
    this.#unsubscribe();
    this.#cancel();
  }

  #cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#cancel();
    this.#timer = setTimeout(() => this.#run(), this.#options.idleDelayMs ?? IDLE_DELAY_MS);
    this.#timer.unref?.();
  }

  #run(): void {
    this.#timer = undefined;
    if (this.#running.size > 0) return;
    this.rounds++;
    const { db, logger } = this.#options;
    const now = Date.now();
    if (now - this.#lastOptimize >= (this.#options.optimizeEveryMs ?? OPTIMIZE_EVERY_MS)) {
      this.#lastOptimize = now;
      try {
        db.run("PRAGMA optimize");
      } catch (error) {
        logger.warn("PRAGMA optimize failed", error);
      }
    }
    try {
      (this.#options.collect ?? (() => Bun.gc(true)))();
    } catch (error) {
      logger.warn("idle garbage collection failed", error);
    }
  }
}
