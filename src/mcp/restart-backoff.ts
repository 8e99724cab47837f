/**
 * When to start a crashed MCP server again: after 1, 2, 5, 10, 30 s for the first, second ... try in a
 * row, then no more (the connection stays in `error` until the user presses Restart or a turn needs
 * it). One try is scheduled at a time; the count goes back to zero when the server stayed up long
 * enough or the user restarts it.
 */

export const RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
export const MAX_AUTO_RESTARTS = RESTART_DELAYS_MS.length;

export class RestartBackoff {
  #count = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextAt: number | undefined;

  /** `delays`: the wait before each try in a row (tests pass shorter ones). */
  constructor(private readonly delays: readonly number[] = RESTART_DELAYS_MS) {}

  /** Tries made in a row since the last reset. */
  get count(): number {
    return this.#count;
  }

  /** When the scheduled try runs (epoch ms), or undefined when none is scheduled. */
  get nextAt(): number | undefined {
    return this.#nextAt;
  }

  /** Whether a try is scheduled. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** Start counting again (the server was up long enough, or the user restarted it). */
  reset(): void {
    this.#count = 0;
  }

  /** Drop the scheduled try, if any (the count stays). */
  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextAt = undefined;
  }

  /**
   * Schedule the next try: `run` is called after this try's delay. Returns the delay, or undefined when
   * every try is used up (nothing is scheduled).
   */
  schedule(run: () => void): number | undefined {
    if (this.#count >= this.delays.length) return undefined;
    const delay = this.delays[this.#count] ?? 30_000;
    this.#count++;
    this.#nextAt = Date.now() + delay;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#nextAt = undefined;
      run();
    }, delay);
    return delay;
  }
}
