/**
 * The session runners that exist: one for each session that holds something — a turn running or
 * queued, approvals remembered for the session, background shell jobs. A runner is made on first use
 * and forgotten once its queue drained and it holds nothing (`SessionRunner.idle`), so the pool does
 * not grow with the number of sessions used since start-up (test/integration/retained-memory.test.ts).
 */
import type { SessionRunner } from "./session-runner.ts";

export class RunnerPool {
  readonly #runners = new Map<string, SessionRunner>();

  /** `make` checks the session exists (throwing NotFoundError) and builds its runner. */
  constructor(private readonly make: (sessionId: string) => SessionRunner) {}

  /** The session's runner, if it has one now. */
  find(sessionId: string): SessionRunner | undefined {
    return this.#runners.get(sessionId);
  }

  /**
   * Use the session's runner (made when there is none); a runner that holds nothing afterwards (a
   * duplicate submit, a refused command) is forgotten again at once.
   */
  use<T>(sessionId: string, action: (runner: SessionRunner) => T): T {
    let runner = this.#runners.get(sessionId);
    if (!runner) {
      runner = this.make(sessionId);
      this.#runners.set(sessionId, runner);
    }
    try {
      return action(runner);
    } finally {
      this.settled(sessionId);
    }
  }

  /** A runner whose queue drained is forgotten when it holds nothing. */
  settled(sessionId: string): void {
    if (this.#runners.get(sessionId)?.idle) this.#runners.delete(sessionId);
  }

  /** Forget the session's runner whatever it holds (the session is being deleted). */
  remove(sessionId: string): void {
    this.#runners.delete(sessionId);
  }

  all(): SessionRunner[] {
    return [...this.#runners.values()];
  }

  /** How many runners are kept (tests and diagnostics). */
  get size(): number {
    return this.#runners.size;
  }

  /** How many sessions have a turn running now. */
  runningCount(): number {
    let count = 0;
    for (const runner of this.#runners.values()) if (runner.running) count++;
    return count;
  }
}
