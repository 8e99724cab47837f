/**
 * Keeps the server worker alive (main thread, window mode).
 *
 * Before the window opens, `start()` awaits the worker's "ready" message. While the window runs, the
 * main thread cannot receive messages, so `tick()` — called from a GLib timer — reads the shared
 * heartbeat: a worker silent for STALE_MS is presumed dead (crashed or hung), terminated and replaced;
 * when the replacement reports ready, `onRestarted` reloads the page. More than MAX_RESTARTS within
 * WINDOW_MS is a persistent failure: `onGaveUp` shows an error page instead of looping.
 */

import type { Logger } from "../core/logger.ts";
import type { FileDialogAnswer } from "../desktop/file-dialog.ts";
import type { CloseAction } from "../shared/desktop.ts";
import {
  DialogMailbox,
  type MailedDialog,
  type MainToWorker,
  SharedStatus,
  type WindowTarget,
  type WorkerStart,
  WorkerState,
  type WorkerToMain,
} from "./worker-channel.ts";

const STALE_MS = 2000;
const MAX_RESTARTS = 3;
const WINDOW_MS = 120_000;
const START_TIMEOUT_MS = 30_000;

export interface SupervisorOptions {
  logger: Logger;
  /** Everything of the start message except the per-start fields. */
  start: Omit<WorkerStart, "type" | "generation" | "status" | "dialogs">;
  onRestarted(port: number): void;
  onGaveUp(reason: string): void;
}

/** The worker could not start the backend; `failure` is the name of the worker's error. */
export class ServerStartError extends Error {
  override readonly name = "ServerStartError";
  constructor(
    message: string,
    readonly failure: string,
  ) {
    super(message);
  }
}

export class WorkerSupervisor {
  private worker: Worker | undefined;
  private readonly status = new SharedStatus();
  private readonly dialogs = new DialogMailbox();
  private generation = 0;
  private restarts: number[] = [];
  private restarting = false;
  private gaveUp = false;
  private spawnedAt = 0;

  constructor(private readonly options: SupervisorOptions) {}

  /** Start the first worker and wait until it serves. Throws with the worker's reason on failure. */
  async start(): Promise<number> {
    const worker = this.spawn();
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("The server did not start within 30 s.")),
        START_TIMEOUT_MS,
      );
      worker.onmessage = (event: MessageEvent<WorkerToMain>) => {
        if (event.data.type === "ready") {
          clearTimeout(timer);
          resolve(event.data.port);
        } else if (event.data.type === "failed") {
          clearTimeout(timer);
          reject(new ServerStartError(event.data.message, event.data.name));
        }
      };
      worker.onerror = (event) => {
        clearTimeout(timer);
        reject(new Error(`The server worker crashed while starting: ${event.message}`));
      };
    });
  }

  /** The worker's word on what closing the window does: quit, hide into the tray, or ask (SharedStatus). */
  get closeAction(): CloseAction {
    return this.status.closeAction;
  }

  /** Whether a tray host shows Sage's icon (see SharedStatus). */
  get trayShown(): boolean {
    return this.status.trayShown;
  }

  /** The file dialog the worker asked for with WindowCommand.fileDialog (once). */
  takeDialogRequest(): MailedDialog | undefined {
    return this.dialogs.take();
  }

  /** The window thread's answer to file dialog `id`, to the worker that asked (a restarted one ignores it). */
  answerDialog(id: number, answer: FileDialogAnswer): void {
    this.worker?.postMessage({ type: "file-dialog-answer", id, answer } satisfies MainToWorker);
  }

  tick(): void {
    if (this.gaveUp) return;
    const now = Date.now();
    if (this.restarting) {
      if (this.status.generation === this.generation && this.status.state === WorkerState.ready) {
        this.restarting = false;
        this.options.logger.info(`server worker restarted on port ${this.status.port}`);
        this.options.onRestarted(this.status.port);
        return;
      }
      const failed = this.status.generation === this.generation && this.status.state === WorkerState.failed;
      if (!failed && now - this.spawnedAt < START_TIMEOUT_MS) return;
    } else if (now - this.status.heartbeat < STALE_MS) {
      return;
    }
    this.options.logger.error(
      this.restarting
        ? "server worker failed to restart"
        : `server worker stopped responding (${now - this.status.heartbeat} ms)`,
    );
    this.restarts = [...this.restarts.filter((t) => now - t < WINDOW_MS), now];
    if (this.restarts.length > MAX_RESTARTS) {
      this.gaveUp = true;
      this.worker?.terminate();
      this.options.onGaveUp(`The Sage server stopped ${this.restarts.length} times in two minutes.`);
      return;
    }
    this.worker?.terminate();
    this.restarting = true;
    this.spawn();
  }

  /** Ask the worker to shut down cleanly (DB checkpoint); force it after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.options.logger.error("server worker did not stop in time; terminating it");
        resolve();
      }, timeoutMs);
      worker.onmessage = (event: MessageEvent<WorkerToMain>) => {
        if (event.data.type === "stopped") {
          clearTimeout(timer);
          resolve();
        }
      };
      worker.onerror = () => {
        clearTimeout(timer);
        resolve();
      };
      worker.postMessage({ type: "stop" } satisfies MainToWorker);
    });
    worker.terminate();
    this.worker = undefined;
  }

  /** The window exists now: tell the running worker, and every worker started after it. */
  attachWindow(window: WindowTarget): void {
    this.options.start.window = window;
    this.worker?.postMessage({ type: "window", window } satisfies MainToWorker);
  }

  private spawn(): Worker {
    this.generation += 1;
    this.spawnedAt = Date.now();
    this.status.state = WorkerState.starting;
    this.status.beat();
    const worker = new Worker(workerUrl(this.options.start.compiled));
    worker.postMessage({
      ...this.options.start,
      type: "start",
      generation: this.generation,
      status: this.status.buffer,
      dialogs: this.dialogs.buffer,
    } satisfies MainToWorker);
    this.worker = worker;
    return worker;
  }
}

/**
 * Where the worker's code is. From source, next to this file. In the compiled executable everything is
 * bundled into one module whose URL is the executable's root (`/$bunfs/root/sage`), and the worker
 * entrypoint is embedded under its path relative to the entrypoints' common folder (src/).
 */
function workerUrl(compiled: boolean): string {
  return compiled
    ? new URL("./shell/server-worker.ts", import.meta.url).href
    : new URL("./server-worker.ts", import.meta.url).href;
}
