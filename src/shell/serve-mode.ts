/**
 * Headless mode (`sage --serve`): the server runs in this process; a browser is the UI. Also the
 * fallback when the window cannot open (no display, webview libraries missing).
 */

import { describeStartupNotice } from "../app/lifecycle.ts";
import { isLoopbackHost, type LaunchOptions } from "../core/args.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { describeBrowserOutcome, openInBrowser } from "./browser-launch.ts";
import { runBackend } from "./run-backend.ts";
import { acquireInstanceLock } from "./single-instance.ts";

export interface ServeModeOptions {
  options: LaunchOptions;
  paths: Paths;
  logger: Logger;
  compiled: boolean;
  /** Why we are serving instead of opening a window, and what to do about it (printed first), when this is a fallback. */
  fallbackReason?: string;
}

export async function runServeMode({
  options,
  paths,
  logger,
  compiled,
  fallbackReason,
}: ServeModeOptions): Promise<number> {
  const lock = await acquireInstanceLock(paths.lockFile, "serve");
  if (!lock.acquired) {
    const { running } = lock;
    console.log(`Sage is already running for ${paths.home} (pid ${running.pid}).`);
    console.log(`Open: http://127.0.0.1:${running.port}/?token=${running.token}`);
    return 0;
  }
  if (!isLoopbackHost(options.host)) {
    console.warn(
      `WARNING: listening on ${options.host} makes Sage reachable from other machines. ` +
        "Anyone with the URL's token can run commands on this computer. Prefer 127.0.0.1.",
    );
  }
  let quit: () => void = () => {};
  const exited = new Promise<void>((resolve) => {
    quit = resolve;
  });
  // Before the server starts: a SIGTERM at any moment after the lock is taken is a clean shutdown
  // (the lock names the port as soon as the server listens, and callers may stop us right then).
  process.on("SIGINT", () => quit());
  process.on("SIGTERM", () => quit());
  let running: Awaited<ReturnType<typeof runBackend>>;
  try {
    running = await runBackend({
      paths,
      logger,
      mode: options.devOrigins.length > 0 ? "dev" : "serve",
      compiled,
      host: options.host,
      port: options.port,
      token: process.env.SAGE_DEV_TOKEN || undefined,
      extraOrigins: options.devOrigins,
      shell: {
        kind: options.devOrigins.length > 0 ? "dev" : "serve",
        activate: () => false,
        quit: () => quit(),
      },
    });
  } catch (error) {
    logger.error("server failed to start", error);
    lock.lock.release();
    throw error;
  }
  const { server } = running;
  lock.lock.ready(server.port, server.host, server.token);

  if (fallbackReason) console.log(fallbackReason);
  console.log(`Sage is running. Open this URL in a browser (it contains your access token):`);
  console.log(`  ${server.launchUrl}`);
  console.log(`Data: ${paths.home}   Logs: ${paths.logs}   Stop: Ctrl+C`);
  for (const notice of running.backend.context.notices)
    console.warn(`Notice: ${describeStartupNotice(notice)}`);
  const browser = openInBrowser(server.launchUrl, {
    noOpen: options.noOpen || options.devOrigins.length > 0,
    env: process.env,
  });
  const browserLine = describeBrowserOutcome(browser, server.port);
  if (browserLine) console.log(browserLine);
  logger.info(`browser: ${browser}`);

  await exited;
  logger.info("shutting down (serve mode)");
  await running.stop();
  lock.lock.release();
  return 0;
}
