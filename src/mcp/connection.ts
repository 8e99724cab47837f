/**
 * One configured MCP server at run time: at most one live session, its state for the health panel,
 * its log, its tools, and restarts.
 *
 * States: `stopped` (not started yet, or stopped by the user) -> `starting` -> `ready` | `error`.
 * A server that dies while ready (crash, kill -9) becomes `error` with the reason and is started again
 * after a backoff (1, 2, 5, 10, 30 s, restart-backoff.ts; the status says when); after `MAX_AUTO_RESTARTS`
 * failed tries in a row it stays in `error` until the user presses Restart or a turn needs it. A start that fails
 * (missing command, exits at once, never answers) is not retried on its own: a turn that needs the
 * server tries again only after `RETRY_AFTER_FAILURE_MS`, so a broken server never holds up turns.
 * `disabled` servers never start.
 *
 * Calls: `callTool` starts a stopped server first; a server in `error` answers with an
 * `McpServerError` naming the server and the reason. The turn's stop signal cancels the request (the
 * SDK sends `notifications/cancelled`); progress notifications reach `onProgress` and reset the call
 * timeout; a call with no answer nor progress for `callTimeoutSec` is cancelled.
 */
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { type CallToolResult, CallToolResultSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { McpLogEntry, McpServerInput, McpServerState, McpServerStatus } from "../shared/mcp.ts";
import type { McpResolvedValues } from "./config-store.ts";
import { describeExit, type OpenSession, openSession } from "./connect.ts";
import type { LaunchContext } from "./launch.ts";
import { RestartBackoff } from "./restart-backoff.ts";
import type { McpSampler } from "./sampling.ts";
import { listOffers } from "./server-content.ts";
import { ServerLog } from "./server-log.ts";
import { handleServerRequests } from "./server-requests.ts";
import { McpServerError } from "./types.ts";

/** A turn does not retry a server whose start failed less than this long ago. */
export const RETRY_AFTER_FAILURE_MS = 60_000;
/** Ready this long without a crash resets the restart count. */
const STABLE_AFTER_MS = 60_000;

export interface ConnectionDeps {
  config: McpServerInput;
  values(config: McpServerInput): Promise<McpResolvedValues>;
  launchContext(): Promise<LaunchContext>;
  clientInfo: { name: string; version: string };
  logger: Logger;
  /** The state, tools or counts changed. */
  onChange(): void;
  /** Shorter backoff for tests. */
  restartDelaysMs?: number[];
  /** http/sse: the OAuth provider when tokens are stored (see oauth-provider.ts). */
  authProvider?(config: McpServerInput): Promise<OAuthClientProvider | undefined>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Answers the server's sampling requests while this call runs (see sampling.ts). */
  sampler?: McpSampler;
  onProgress?(progress: { progress: number; total?: number; message?: string }): void;
  workspaceRoot: string;
}

export class McpConnection {
  readonly config: McpServerInput;
  #state: McpServerState;
  #session: OpenSession | undefined;
  #starting: Promise<void> | undefined;
  #tools: Tool[] = [];
  #skipped: { name: string; reason: string }[] = [];
  #counts = { tools: 0, resources: 0, prompts: 0 };
  readonly #log: ServerLog;
  #lastError: string | undefined;
  /** The last start failed because the server wants an OAuth sign-in. */
  #needsSignIn = false;
  #lastErrorAt: number | undefined;
  #failedAt: number | undefined;
  readonly #backoff: RestartBackoff;
  #readySince: number | undefined;
  #initMs: number | undefined;
  #startedAt: number | undefined;
  #lastWorkspace: string | undefined;
  #disposed = false;
  /** Samplers of the calls running now; a sampling request goes to the latest. */
  readonly #samplers: McpSampler[] = [];

  constructor(private readonly deps: ConnectionDeps) {
    this.config = deps.config;
    this.#log = new ServerLog(deps.config.name, deps.logger);
    this.#state = deps.config.enabled ? "stopped" : "disabled";
    this.#backoff = new RestartBackoff(deps.restartDelaysMs);
  }

  get state(): McpServerState {
    return this.#state;
  }

  /** The last start failed because the server wants an OAuth sign-in. */
  get needsSignIn(): boolean {
    return this.#needsSignIn;
  }

  /** The server's tools as it listed them (valid ones only), kept while it is down. */
  get tools(): readonly Tool[] {
    return this.#tools;
  }

  status(usedBy: string[] = []): McpServerStatus {
    const session = this.#session;
    return {
      name: this.config.name,
      state: this.#state,
      transport: session?.kind ?? this.config.transport,
      ...(session?.pid && this.#state === "ready" ? { pid: session.pid } : {}),
      ...(session?.launch ? { launch: session.launch } : {}),
      ...(session?.note ? { note: session.note } : {}),
      ...(this.#initMs !== undefined ? { initMs: this.#initMs } : {}),
      ...(this.#serverInfo() ? { serverInfo: this.#serverInfo() } : {}),
      counts: { ...this.#counts },
      tools: [],
      skippedTools: [...this.#skipped],
      ...(this.#lastError ? { lastError: this.#lastError, lastErrorAt: this.#lastErrorAt } : {}),
      stderrTail: this.#log.stderrTail(),
      restarts: this.#backoff.count,
      ...(this.#backoff.nextAt ? { nextRestartAt: this.#backoff.nextAt } : {}),
      ...(this.#startedAt ? { startedAt: this.#startedAt } : {}),
      usedBy,
    };
  }

  log(): McpLogEntry[] {
    return this.#log.entries();
  }

  /**
   * Make sure the server is ready (starting it in `workspaceRoot` when needed). Resolves when ready;
   * rejects with `McpServerError` when it cannot be. `force` also retries a recent failure.
   */
  async ensureReady(workspaceRoot: string, force = false): Promise<void> {
    if (this.#disposed) throw new McpServerError(this.config.name, "Sage is shutting down.");
    if (this.#state === "disabled")
      throw new McpServerError(
        this.config.name,
        `The MCP server "${this.config.name}" is disabled in Settings.`,
      );
    if (this.#state === "ready") return;
    if (!this.#starting) {
      const recentFailure =
        this.#state === "error" &&
        this.#failedAt !== undefined &&
        Date.now() - this.#failedAt < RETRY_AFTER_FAILURE_MS;
      if (recentFailure && !force && !this.#backoff.pending) throw this.#downError();
      if (this.#backoff.pending && !force) throw this.#downError();
      this.#backoff.cancel();
      this.#starting = this.#start(workspaceRoot).finally(() => {
        this.#starting = undefined;
      });
    }
    await this.#starting;
  }

  /** The user's Restart: stop, forget the backoff, start again now. */
  async restart(workspaceRoot: string): Promise<void> {
    this.#backoff.reset();
    await this.stop("restart");
    if (this.#state === "disabled") return;
    await this.ensureReady(workspaceRoot, true).catch(() => {});
  }

  /** Stop the server (user's Stop, a config change, shutdown). */
  async stop(reason: "user" | "restart" | "config" | "shutdown"): Promise<void> {
    this.#backoff.cancel();
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      this.#log.info(`stopping (${reason})`);
      await session.client.close().catch(() => {});
      await session.transport.close().catch(() => {});
    }
    if (reason === "shutdown") this.#disposed = true;
    if (this.#state !== "disabled") this.#setState("stopped");
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    await this.ensureReady(options.workspaceRoot);
    const session = this.#session;
    if (!session) throw this.#downError();
    const sampler = options.sampler;
    if (sampler) this.#samplers.push(sampler);
    try {
      const result = await session.client.request(
        { method: "tools/call", params: { name, arguments: args } },
        CallToolResultSchema,
        {
          signal: options.signal,
          timeout: this.config.callTimeoutSec * 1000,
          resetTimeoutOnProgress: true,
          onprogress: options.onProgress,
        },
      );
      return result as CallToolResult;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === -32001)
        throw new McpServerError(
          this.config.name,
          `The MCP server "${this.config.name}" did not answer ${name} within ${this.config.callTimeoutSec} s; the call was cancelled.`,
        );
      if (code === -32000 || this.#state !== "ready") {
        // Connection closed: give the crash handler a moment to record why.
        await Bun.sleep(50);
        throw new McpServerError(
          this.config.name,
          `The MCP server "${this.config.name}" stopped during the call to ${name}: ${this.#lastError ?? errorMessage(error)}`,
        );
      }
      throw error;
    } finally {
      if (sampler) this.#samplers.splice(this.#samplers.lastIndexOf(sampler), 1);
    }
  }

  /** The connected client, starting the server when needed (resources, prompts: server-content.ts). */
  async readyClient(workspaceRoot: string): Promise<Client> {
    await this.ensureReady(workspaceRoot);
    const session = this.#session;
    if (!session) throw this.#downError();
    return session.client;
  }

  async #start(workspaceRoot: string): Promise<void> {
    this.#lastWorkspace = workspaceRoot;
    this.#setState("starting");
    const started = performance.now();
    this.#startedAt = Date.now();
    let session: OpenSession | undefined;
    try {
      const values = await this.deps.values(this.config);
      if (values.missing.length > 0)
        this.#log.warn(
          `no value is stored for the secret(s) ${values.missing.join(", ")}; enter them in Settings`,
        );
      session = await openSession({
        config: this.config,
        values,
        workspaceRoot,
        launchContext: await this.deps.launchContext(),
        clientInfo: this.deps.clientInfo,
        prepare: (client) => this.#prepare(client),
        onStderrLine: (line) => this.#log.stderr(line),
        onGarbage: (line) => this.#log.push("warn", `not MCP (stdout): ${line.slice(0, 500)}`),
        onInfo: (text) => this.#log.info(text),
        authProvider: await this.deps.authProvider?.(this.config),
      });
      if (this.#disposed) {
        await session.transport.close();
        throw new McpServerError(this.config.name, "Sage is shutting down.");
      }
      this.#session = session;
      await this.#refreshLists(session.client);
      this.#initMs = Math.round(performance.now() - started);
      this.#readySince = Date.now();
      this.#failedAt = undefined;
      this.#needsSignIn = false;
      const info = session.client.getServerVersion();
      this.#log.info(
        `ready in ${this.#initMs} ms${info ? `: ${info.name} ${info.version}` : ""} (${this.#counts.tools} tools)`,
      );
      // Watch for the end only once ready: a failed start is reported by openSession itself.
      const opened = session;
      opened.transport.onclose = chain(opened.transport.onclose, () => this.#onClosed(opened));
      this.#setState("ready");
    } catch (error) {
      if (session) await session.transport.close().catch(() => {});
      if (this.#session === session) this.#session = undefined;
      this.#needsSignIn = error instanceof McpServerError && error.needsSignIn;
      const message =
        error instanceof Error && error.name === "McpServerError"
          ? error.message
          : `Could not start: ${errorMessage(error)}`;
      this.#fail(message);
      throw error instanceof Error && error.name === "McpServerError"
        ? error
        : new McpServerError(this.config.name, message);
    }
  }

  #prepare(client: Client): void {
    handleServerRequests(client, {
      log: this.#log,
      currentSampler: () => this.#samplers.at(-1),
      toolsChanged: () => {
        this.#log.info("the server says its tools changed: listing them again");
        void this.#refreshLists(client).catch((error) =>
          this.#log.warn(`listing tools failed: ${errorMessage(error)}`),
        );
      },
    });
  }

  /** Tools (each checked on its own: one bad schema does not hide the others), resources, prompts. */
  async #refreshLists(client: Client): Promise<void> {
    const listed = await listOffers(client, this.config.initTimeoutSec * 1000);
    this.#counts = listed.counts;
    this.#tools = listed.tools;
    this.#skipped = listed.skipped;
    for (const tool of listed.skipped) this.#log.warn(`tool ${tool.name} skipped: ${tool.reason}`);
    this.deps.onChange();
  }

  /** Record tools the adapter could not offer (bad input schema), shown in the panel. */
  skipTool(name: string, reason: string): void {
    if (this.#skipped.some((tool) => tool.name === name)) return;
    this.#skipped.push({ name, reason });
    this.#log.warn(`tool ${name} skipped: ${reason}`);
  }

  #onClosed(session: OpenSession): void {
    if (this.#session !== session) return; // stopped on purpose
    this.#session = undefined;
    const exit = session.exit();
    const how = exit ? `the server exited (${describeExit(exit)})` : "the connection to the server closed";
    const lastLine = this.#log.lastStderrLine();
    this.#fail(`${how} unexpectedly${lastLine ? `; last line on stderr: "${lastLine.slice(0, 300)}"` : ""}.`);
    if (this.#readySince && Date.now() - this.#readySince > STABLE_AFTER_MS) this.#backoff.reset();
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    if (this.#disposed || this.#state === "disabled") return;
    const delay = this.#backoff.schedule(() => {
      if (this.#starting || this.#state === "ready") return;
      this.#starting = this.#start(this.#lastWorkspace ?? process.cwd())
        .catch(() => this.#scheduleRestart())
        .finally(() => {
          this.#starting = undefined;
        });
    });
    if (delay === undefined) {
      this.#log.warn(`gave up restarting after ${this.#backoff.count} attempts; press Restart to try again`);
      this.deps.onChange();
      return;
    }
    this.#log.info(
      `restarting in ${(delay / 1000).toFixed(delay < 1000 ? 1 : 0)} s (attempt ${this.#backoff.count})`,
    );
    this.deps.onChange();
  }

  #downError(): McpServerError {
    const why = this.#lastError ?? "it is not running";
    const nextAt = this.#backoff.nextAt;
    const next = nextAt
      ? ` Sage restarts it in ${Math.max(1, Math.round((nextAt - Date.now()) / 1000))} s.`
      : "";
    return new McpServerError(
      this.config.name,
      `The MCP server "${this.config.name}" is not available: ${why}${next}`,
    );
  }

  #serverInfo(): { name: string; version: string } | undefined {
    const info = this.#session?.client.getServerVersion();
    return info ? { name: info.name, version: info.version } : undefined;
  }

  #fail(message: string): void {
    this.#lastError = message;
    this.#lastErrorAt = Date.now();
    this.#failedAt = Date.now();
    this.#log.error(message);
    this.#setState("error");
  }

  #setState(state: McpServerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.deps.onChange();
  }
}

function chain(first: (() => void) | undefined, second: () => void): () => void {
  return () => {
    first?.();
    second();
  };
}
