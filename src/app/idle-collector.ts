/**
 * A garbage collection when Sage goes idle: as soon as the last running turn ended (the next turn of
 * the event loop), one full collection. The heap does not grow across turns (scripts/bench/soak.ts),
 * but each turn leaves garbage that the engine would otherwise keep until its heap doubled, so a run
 * of turns (a user's afternoon, scheduled tasks, sub-agents one after another) would sit at a
 * high-water mark. Measured (compiled executable, 20 turns back to back with a tool call each,
 * scripts/bench/stream.ts): RSS 110-123 MiB with a collection 5 s after the last turn, 97-101 MiB with
 * this; a collection costs ~10-30 ms of the server thread, when no turn runs. (Database upkeep when idle is
 * src/housekeeping/database-maintenance.ts.)
 *
 * Contract: nothing runs while a turn is running; a new turn cancels a pending collection; the timer
 * is unref'd and `stop()` clears it; a failing collector is logged and never thrown.
 */
import type { Logger } from "../core/logger.ts";
import type { EventLog } from "../store/event-log.ts";

export const IDLE_DELAY_MS = 0;

export interface IdleCollectorOptions {
  events: EventLog;
  logger: Logger;
  idleDelayMs?: number;
  /** The collector (tests count calls); default `Bun.gc(true)`. */
  collect?: () => void;
}

export class IdleCollector {
  readonly #options: IdleCollectorOptions;
  readonly #running = new Set<string>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last running turn ended (ms since the epoch); 0 until one ended. */
  #idleSince = 0;
  /** How many collections ran (tests). */
  rounds = 0;

  constructor(options: IdleCollectorOptions) {
    this.#options = options;
    this.#unsubscribe = options.events.subscribe((events) => {
      for (const { event } of events) {
        if (event.type === "turn.started") {
          this.#running.add(event.sessionId);
          this.#cancel();
        } else if (event.type === "turn.ended") {
          this.#running.delete(event.sessionId);
          if (this.#running.size === 0) {
            this.#idleSince = Date.now();
            this.#schedule();
          }
        }
      }
    });
  }

  /** How long no turn has run: 0 while one runs, Infinity when none ran since start-up. */
  idleForMs(now = Date.now()): number {
    if (this.#running.size > 0) return 0;
    return this.#idleSince === 0 ? Number.POSITIVE_INFINITY : now - this.#idleSince;
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
    const started = performance.now();
    try {
      (this.#options.collect ?? (() => Bun.gc(true)))();
      this.#options.logger.debug(`collected in ${(performance.now() - started).toFixed(1)} ms`);
    } catch (error) {
      this.#options.logger.warn("idle garbage collection failed", error);
    }
  }
}
