/**
 * Start the whole backend (storage, runtime, server) and return a handle to stop it. Serve mode calls
 * this on the main thread; window mode calls it inside the server worker.
 */

import { DesktopServices } from "../app/desktop-services.ts";
import { type Backend, initialize } from "../app/lifecycle.ts";
import type { RunMode } from "../core/args.ts";
import { becomeInteractive } from "../core/jit-policy.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import type { ShellControl } from "../desktop/shell-control.ts";
import type { Clock } from "../schedule/types.ts";
import { loadUiAssets } from "../server/load-ui.ts";
import { type RunningServer, startServer } from "../server/start.ts";

export interface RunBackendOptions {
  paths: Paths;
  logger: Logger;
  mode: RunMode;
  compiled: boolean;
  host: string;
  port: number | undefined;
  token?: string;
  extraOrigins?: string[];
  shell: ShellControl;
  /** See `InitializeOptions.bwrapCandidates` (tests). */
  bwrapCandidates?: string[];
  /** Where the desktop services look for the session bus; `process.env` when absent. */
  env?: Record<string, string | undefined>;
  /** See `InitializeOptions.clock` (tests move the scheduler's time by hand). */
  clock?: Clock;
}

export interface RunningBackend {
  backend: Backend;
  server: RunningServer;
  /** Notifications and focus reports (tests wait on `desktop.ready`). */
  desktop: DesktopServices;
  /** Stop accepting requests, end running turns, close the database (WAL checkpoint). */
  stop(): Promise<void>;
}

export async function runBackend(options: RunBackendOptions): Promise<RunningBackend> {
  const backend = await initialize(options);
  const desktop = new DesktopServices(backend.context, options.shell, options.env);
  let server: RunningServer;
  try {
    const ui = await loadUiAssets(options.compiled);
    server = await startServer(backend.context, {
      host: options.host,
      port: options.port,
      token: options.token,
      extraOrigins: options.extraOrigins,
      ui,
      commands: backend.commands,
      shell: options.shell,
      desktop,
    });
    options.logger.info(
      `serving on ${server.url} (UI: ${ui.describe()}; ${performance.now().toFixed(0)} ms after process start)`,
    );
  } catch (error) {
    desktop.stop();
    await backend.shutdown();
    throw error;
  }
  // Start-up leaves garbage (parsed migrations, skill files, route compilation): collect it once the
  // app has settled, so an idle Sage holds only what it uses.
  const settle = setTimeout(() => {
    Bun.gc(true);
    becomeInteractive();
  }, 3000);
  settle.unref();
  let stopping: Promise<void> | undefined;
  return {
    backend,
    server,
    desktop,
    stop() {
      stopping ??= (async () => {
        await server.stop();
        desktop.stop();
        await backend.shutdown();
      })();
      return stopping;
    },
  };
}
