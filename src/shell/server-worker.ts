/**
 * The server worker (window mode): runs storage, the agent runtime and the HTTP/WS server off the main
 * thread, which belongs to the window. Must be listed as an entrypoint of `bun build --compile`.
 *
 * Contract: it may start before the window exists; "window" tells it the window (commands to the
 * window before that are not sent). File dialogs are asked of the window thread one at a time (the
 * DialogMailbox, then WindowCommand.fileDialog); each answer comes back as "file-dialog-answer". After "start" it beats the shared heartbeat every 250 ms, sets state ready + port (and posts
 * "ready"), or state failed (and posts "failed"). On "stop" it shuts the backend down (WAL checkpoint)
 * and posts "stopped".
 */
import { Logger } from "../core/logger.ts";
import { resolvePaths } from "../core/paths.ts";
import type { FileDialogAnswer, FileDialogRequest } from "../desktop/file-dialog.ts";
import { type RunningBackend, runBackend } from "./run-backend.ts";
import { workerWindowApi } from "./webview-native.ts";
import {
  DialogMailbox,
  type MainToWorker,
  SharedStatus,
  WindowCommand,
  type WindowTarget,
  type WorkerStart,
  WorkerState,
  type WorkerToMain,
} from "./worker-channel.ts";

declare const self: Worker;

let running: RunningBackend | undefined;
let heartbeat: ReturnType<typeof setInterval> | undefined;
/** The window, once the main thread created it (the worker starts first; see window-mode.ts). */
let windowTarget: WindowTarget | undefined;
let windowApi: ReturnType<typeof workerWindowApi> | undefined;

/** Send the window a command; false (nothing sent) before the window exists. */
function dispatch(code: number): boolean {
  if (!windowTarget) return false;
  windowApi ??= workerWindowApi(windowTarget.handle);
  windowApi.dispatch(windowTarget.dispatchTarget, code);
  return true;
}

let dialogs: DialogMailbox | undefined;
let dialogIds = 0;
/** The one dialog the window shows now, and the requests queued behind it. */
let dialogQueue: Promise<unknown> = Promise.resolve();
const dialogAnswers = new Map<number, (answer: FileDialogAnswer) => void>();

/** Show a file dialog in the window (GTK's); "unavailable" before the window exists. */
function fileDialog(request: FileDialogRequest): Promise<FileDialogAnswer> {
  const asked = dialogQueue.then(
    () =>
      new Promise<FileDialogAnswer>((resolve) => {
        const id = ++dialogIds;
        if (!windowTarget || !dialogs?.post({ id, request })) resolve({ kind: "unavailable" });
        else {
          dialogAnswers.set(id, resolve);
          dispatch(WindowCommand.fileDialog);
        }
      }),
  );
  dialogQueue = asked;
  return asked;
}

function post(message: WorkerToMain): void {
  self.postMessage(message);
}

async function start(message: WorkerStart): Promise<void> {
  const status = new SharedStatus(message.status);
  dialogs = new DialogMailbox(message.dialogs);
  status.beat();
  heartbeat = setInterval(() => {
    status.beat();
    status.closeAction = running?.desktop.closeAction() ?? "quit";
    status.trayShown = running?.desktop.tray === "shown";
  }, 250);
  const paths = resolvePaths(process.env, message.dataDir);
  const logger = new Logger({
    level: message.verbose ? "debug" : "info",
    console: message.verbose,
    scope: "server",
  });
  logger.attachFile(paths.logs);
  windowTarget = message.window ?? windowTarget;
  try {
    running = await runBackend({
      paths,
      logger,
      mode: "window",
      compiled: message.compiled,
      host: message.host,
      port: message.port,
      token: message.token,
      shell: {
        kind: "window",
        activate: () => {
          logger.info("another launch asked to show the window; bringing it to the front");
          return dispatch(WindowCommand.activate);
        },
        quit: () => {
          dispatch(WindowCommand.quit);
        },
        fileDialog,
        testHooks: message.testHooks
          ? {
              crashWorker: () => {
                logger.warn("test hook: crashing the server worker (exit 70)");
                process.exit(70);
              },
              report: (name, data) => logger.info(`bench ${name} ${JSON.stringify(data)}`),
              closeWindow: () => {
                dispatch(WindowCommand.close);
              },
            }
          : undefined,
      },
    });
    status.generation = message.generation;
    status.port = running.server.port;
    status.state = WorkerState.ready;
    post({ type: "ready", port: running.server.port });
  } catch (error) {
    logger.error("server worker failed to start", error);
    status.generation = message.generation;
    status.state = WorkerState.failed;
    post({
      type: "failed",
      message: error instanceof Error ? error.message : String(error),
      name: error instanceof Error ? error.name : "Error",
    });
  }
}

async function stop(): Promise<void> {
  if (heartbeat) clearInterval(heartbeat);
  await running?.stop();
  post({ type: "stopped" });
}

self.onmessage = (event: MessageEvent<MainToWorker>) => {
  const message = event.data;
  if (message.type === "start") void start(message);
  else if (message.type === "window") windowTarget = message.window;
  else if (message.type === "file-dialog-answer") {
    dialogAnswers.get(message.id)?.(message.answer);
    dialogAnswers.delete(message.id);
  } else if (message.type === "stop") void stop();
};
