/**
 * The scheduler's contract with the rest of the app: the clock it reads and sets timers on (injected,
 * so tests move time by hand), and the launcher that turns a due task into a chat turn.
 */
import type { RunStatus } from "../shared/schedule.ts";
import type { TaskRecord } from "./task-repository.ts";

export interface Clock {
  /** ms since the epoch. */
  now(): number;
  /** Calls `callback` once after about `delayMs`; returns a function that cancels it. */
  setTimer(callback: () => void, delayMs: number): () => void;
}

/** The real clock: Date.now and setTimeout (the timer does not keep the process alive). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

/** What a launched run reports back while it goes on (each at most once per change). */
export interface RunHooks {
  /** The turn waits for the user (an approval or a question); `detail` says for what. */
  waiting(detail: string): void;
  /** The user answered: the turn runs again. */
  resumed(): void;
  /** The turn ended; `detail` is the reason of an error or a stop. */
  ended(status: Extract<RunStatus, "completed" | "error" | "stopped" | "interrupted">, detail?: string): void;
}

/**
 * Starts a task's prompt as a turn. `launch` returns the session the turn runs in (made for the run, or
 * the task's "same" chat) once the turn is submitted, then calls the hooks as the turn goes on. It throws
 * when the turn cannot start at all (the agent or its model is gone ...): the run is then an error.
 */
export interface RunLauncher {
  launch(task: TaskRecord, runId: string, hooks: RunHooks): string;
  /** Stop listening (app shutdown); no hook is called afterwards. */
  dispose(): void;
}
