/**
 * The channel between the window thread and the server worker.
 *
 * While the window runs, the main thread is blocked in the native event loop: it cannot receive worker
 * messages. So the worker reports through shared memory (heartbeat, state, port), which the main thread
 * reads from a GLib timer, and asks the window to act through `webview_dispatch` with a command code.
 * A command with data (a file dialog to show) leaves it in the DialogMailbox before dispatching; the
 * window thread's answer comes back as a plain message, which the worker, never blocked, receives.
 * Otherwise plain worker messages are used only before the window opens and after it closes.
 */

import type { FileDialogAnswer, FileDialogRequest } from "../desktop/file-dialog.ts";
import type { CloseAction } from "../shared/desktop.ts";

export const WorkerState = { starting: 0, ready: 1, failed: 2, stopped: 3 } as const;
export const WindowCommand = { activate: 1, quit: 2, close: 3, fileDialog: 4 } as const;

const HEARTBEAT = 0;
const STATE = 1;
const PORT = 2;
const GENERATION = 3;
const CLOSE_ACTION = 4;
const CLOSE_ACTIONS: readonly CloseAction[] = ["quit", "hide", "ask"];
const TRAY_SHOWN = 5;

export class SharedStatus {
  private readonly view: Float64Array;
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8 * 8)) {
    this.view = new Float64Array(buffer);
  }
  get heartbeat(): number {
    return this.view[HEARTBEAT] as number;
  }
  beat(): void {
    this.view[HEARTBEAT] = Date.now();
  }
  get state(): number {
    return this.view[STATE] as number;
  }
  set state(value: number) {
    this.view[STATE] = value;
  }
  get port(): number {
    return this.view[PORT] as number;
  }
  set port(value: number) {
    this.view[PORT] = value;
  }
  /**
   * What closing the window does now (quit, hide into the tray, or ask the user first; see
   * CloseAction); the worker keeps it current, the window reads it when asked to close.
   */
  get closeAction(): CloseAction {
    return CLOSE_ACTIONS[this.view[CLOSE_ACTION] as number] ?? "quit";
  }
  set closeAction(value: CloseAction) {
    this.view[CLOSE_ACTION] = CLOSE_ACTIONS.indexOf(value);
  }
  /** 1 while a tray host shows Sage's icon (a hidden start may stay hidden). */
  get trayShown(): boolean {
    return this.view[TRAY_SHOWN] === 1;
  }
  set trayShown(value: boolean) {
    this.view[TRAY_SHOWN] = value ? 1 : 0;
  }
  /** Which worker start wrote the state (so a late write from a dead worker is ignored). */
  get generation(): number {
    return this.view[GENERATION] as number;
  }
  set generation(value: number) {
    this.view[GENERATION] = value;
  }
}

/** A file dialog request with the id its answer will carry. */
export interface MailedDialog {
  id: number;
  request: FileDialogRequest;
}

/**
 * One file dialog request at a time, from the worker to the window thread, in shared memory: the worker
 * `post`s (as JSON) and then dispatches WindowCommand.fileDialog; the window thread `take`s it. The
 * worker sends the next request only after the previous one's answer came back.
 */
export class DialogMailbox {
  private static readonly BYTES = 64 * 1024;
  private readonly length: Int32Array;
  private readonly bytes: Uint8Array;
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4 + DialogMailbox.BYTES)) {
    this.length = new Int32Array(buffer, 0, 1);
    this.bytes = new Uint8Array(buffer, 4);
  }
  /** False when the request does not fit (titles and filters are bounded by the routes; this is a guard). */
  post(dialog: MailedDialog): boolean {
    const encoded = new TextEncoder().encode(JSON.stringify(dialog));
    if (encoded.byteLength > this.bytes.byteLength) return false;
    this.bytes.set(encoded);
    Atomics.store(this.length, 0, encoded.byteLength);
    return true;
  }
  /** The waiting request, once (undefined when there is none). */
  take(): MailedDialog | undefined {
    const length = Atomics.exchange(this.length, 0, 0);
    if (length <= 0) return undefined;
    return JSON.parse(new TextDecoder().decode(this.bytes.slice(0, length))) as MailedDialog;
  }
}

/** What the main thread sends a new worker. */
export interface WorkerStart {
  type: "start";
  generation: number;
  status: SharedArrayBuffer;
  /** The DialogMailbox's memory. */
  dialogs: SharedArrayBuffer;
  /** The window, when it exists already (a restart); else a "window" message follows. */
  window: WindowTarget | undefined;
  dataDir: string | undefined;
  verbose: boolean;
  compiled: boolean;
  host: string;
  port: number | undefined;
  token: string;
  /** SAGE_TEST_HOOKS=1: expose the test-only routes (see ShellControl.testHooks). */
  testHooks: boolean;
}

/** The native window as the worker addresses it (webview handle and dispatch callback, as numbers). */
export interface WindowTarget {
  handle: number;
  dispatchTarget: number;
}

export type MainToWorker =
  | WorkerStart
  | { type: "window"; window: WindowTarget }
  | { type: "file-dialog-answer"; id: number; answer: FileDialogAnswer }
  | { type: "stop" };
export type WorkerToMain =
  | { type: "ready"; port: number }
  /** `name`: the error's name (DatabaseDamagedError ...), for the exit code. */
  | { type: "failed"; message: string; name: string }
  | { type: "stopped" };
