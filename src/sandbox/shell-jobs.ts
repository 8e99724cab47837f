/**
 * Background shell jobs of one session (`ToolServices.shellJobs`).
 *
 * Contract:
 * - `start` launches a command in the background and returns at once; ids are `job-1`, `job-2` ... in
 *   start order, never reused within a registry.
 * - Each job keeps its output with bounded memory (head and tail, see shell-output.ts) and a read
 *   cursor: `readOutput` returns what arrived since the previous read and moves the cursor.
 * - At most `maxRunning` jobs run at once; `start` beyond that throws `ShellJobLimitError`. Finished
 *   jobs are kept for reading until more than `maxKept` exist, then the oldest finished ones go.
 * - Jobs are not tied to the turn that started them: stopping a turn leaves them running. They end
 *   when they exit, when `kill` is called, or when `dispose()` runs (session end, app quit), which
 *   stops every running job and waits until they are gone. A disposed registry refuses new jobs.
 * - `subscribe` reports every state change (start, exit) so the UI can show live job badges.
 * - `peekOutput` shows the end of the output to people (the jobs view) without moving the read cursor.
 */

import type { ShellJobInfo, ShellJobState } from "../shared/shell-jobs.ts";
import type { OutputLimits } from "./shell-output.ts";
import {
  describeOutcome,
  type ShellLaunch,
  type ShellOutcome,
  type ShellProcess,
  startShellProcess,
} from "./shell-process.ts";

export type { ShellJobState };

/** A plain copy of a job's state (see src/shared/shell-jobs.ts). */
export type ShellJobSnapshot = ShellJobInfo;

export interface ShellJobOutput {
  job: ShellJobSnapshot;
  text: string;
  /** Characters between the previous read and `text` that were dropped to bound memory. */
  omittedChars: number;
}

export interface ShellJobsOptions {
  maxRunning?: number;
  maxKept?: number;
  outputLimits?: OutputLimits;
  stopGraceMs?: number;
}

export type ShellJobStart = Omit<ShellLaunch, "signal" | "onOutput" | "outputLimits" | "stopGraceMs"> & {
  description?: string;
};

export class ShellJobNotFoundError extends Error {
  override readonly name = "ShellJobNotFoundError";
}

export class ShellJobLimitError extends Error {
  override readonly name = "ShellJobLimitError";
}

export class ShellJobsDisposedError extends Error {
  override readonly name = "ShellJobsDisposedError";
}

/** Output kept per job: the start (banners, the first error) and a long tail. */
export const jobOutputLimits: OutputLimits = { headChars: 64 * 1024, tailChars: 1024 * 1024 };

interface JobRecord {
  id: string;
  start: ShellJobStart;
  process: ShellProcess;
  outcome: ShellOutcome | null;
  endedAt: number | null;
  readOffset: number;
}

function stateOf(outcome: ShellOutcome | null): ShellJobState {
  if (outcome === null) return "running";
  if (outcome.stoppedBy === "timeout") return "timed_out";
  return outcome.stoppedBy === null ? "exited" : "killed";
}

export class ShellJobs {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #listeners = new Set<(job: ShellJobSnapshot) => void>();
  readonly #maxRunning: number;
  readonly #maxKept: number;
  readonly #outputLimits: OutputLimits;
  readonly #stopGraceMs: number | undefined;
  #nextNumber = 1;
  #disposed = false;

  constructor(options: ShellJobsOptions = {}) {
    this.#maxRunning = options.maxRunning ?? 8;
    this.#maxKept = options.maxKept ?? 32;
    this.#outputLimits = options.outputLimits ?? jobOutputLimits;
    this.#stopGraceMs = options.stopGraceMs;
  }

  /** Start a job; throws `ShellJobLimitError`, `ShellJobsDisposedError` or the runner's start errors. */
  start(start: ShellJobStart): ShellJobSnapshot {
    if (this.#disposed)
      throw new ShellJobsDisposedError("The session has ended; no new background jobs can start.");
    const runningCount = [...this.#jobs.values()].filter((job) => job.outcome === null).length;
    if (runningCount >= this.#maxRunning) {
      throw new ShellJobLimitError(
        `Already ${runningCount} background jobs running (the limit is ${this.#maxRunning}); kill one first.`,
      );
    }
    const process = startShellProcess({
      ...start,
      outputLimits: this.#outputLimits,
      stopGraceMs: this.#stopGraceMs,
    });
    const record: JobRecord = {
      id: `job-${this.#nextNumber++}`,
      start,
      process,
      outcome: null,
      endedAt: null,
      readOffset: 0,
    };
    this.#jobs.set(record.id, record);
    void process.finished.then((outcome) => {
      record.outcome = outcome;
      record.endedAt = Date.now();
      this.#forgetOldFinished();
      this.#notify(record);
    });
    this.#notify(record);
    return this.#snapshot(record);
  }

  /** How many jobs are kept (running, or finished and not yet forgotten). */
  get size(): number {
    return this.#jobs.size;
  }

  /** All kept jobs, oldest first. */
  list(): ShellJobSnapshot[] {
    return [...this.#jobs.values()].map((record) => this.#snapshot(record));
  }

  status(id: string): ShellJobSnapshot {
    return this.#snapshot(this.#get(id));
  }

  /**
   * The last `tailChars` characters still held (with a marker where output was dropped), for people
   * watching the job; unlike `readOutput` it leaves the model's read cursor alone.
   */
  peekOutput(id: string, tailChars: number): ShellJobOutput {
    const record = this.#get(id);
    const output = record.process.output;
    const slice = output.readFrom(Math.max(0, output.totalChars - Math.max(0, tailChars)));
    return { job: this.#snapshot(record), text: slice.text, omittedChars: slice.omittedChars };
  }

  /** Output since the previous read (or all that is held, with `fromStart`); moves the read cursor. */
  readOutput(id: string, options: { fromStart?: boolean } = {}): ShellJobOutput {
    const record = this.#get(id);
    const slice = record.process.output.readFrom(options.fromStart ? 0 : record.readOffset);
    record.readOffset = slice.nextOffset;
    return { job: this.#snapshot(record), text: slice.text, omittedChars: slice.omittedChars };
  }

  /** Stop a job's whole process group; resolves with its final state (at once if it already ended). */
  async kill(id: string): Promise<ShellJobSnapshot> {
    const record = this.#get(id);
    await record.process.stop("kill");
    await this.#settled(record);
    return this.#snapshot(record);
  }

  /** Be told of every job start and end. Returns the unsubscribe function. */
  subscribe(listener: (job: ShellJobSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stop every running job and refuse new ones. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const running = [...this.#jobs.values()].filter((record) => record.outcome === null);
    await Promise.all(
      running.map(async (record) => {
        await record.process.stop("dispose");
        await this.#settled(record);
      }),
    );
  }

  /** Waits for the `finished` handler of `start` to have recorded the outcome. */
  async #settled(record: JobRecord): Promise<void> {
    const outcome = await record.process.finished;
    if (record.outcome === null) {
      record.outcome = outcome;
      record.endedAt = Date.now();
    }
  }

  #get(id: string): JobRecord {
    const record = this.#jobs.get(id.trim());
    if (!record) {
      const known = [...this.#jobs.keys()];
      const hint = known.length > 0 ? `known jobs: ${known.join(", ")}` : "there are no background jobs";
      throw new ShellJobNotFoundError(`No background job "${id}" (${hint}).`);
    }
    return record;
  }

  #forgetOldFinished(): void {
    const finished = [...this.#jobs.values()].filter((record) => record.outcome !== null);
    let excess = this.#jobs.size - this.#maxKept;
    for (const record of finished) {
      if (excess <= 0) break;
      this.#jobs.delete(record.id);
      excess -= 1;
    }
  }

  #notify(record: JobRecord): void {
    const snapshot = this.#snapshot(record);
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch {
        // A failing listener must not affect the jobs.
      }
    }
  }

  #snapshot(record: JobRecord): ShellJobSnapshot {
    const { outcome } = record;
    const outputChars = record.process.output.totalChars;
    return {
      id: record.id,
      command: record.start.command,
      ...(record.start.description ? { description: record.start.description } : {}),
      cwd: record.start.cwd,
      sandbox: record.process.mode,
      pid: record.process.pid,
      state: stateOf(outcome),
      exitCode: outcome?.exitCode ?? null,
      signal: outcome?.signal ?? null,
      summary: outcome === null ? "running" : describeOutcome(outcome, record.start.timeoutMs),
      startedAt: record.process.startedAt,
      endedAt: record.endedAt,
      outputChars,
      unreadChars: Math.max(0, outputChars - record.readOffset),
    };
  }
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** The session's background shell jobs (shell with `background: true`, shell_job, shell_job_kill). */
    shellJobs?: ShellJobs;
  }
}
