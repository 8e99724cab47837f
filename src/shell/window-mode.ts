/**
 * Window mode (the default): the server runs in a worker, the native window on this thread.
 *
 * Order: instance lock -> start the worker (it opens storage and the server) while the window is
 * created, sized and titled -> navigate to the server with the token -> block in the window's event loop -> on close,
 * quit from the UI, or SIGTERM/SIGINT/SIGHUP: save the window size, stop the worker (WAL checkpoint),
 * release the lock, exit 0. Falls back to serve mode, with a message, when no window can be shown.
 */
import type { LaunchOptions } from "../core/args.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { currentOs } from "../core/platform.ts";
import { VERSION } from "../core/version.ts";
import { ICON_NAME, installIcon } from "../desktop/desktop-icon.ts";
import { newToken } from "../server/security.ts";
import { checkWindowAvailability, preferPlainRenderingWithoutGpu } from "./display.ts";
import { GtkFileDialogs } from "./gtk-file-dialog.ts";
import { runServeMode } from "./serve-mode.ts";
import {
  acquireInstanceLock,
  activateRunning,
  InstanceBusyError,
  openUrlInRunning,
} from "./single-instance.ts";
import { startFailureCode, startFailurePage } from "./start-failure.ts";
import { NativeWindow, SizeHint } from "./webview-native.ts";
import { loadWindowState, MIN_SIZE, saveWindowState } from "./window-state.ts";
import { WindowCommand } from "./worker-channel.ts";
import { WorkerSupervisor } from "./worker-supervisor.ts";

/** Asks the page's close prompt (ui/src/components/close-prompt.tsx); without one, the answer is quit. */
const CLOSE_PROMPT_SCRIPT =
  'if (typeof window.__sageAskClose === "function") window.__sageAskClose(); else window.sageCloseAnswer("quit");';

/** How long a hidden start waits for a tray host to show Sage's icon before showing the window. */
const HIDDEN_START_GRACE_MS = 5000;

export interface WindowModeOptions {
  options: LaunchOptions;
  paths: Paths;
  logger: Logger;
  compiled: boolean;
}

export async function runWindowMode(args: WindowModeOptions): Promise<number> {
  const { options, paths, logger, compiled } = args;
  const availability = checkWindowAvailability(process.env);
  if (!availability.ok) return fallBack(args, `${availability.reason}\n${availability.hint}`);

  // Before any window (the start-failure one too) and before the server worker's thread exists (setenv).
  if (preferPlainRenderingWithoutGpu(process.env))
    logger.info("no GPU render node: WebKit draws without compositing");
  let lock: Awaited<ReturnType<typeof acquireInstanceLock>>;
  try {
    lock = await acquireInstanceLock(paths.lockFile, "window");
  } catch (error) {
    // A Sage that holds the data folder but does not answer: a desktop start has no terminal, so the
    // reason (with the pid to close) is shown in a window of its own.
    if (!(error instanceof InstanceBusyError)) throw error;
    logger.error("another instance holds the data folder", error);
    console.error(`Sage could not start: ${error.message}`);
    try {
      const window = new NativeWindow(false);
      showStartFailure(window, error.message, logger.filePath ?? paths.logs);
      window.destroy();
    } catch {
      // No window could be made either: the message above is all there is.
    }
    return 1;
  }
  if (!lock.acquired && options.openUrl) {
    // A sage: link while Sage runs: the running instance opens it; this launch ends.
    const opened = await openUrlInRunning(lock.running, options.openUrl);
    if (opened.ok) console.log(`Sage is already running; it opened ${options.openUrl}.`);
    else console.error(`Sage could not open ${options.openUrl}: ${opened.message}`);
    return opened.ok ? 0 : 1;
  }
  if (!lock.acquired) {
    const shown = await activateRunning(lock.running);
    console.log(
      shown
        ? "Sage is already running; its window was brought to the front."
        : `Sage is already running (pid ${lock.running.pid}): http://127.0.0.1:${lock.running.port}/?token=${lock.running.token}`,
    );
    return 0;
  }

  const token = newToken();
  logger.addSecret(token);
  // SAGE_START_PATH (with SAGE_TEST_HOOKS=1 only) opens another page first: used by the window benchmarks.
  let startPath = process.env.SAGE_TEST_HOOKS === "1" ? (process.env.SAGE_START_PATH ?? "/") : "/";
  const urlFor = (port: number) => {
    const url = new URL(startPath, `http://127.0.0.1:${port}`);
    url.searchParams.set("token", token);
    return url.href;
  };
  let created: NativeWindow | undefined;
  const supervisor = new WorkerSupervisor({
    logger,
    start: {
      window: undefined, // attached below, once GTK made it
      dataDir: options.dataDir,
      verbose: options.verbose,
      compiled,
      host: "127.0.0.1",
      port: options.port,
      token,
      testHooks: process.env.SAGE_TEST_HOOKS === "1",
    },
    onRestarted: (port) => {
      lock.lock.ready(port, "127.0.0.1", token);
      created?.navigate(urlFor(port));
    },
    onGaveUp: (reason) => created?.setHtml(errorPage(reason, logger.filePath ?? paths.logs)),
  });

  // The server starts in its worker while this thread creates the window and lays it out (each ~100 ms
  // measured): neither waits for the other.
  const starting = supervisor.start();
  starting.catch(() => {}); // awaited below; this only keeps the rejection from being reported early
  NativeWindow.setProgramName(ICON_NAME);
  try {
    created = new NativeWindow(process.env.SAGE_WEBVIEW_DEBUG === "1");
  } catch (error) {
    await supervisor.stop(3000);
    lock.lock.release();
    const display = process.env.WAYLAND_DISPLAY || process.env.DISPLAY;
    return fallBack(
      args,
      `Sage could not open its window on display ${display}: ${(error as Error).message}\n` +
        "Check that this display is running and that you may use it (XAUTHORITY, xhost).",
    );
  }
  const window = created;
  // File dialogs the server asks for when no desktop portal answers: GTK's, modal for this window.
  const fileDialogs = new GtkFileDialogs(() => window.nativeWindow);
  const showFileDialog = () => {
    const mailed = supervisor.takeDialogRequest();
    if (!mailed) return;
    logger.info(`showing GTK's ${mailed.request.kind} dialog`);
    window.present();
    fileDialogs.show(mailed.request, (answer) => supervisor.answerDialog(mailed.id, answer));
  };
  supervisor.attachWindow({
    handle: Number(window.handle),
    dispatchTarget: Number(
      window.dispatchTarget((code) => {
        if (code === WindowCommand.activate) window.present();
        else if (code === WindowCommand.quit) window.terminate();
        else if (code === WindowCommand.close) window.close();
        else if (code === WindowCommand.fileDialog) showFileDialog();
      }),
    ),
  });
  // Still while the server starts: the window's title, size, icon and page script (GTK lays the window
  // out here, ~70 ms measured).
  const size = loadWindowState(paths.windowState);
  window.setTitle("Sage");
  window.setSize(MIN_SIZE.width, MIN_SIZE.height, SizeHint.min);
  window.setSize(size.width, size.height, SizeHint.none);
  // GTK takes the window's icon by name from the user's icon theme (Linux only).
  if (currentOs() === "linux" && installIcon(process.env)) window.setIconName(ICON_NAME);
  window.init(`window.__SAGE__ = ${JSON.stringify({ token, shell: "window", version: VERSION })};`);

  let port: number;
  try {
    port = await starting;
  } catch (error) {
    logger.error("server failed to start", error);
    const message = (error as Error).message;
    console.error(`Sage could not start: ${message}\nLogs: ${logger.filePath}`);
    await supervisor.stop(3000);
    showStartFailure(window, message, logger.filePath ?? paths.logs);
    window.destroy();
    lock.lock.release();
    return startFailureCode(error);
  }
  lock.lock.ready(port, "127.0.0.1", token);
  if (options.openUrl) {
    // Started by a sage: link: open its chat first (the server checks and resolves the link).
    const opened = await openUrlInRunning(
      { pid: process.pid, mode: "window", port, host: "127.0.0.1", token, startedAt: Date.now() },
      options.openUrl,
    );
    // The page puts `draft` (sage://new?prompt=) into the chat's message box, unsent.
    if (opened.ok) {
      const draft = opened.draft ? `?draft=${encodeURIComponent(opened.draft)}` : "";
      startPath = `/s/${encodeURIComponent(opened.sessionId)}${draft}`;
      logger.info(`started by a link: opening chat ${opened.sessionId}${draft ? " with a draft" : ""}`);
    } else logger.warn(`could not open ${options.openUrl}: ${opened.message}`);
  }

  window.navigate(urlFor(port));
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    window.onSignal(signal, () => {
      logger.info(`${signal}: closing the window`);
      window.terminate();
    });
  }
  // A hidden start (autostart) stays in the tray; without a tray the window shows after all.
  let hiddenUntil = options.hidden ? Date.now() + HIDDEN_START_GRACE_MS : 0;
  if (options.hidden) window.hide();
  window.every(250, () => {
    supervisor.tick();
    if (hiddenUntil && (supervisor.trayShown || Date.now() > hiddenUntil)) {
      if (!supervisor.trayShown) {
        logger.info("started hidden, but no tray shows Sage: showing the window");
        window.present();
      } else logger.info("started hidden in the tray");
      hiddenUntil = 0;
    }
  });
  // The first close with a tray showing Sage's icon asks (the page's close prompt, which stores the
  // answer as the closeToTray setting and calls sageCloseAnswer). A page that cannot ask (not loaded,
  // the error page) answers "quit"; closing again while the question is open quits too, so the window
  // can always be closed.
  let asking = false;
  // The prompt's "hide" answer, until the worker's published close action (250 ms heartbeat) catches
  // up with the setting the page just stored, so a close right after it does not ask again.
  let answeredHide = false;
  const closeAction = () => {
    const published = supervisor.closeAction;
    if (published !== "ask") answeredHide = false;
    return answeredHide ? "hide" : published;
  };
  window.bind("sageCloseAnswer", (answer) => {
    asking = false;
    answeredHide = answer === "hide";
    if (answer === "hide") {
      logger.info("close prompt: Sage keeps running in the tray");
      window.hide();
    } else if (answer === "quit") {
      logger.info("close prompt: quitting");
      window.terminate();
    } else logger.info("close prompt: cancelled");
    return true;
  });
  window.onCloseRequest(() => {
    const action = closeAction();
    if (action === "ask" && !asking) {
      asking = true;
      logger.info("window closed: asking whether to keep Sage running in the tray");
      window.eval(CLOSE_PROMPT_SCRIPT);
      return "keep";
    }
    if (action === "hide") {
      logger.info("window closed: Sage keeps running in the tray");
      return "hide";
    }
    logger.info(action === "ask" ? "window closed again while asking: quitting" : "window closed: quitting");
    return "close";
  });
  logger.info(`window open on port ${port}`);

  window.run();

  const finalSize = window.size();
  if (finalSize) saveWindowState(paths.windowState, finalSize);
  fileDialogs.close();
  window.destroy();
  logger.info("window closed; stopping the server");
  await supervisor.stop();
  lock.lock.release();
  return 0;
}

/**
 * Show why the start failed in the window itself (a desktop start has no terminal) until the user
 * closes it or a signal arrives.
 */
function showStartFailure(window: NativeWindow, message: string, logPath: string): void {
  // Signals first: once the window can be seen, a signal must close it (GLib keeps one that arrives
  // before the loop runs and delivers it when it does).
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const)
    window.onSignal(signal, () => window.terminate());
  window.setTitle("Sage could not start");
  window.setSize(MIN_SIZE.width, MIN_SIZE.height, SizeHint.none);
  window.setHtml(startFailurePage(message, logPath));
  window.run();
}

async function fallBack(args: WindowModeOptions, reason: string): Promise<number> {
  args.logger.warn(`window unavailable, serving instead: ${reason}`);
  return runServeMode({
    ...args,
    options: { ...args.options, mode: "serve" },
    fallbackReason: reason,
  });
}

function errorPage(reason: string, logPath: string): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sage</title>
<style>body{font:15px system-ui,sans-serif;margin:0;display:grid;place-items:center;height:100vh;background:#f6f7f6;color:#1d2621}
main{max-width:560px;padding:32px}h1{font-size:20px}code{background:#e6ebe8;padding:2px 6px;border-radius:4px}</style></head>
<body><main><h1>Sage has stopped working</h1><p>${escapeHtml(reason)}</p>
<p>The log explains what went wrong: <code>${escapeHtml(logPath)}</code></p>
<p>Close this window and start Sage again. If it keeps happening, please report it with the log.</p></main></body></html>`;
}
