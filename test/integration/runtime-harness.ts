/**
 * A real Sage backend in-process (real SQLite file, real HTTP + WebSocket server) wired to the fake
 * model server, plus a small WebSocket client that collects events. Used by the runtime tests.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";
import { type Paths, resolvePaths } from "../../src/core/paths.ts";
import type { ShellControl } from "../../src/desktop/shell-control.ts";
import type { ClientMessage } from "../../src/shared/client-messages.ts";
import type { ServerEvent } from "../../src/shared/events.ts";
import { applyEvent, emptyTranscript, type TranscriptState } from "../../src/shared/transcript.ts";
import { type RunningBackend, runBackend } from "../../src/shell/run-backend.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";

export interface TestApp {
  running: RunningBackend;
  fake: FakeModel;
  dataDir: string;
  url: string;
  token: string;
  api<T>(path: string, init?: { method?: string; json?: unknown }): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** The test's environment (test overrides included) minus the desktop session bus. */
function withoutSessionBus(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const { DBUS_SESSION_BUS_ADDRESS: _bus, ...rest } = env;
  return rest;
}

export async function startTestApp(
  options: {
    dataDir?: string;
    providerKind?: "openai-compatible" | "anthropic";
    contextWindow?: number;
    apiKey?: string;
    fake?: FakeModel;
    /** Sage's folders (e.g. the default XDG layout of a test HOME); `dataDir` is ignored then. */
    paths?: Paths;
    /** Where the sandbox probe looks for bwrap (a missing path: no sandbox). */
    bwrapCandidates?: string[];
    /** The shell around the server (default: serve mode that cannot show a window). */
    shell?: ShellControl;
    /** The environment the desktop services see (default: no session bus). */
    env?: Record<string, string | undefined>;
  } = {},
): Promise<TestApp> {
  const paths =
    options.paths ??
    resolvePaths({ HOME: process.env.HOME }, options.dataDir ?? mkdtempSync(join(tmpdir(), "sage-rt-")));
  const dataDir = paths.data;
  const logger = new Logger({ level: "info", console: false });
  logger.attachFile(paths.logs);
  const fake = options.fake ?? (await startFakeModel({ apiKey: options.apiKey ?? "test-key-0001" }));
  const running = await runBackend({
    paths,
    logger,
    mode: "serve",
    compiled: false,
    host: "127.0.0.1",
    port: 0,
    bwrapCandidates: options.bwrapCandidates,
    shell: options.shell ?? { kind: "serve", activate: () => false, quit: () => {} },
    env: options.env ?? withoutSessionBus(process.env),
  });
  const { context } = running.backend;
  if (context.providers.list().length === 0) {
    await context.providers.create({
      name: "Fake",
      kind: options.providerKind ?? "openai-compatible",
      baseUrl: fake.url,
      apiKey: options.apiKey ?? "test-key-0001",
      models: [
        { id: "fake-model", contextWindow: options.contextWindow ?? 128_000, tools: true, vision: true },
      ],
      defaultModel: "fake-model",
      isDefault: true,
    });
  }
  const url = running.server.url;
  const token = running.server.token;
  return {
    running,
    fake,
    dataDir,
    url,
    token,
    async api<T>(path: string, init: { method?: string; json?: unknown } = {}) {
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? (init.json === undefined ? "GET" : "POST"),
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async stop() {
      await running.stop();
      if (!options.fake) await fake.stop();
    },
  };
}

/** A WebSocket client that records every event and can wait for one. */
export class TestSocket {
  readonly events: ServerEvent[] = [];
  private waiters: { test(e: ServerEvent): boolean; resolve(e: ServerEvent): void }[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as ServerEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(event)) return true;
        w.resolve(event);
        return false;
      });
    };
  }

  static async connect(app: Pick<TestApp, "url" | "token">): Promise<TestSocket> {
    const socket = new WebSocket(`${app.url.replace("http", "ws")}/ws?token=${app.token}`);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error("WebSocket failed to open"));
    });
    return new TestSocket(socket);
  }

  send(frame: ClientMessage | Record<string, unknown> | string): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Wait for an event (already received ones count, unless `fresh`). */
  waitFor<K extends ServerEvent["type"]>(
    type: K,
    predicate: (e: Extract<ServerEvent, { type: K }>) => boolean = () => true,
    timeoutMs = 10_000,
    fresh = false,
  ): Promise<Extract<ServerEvent, { type: K }>> {
    const test = (e: ServerEvent) => e.type === type && predicate(e as Extract<ServerEvent, { type: K }>);
    if (!fresh) {
      const existing = this.events.find(test);
      if (existing) return Promise.resolve(existing as Extract<ServerEvent, { type: K }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out waiting for ${type}; got ${this.events.map((e) => e.type).join(", ")}`),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<ServerEvent, { type: K }>);
        },
      });
    });
  }

  ofType<K extends ServerEvent["type"]>(type: K): Extract<ServerEvent, { type: K }>[] {
    return this.events.filter((e) => e.type === type) as Extract<ServerEvent, { type: K }>[];
  }

  transcript(sessionId: string): TranscriptState {
    const state = emptyTranscript();
    for (const event of this.events) if (event.sessionId === sessionId) applyEvent(state, event);
    return state;
  }

  close(): void {
    this.socket.close();
  }
}

export async function newSession(app: TestApp): Promise<string> {
  const { body } = await app.api<{ id: string }>("/api/sessions", { json: {} });
  return body.id;
}
