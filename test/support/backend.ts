/**
 * Test helper: the real Sage backend in-process, started exactly as serve mode starts it (`runBackend`:
 * real SQLite file, real HTTP + WebSocket server on a random loopback port), with a fresh temp data
 * dir, a debug-level log file and a fake model server behind a default provider.
 *
 * `useBackend()` is what a test file calls: it registers the start and stop hooks itself and returns
 * an accessor. `startBackend()` is for a test that needs a backend of its own (a restart on the same
 * data dir, a second instance).
 */

import { afterAll, afterEach, beforeAll, beforeEach } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";
import { type Paths, resolvePaths } from "../../src/core/paths.ts";
import type { ShellControl } from "../../src/desktop/shell-control.ts";
import type { Clock } from "../../src/schedule/types.ts";
import { type RunningBackend, runBackend } from "../../src/shell/run-backend.ts";
import { type FakeModel, type FakeModelOptions, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type HttpApi, httpApi } from "./http-api.ts";

export type { ApiResponse } from "./http-api.ts";

export interface BackendOptions {
  /** Reuse this data dir (e.g. one a stopped backend kept); default: a new temp dir. */
  dataDir?: string;
  /** Sage's folders (e.g. the default XDG layout of a test HOME); `dataDir` is ignored then. */
  paths?: Paths;
  /**
   * The default provider: a fake model server speaking this wire format (default openai-compatible),
   * or `false` for a backend with no provider at all (the providers API tests add their own).
   */
  provider?: "openai-compatible" | "anthropic" | false;
  /** The fake model's context window (default 128k). */
  contextWindow?: number;
  /** The key the fake model expects and the provider sends (default "test-key-0001"). */
  apiKey?: string;
  /** A fake model server the test owns (not stopped with the backend); default: a new one. */
  fake?: FakeModel;
  /**
   * How the backend's own fake model answers once its queue is empty (e.g. routing by the sub-agent a
   * request is for); ignored with `fake`.
   */
  fallback?: FakeModelOptions["fallback"];
  /** Where the sandbox probe looks for bwrap (a missing path: no sandbox). */
  bwrapCandidates?: string[];
  /** Replaces parts of the shell around the server (default: serve mode that cannot show a window). */
  shell?: Partial<ShellControl>;
  /** The environment the desktop services see (default: the test's, minus the session bus). */
  env?: Record<string, string | undefined>;
  /** The scheduler's clock (tests move scheduled time by hand); default: the system clock. */
  clock?: Clock;
}

export interface TestBackend {
  running: RunningBackend;
  paths: Paths;
  dataDir: string;
  logger: Logger;
  fake: FakeModel;
  port: number;
  token: string;
  /** http://127.0.0.1:PORT (no token). */
  url: string;
  /** How often the server asked the shell to quit / activate (only counted with the default shell). */
  shellCalls: { quit: number; activate: number };
  /** fetch against the server with the token (test/support/http-api.ts). */
  http: HttpApi["http"];
  /** An authenticated JSON call (test/support/http-api.ts). */
  api: HttpApi["api"];
  /** The log file's text so far ("" when nothing was written). */
  logText(): string;
  /** Stops the server; removes a data dir it created unless `keepData` (to start again on it). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** The test's environment (test overrides included) minus the desktop session bus. */
function withoutSessionBus(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const { DBUS_SESSION_BUS_ADDRESS: _bus, ...rest } = env;
  return rest;
}

export async function startBackend(options: BackendOptions = {}): Promise<TestBackend> {
  const ownDir = !options.paths && !options.dataDir;
  const paths =
    options.paths ??
    resolvePaths({ HOME: process.env.HOME }, options.dataDir ?? mkdtempSync(join(tmpdir(), "sage-test-")));
  const logger = new Logger({ level: "debug", console: false });
  logger.attachFile(paths.logs);
  const apiKey = options.apiKey ?? "test-key-0001";
  const fake = options.fake ?? (await startFakeModel({ apiKey, fallback: options.fallback }));
  const shellCalls = { quit: 0, activate: 0 };
  const running = await runBackend({
    paths,
    logger,
    mode: "serve",
    compiled: false,
    host: "127.0.0.1",
    port: 0,
    bwrapCandidates: options.bwrapCandidates,
    shell: {
      kind: "serve",
      activate: () => {
        shellCalls.activate++;
        return false;
      },
      quit: () => {
        shellCalls.quit++;
      },
      ...options.shell,
    },
    env: options.env ?? withoutSessionBus(process.env),
    clock: options.clock,
  }).catch(async (error: unknown) => {
    if (!options.fake) await fake.stop();
    throw error;
  });
  const { context } = running.backend;
  if (options.provider !== false && context.providers.list().length === 0) {
    await context.providers.create({
      name: "Fake",
      kind: options.provider ?? "openai-compatible",
      baseUrl: fake.url,
      apiKey,
      models: [
        { id: "fake-model", contextWindow: options.contextWindow ?? 128_000, tools: true, vision: true },
      ],
      defaultModel: "fake-model",
      isDefault: true,
    });
  }
  const { port, token, url } = running.server;
  const client = httpApi(url, token);
  return {
    running,
    paths,
    dataDir: paths.data,
    logger,
    fake,
    port,
    token,
    url,
    shellCalls,
    http: client.http,
    api: client.api,
    logText() {
      try {
        return readFileSync(join(paths.logs, "sage.log"), "utf8");
      } catch {
        return "";
      }
    },
    async stop({ keepData = false } = {}) {
      await running.stop();
      if (!options.fake) await fake.stop();
      if (ownDir && !keepData) rmSync(paths.data, { recursive: true, force: true });
    },
  };
}

/**
 * Start a backend before the file's tests (or before each, with `each`) and stop it after. Options
 * may be a function, called at start: for values an earlier hook sets up (a private bus's address).
 * Returns an accessor; calling it before the start hook ran is a test bug and throws.
 */
export function useBackend(
  options: BackendOptions | (() => BackendOptions | Promise<BackendOptions>) = {},
  { each = false }: { each?: boolean } = {},
): () => TestBackend {
  let backend: TestBackend | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    backend = await startBackend(typeof options === "function" ? await options() : options);
  });
  (each ? afterEach : afterAll)(async () => {
    await backend?.stop();
    backend = undefined;
  });
  return () => {
    if (!backend) throw new Error("useBackend(): the backend is not running (used outside a test?)");
    return backend;
  };
}
