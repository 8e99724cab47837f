/**
 * Every configured MCP server: the configs (through `McpConfigStore`), at most one running instance
 * per config (`McpConnection`; a changed config stops the old instance, the next use starts the new
 * one), eager start, the tools of an agent's servers for a turn, health for the panel, shutdown.
 *
 * One instance per server is shared by every agent that uses it; a stdio server runs in the workspace
 * of the agent whose turn started it (or its configured `cwd`). The instances themselves, their launch
 * and their adapted tools are the pool's (server-pool.ts).
 */
import type { AnyTool, Workspace } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { ValidationError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import type { SandboxStatus } from "../sandbox/types.ts";
import type { Agent } from "../shared/agent.ts";
import type {
  McpAgentPrompts,
  McpAgentResources,
  McpLogEntry,
  McpPromptText,
  McpResourceContents,
  McpServerEntry,
  McpServerInput,
  McpServerStatus,
} from "../shared/mcp.ts";
import type { McpConfigStore } from "./config-store.ts";
import type { McpConnection } from "./connection.ts";
import type { McpOAuthAccounts } from "./oauth-accounts.ts";
import type { McpOAuthStore } from "./oauth-store.ts";
import { idleStatus, type McpRuntime, McpServerPool } from "./server-pool.ts";
import type { McpToolProvider, McpTurnTools } from "./types.ts";

export interface McpManagerOptions {
  store: McpConfigStore;
  agents: Pick<AgentRepository, "list">;
  paths: Paths;
  logger: Logger;
  version: string;
  compiled: boolean;
  /** Sage's environment (PATH, HOME, proxies ... are passed on; see launch.ts). */
  env: Record<string, string | undefined>;
  sandbox(): Promise<SandboxStatus>;
  /** Settings → Environment, for `${NAME}` in server configs. */
  userEnvironment(): Record<string, string>;
  /** `process.execPath` (tests may point it elsewhere). */
  execPath?: string;
  restartDelaysMs?: number[];
  /** OAuth tokens and registrations of remote servers (key store). */
  oauth: McpOAuthStore;
  /** Window mode: open the sign-in page in the system browser (serve mode: the panel's link). */
  openBrowser?(url: string): boolean;
  signInTimeoutMs?: number;
}

export class McpManager implements McpToolProvider {
  readonly #listeners = new Set<() => void>();
  /** The running instances; they exist only once the SDK-backed code (runtime.ts) is loaded. */
  readonly #pool: McpServerPool;
  #disposed = false;
  #loading: Promise<McpRuntime> | undefined;
  #oauthAccounts: McpOAuthAccounts | undefined;

  constructor(private readonly options: McpManagerOptions) {
    this.#pool = new McpServerPool({
      ...options,
      authProvider: async (server) => (await this.#oauth()).providerFor(server),
      onChange: () => this.#emit(),
    });
  }

  /** Load the SDK-backed code once (see runtime.ts), with the OAuth accounts it brings. */
  #load(): Promise<McpRuntime> {
    this.#loading ??= this.#pool.load().then((runtime) => {
      this.#oauthAccounts = new runtime.McpOAuthAccounts({
        store: this.options.oauth,
        openBrowser: this.options.openBrowser,
        signInTimeoutMs: this.options.signInTimeoutMs,
        onChange: () => this.#emit(),
      });
      return runtime;
    });
    return this.#loading;
  }

  #connection(config: McpServerInput): McpConnection {
    return this.#pool.connection(config);
  }

  async #oauth(): Promise<McpOAuthAccounts> {
    await this.#load();
    return this.#oauthAccounts as McpOAuthAccounts;
  }

  /** The OAuth tokens and registrations (tests, leak scans). */
  get oauthStore(): McpOAuthStore {
    return this.options.oauth;
  }

  /** Start an OAuth sign-in (http/sse); the server restarts once it is signed in. */
  async signIn(name: string): Promise<McpServerStatus> {
    const config = this.options.store.get(name);
    await (await this.#oauth()).signIn(config, () => void this.restart(name).catch(() => {}));
    return this.status(name);
  }

  cancelSignIn(name: string): McpServerStatus {
    this.options.store.get(name);
    this.#oauthAccounts?.cancel(name);
    return this.status(name);
  }

  /** Delete the server's tokens and registration, and stop it (the next start asks for a sign-in). */
  async signOut(name: string): Promise<McpServerStatus> {
    const config = this.options.store.get(name);
    await (await this.#oauth()).signOut(name);
    await this.#connection(config).stop("user");
    return this.status(name);
  }

  /** Read the stored sign-ins (start-up, with the secrets), so the panel shows them. */
  async loadSignIns(): Promise<void> {
    const remote = this.options.store.list().filter((config) => config.transport !== "stdio");
    if (remote.length === 0) return;
    const oauth = await this.#oauth();
    for (const config of remote) await oauth.load(config);
    this.#emit();
  }

  /** Called whenever a server's state, tools or config changes. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  entries(): McpServerEntry[] {
    return this.options.store.list().map((config) => this.#entry(config));
  }

  entry(name: string): McpServerEntry {
    return this.#entry(this.options.store.get(name));
  }

  status(name: string): McpServerStatus {
    return this.entry(name).status;
  }

  log(name: string): McpLogEntry[] {
    this.options.store.get(name);
    return this.#pool.named(name)?.log() ?? [];
  }

  /** The configs (settings import/export write them directly, then call `configsImported`). */
  get store(): McpConfigStore {
    return this.options.store;
  }

  /** Configs changed under the manager (a settings import): announce, start eager ones. */
  configsImported(names: readonly string[]): void {
    this.#emit();
    for (const name of names) {
      const config = this.options.store.find(name);
      // Replaces (and stops) an instance started with the old config; none exist before the first load.
      if (config && this.#pool.loaded) this.#connection(config);
      if (config?.enabled && config.startup === "eager") void this.#startEager(name);
    }
  }

  async create(input: McpServerInput): Promise<McpServerEntry> {
    const stored = await this.options.store.create(input);
    this.#emit();
    if (stored.enabled && stored.startup === "eager") void this.#startEager(stored.name);
    return this.#entry(stored);
  }

  async update(name: string, input: McpServerInput): Promise<McpServerEntry> {
    const stored = await this.options.store.update(name, input);
    // The old instance (if its config changed) stops now; the new one starts on next use.
    if (this.#pool.loaded) this.#connection(stored);
    this.#emit();
    if (stored.enabled && stored.startup === "eager") void this.#startEager(stored.name);
    return this.#entry(stored);
  }

  async remove(name: string): Promise<void> {
    await this.options.store.remove(name);
    await (await this.#oauth()).forget(name);
    await this.#pool.forget(name)?.stop("config");
    this.#emit();
  }

  /** The user's Restart: starts the server now (also a disabled one stays disabled). */
  async restart(name: string): Promise<McpServerStatus> {
    const config = this.options.store.get(name);
    await this.#load();
    await this.#connection(config).restart(this.#pool.workspaceFor(config));
    return this.status(name);
  }

  async stop(name: string): Promise<McpServerStatus> {
    const config = this.options.store.get(name);
    if (!this.#pool.loaded) return this.status(name);
    await this.#connection(config).stop("user");
    return this.status(name);
  }

  async toolsForAgent(agent: Agent, workspace: Workspace, signal?: AbortSignal): Promise<McpTurnTools> {
    const tools: AnyTool[] = [];
    const notes: string[] = [];
    const connections: McpConnection[] = [];
    if (agent.config.mcpServers.length > 0) await this.#load();
    for (const name of agent.config.mcpServers) {
      const config = this.options.store.find(name);
      if (!config) {
        notes.push(`The MCP server "${name}" this agent uses is not configured in Settings → MCP servers.`);
        continue;
      }
      if (!config.enabled) continue;
      connections.push(this.#connection(config));
    }
    const waits = connections.map((connection) =>
      connection.ensureReady(workspace.root).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
    );
    const aborted = new Promise<"aborted">((resolve) => {
      if (signal?.aborted) resolve("aborted");
      signal?.addEventListener("abort", () => resolve("aborted"), { once: true });
    });
    const outcomes = await Promise.race([Promise.all(waits), aborted]);
    connections.forEach((connection, index) => {
      const problem = outcomes === "aborted" ? "the turn was stopped while it started" : outcomes[index];
      // Tools last listed stay offered while a server is down: a call then says which server and why.
      tools.push(...this.#pool.toolsOf(connection).tools);
      if (problem) {
        notes.push(
          `The MCP server "${connection.config.name}" is not available: ${problem.replace(/^The MCP server "[^"]+" is not available: /, "")}`,
        );
      }
    });
    return { tools, notes };
  }

  /** The resources of every enabled server `agent` uses (started when needed); failures listed. */
  async resourcesFor(agent: Agent, workspaceRoot: string): Promise<McpAgentResources> {
    const results = await this.#eachServerOf(agent, (connection, runtime) =>
      runtime.listResources(connection, workspaceRoot),
    );
    return { resources: results.values.flat(), problems: results.problems };
  }

  async readResource(name: string, uri: string, workspaceRoot: string): Promise<McpResourceContents> {
    const config = this.#enabled(name);
    const runtime = await this.#load();
    return runtime.readResource(this.#connection(config), uri, workspaceRoot);
  }

  async promptsFor(agent: Agent, workspaceRoot: string): Promise<McpAgentPrompts> {
    const results = await this.#eachServerOf(agent, (connection, runtime) =>
      runtime.listPrompts(connection, workspaceRoot),
    );
    return { prompts: results.values.flat(), problems: results.problems };
  }

  async getPrompt(
    name: string,
    prompt: string,
    args: Record<string, string>,
    workspaceRoot: string,
  ): Promise<McpPromptText> {
    const config = this.#enabled(name);
    const runtime = await this.#load();
    return runtime.getPromptText(this.#connection(config), prompt, args, workspaceRoot);
  }

  async #eachServerOf<T>(agent: Agent, run: (connection: McpConnection, runtime: McpRuntime) => Promise<T>) {
    const configs = agent.config.mcpServers
      .map((name) => this.options.store.find(name))
      .filter((config): config is McpServerInput => config?.enabled === true);
    const runtime = configs.length > 0 ? await this.#load() : undefined;
    const connections = configs.map((config) => this.#connection(config));
    const settled = await Promise.allSettled(
      connections.map((connection) => run(connection, runtime as McpRuntime)),
    );
    const values: T[] = [];
    const problems: string[] = [];
    settled.forEach((outcome, index) => {
      if (outcome.status === "fulfilled") values.push(outcome.value);
      else
        problems.push(
          `${connections[index]?.config.name}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
        );
    });
    return { values, problems };
  }

  #enabled(name: string): McpServerInput {
    const config = this.options.store.get(name);
    if (!config.enabled) throw new ValidationError(`The MCP server "${name}" is disabled.`, "name");
    return config;
  }

  knownTools(): AnyTool[] {
    return this.#pool.knownTools();
  }

  /** Start the servers set to start with Sage (in the background; failures show in the panel). */
  startEager(): void {
    for (const config of this.options.store.list())
      if (config.enabled && config.startup === "eager") void this.#startEager(config.name);
  }

  /** Stop every server (app shutdown); later starts are refused. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#oauthAccounts?.dispose();
    await this.#pool.stopAll();
  }

  /** Every stored secret value of every server (for leak scans such as the diagnostics bundle). */
  secretValues(): Promise<string[]> {
    return this.options.store.secretValues();
  }

  /** Processes of running stdio servers (tests, diagnostics). */
  runningPids(): number[] {
    return this.entries()
      .map((entry) => entry.status.pid)
      .filter((pid): pid is number => pid !== undefined);
  }

  async #startEager(name: string): Promise<void> {
    const config = this.options.store.find(name);
    if (!config || this.#disposed) return;
    await this.#load();
    await this.#connection(config)
      .ensureReady(this.#pool.workspaceFor(config))
      .catch(() => {});
  }

  #entry(config: McpServerInput): McpServerEntry {
    const usedBy = this.options.agents
      .list()
      .filter((agent) => agent.config.mcpServers.includes(config.name))
      .map((agent) => agent.config.name);
    const connection = this.#pool.current(config);
    const status: McpServerStatus = connection
      ? { ...connection.status(usedBy), tools: this.#pool.toolsOf(connection).summaries }
      : idleStatus(config, usedBy);
    const auth = this.#oauthAccounts
      ? this.#oauthAccounts.status(config, connection?.needsSignIn ?? false)
      : storedAuthStatus(config, this.options.oauth);
    if (auth) status.auth = auth;
    return { config: this.options.store.view(config), status };
  }

  #emit(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch {
        // a listener's failure is its own
      }
    }
  }
}

/** Sign-in status from the stored tokens alone, before any sign-in ran in this run. */
function storedAuthStatus(config: McpServerInput, store: McpOAuthStore): McpServerStatus["auth"] {
  if (config.transport === "stdio" || !store.signedIn(config.name)) return undefined;
  return { signedIn: true, needsSignIn: false };
}
