/**
 * Every configured MCP server: the configs (through `McpConfigStore`), at most one running instance
 * per config (`McpConnection`; a changed config stops the old instance, the next use starts the new
 * one), eager start, the tools of an agent's servers for a turn, health for the panel, shutdown.
 *
 * One instance per server is shared by every agent that uses it; a stdio server runs in the workspace
 * of the agent whose turn started it (or its configured `cwd`).
 */
import { mkdirSync } from "node:fs";
import type { AnyTool, Workspace } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { workspaceRootOf } from "../agent-configs/workspace-check.ts";
import { ValidationError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { sageFolders } from "../sandbox/protected-paths.ts";
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
  McpToolSummary,
} from "../shared/mcp.ts";
import type { McpConfigStore } from "./config-store.ts";
import type { McpConnection } from "./connection.ts";
import type { LaunchContext } from "./launch.ts";
import type { McpOAuthAccounts } from "./oauth-accounts.ts";
import type { McpOAuthStore } from "./oauth-store.ts";
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
  sandbox(): SandboxStatus;
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

interface Adapted {
  source: readonly unknown[];
  tools: AnyTool[];
  summaries: McpToolSummary[];
}

export class McpManager implements McpToolProvider {
  readonly #connections = new Map<string, { key: string; connection: McpConnection }>();
  readonly #adapted = new Map<string, Adapted>();
  readonly #listeners = new Set<() => void>();
  readonly #setpriv: string | null;
  #disposed = false;

  /** The SDK-backed code (runtime.ts), loaded on first use; connections exist only once it is. */
  #runtime: Runtime | undefined;
  #loading: Promise<Runtime> | undefined;
  #oauthAccounts: McpOAuthAccounts | undefined;

  constructor(private readonly options: McpManagerOptions) {
    this.#setpriv = Bun.which("setpriv", { PATH: options.env.PATH ?? "/usr/bin:/bin" }) ?? null;
  }

  /** Load the SDK-backed code once (see runtime.ts). */
  #load(): Promise<Runtime> {
    this.#loading ??= import("./runtime.ts").then((runtime) => {
      this.#oauthAccounts = new runtime.McpOAuthAccounts({
        store: this.options.oauth,
        openBrowser: this.options.openBrowser,
        signInTimeoutMs: this.options.signInTimeoutMs,
        onChange: () => this.#emit(),
      });
      this.#runtime = runtime;
      return runtime;
    });
    return this.#loading;
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
    return this.#connections.get(name)?.connection.log() ?? [];
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
      if (config && this.#runtime) this.#connection(config);
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
    if (this.#runtime) this.#connection(stored);
    this.#emit();
    if (stored.enabled && stored.startup === "eager") void this.#startEager(stored.name);
    return this.#entry(stored);
  }

  async remove(name: string): Promise<void> {
    await this.options.store.remove(name);
    await (await this.#oauth()).forget(name);
    const existing = this.#connections.get(name);
    this.#connections.delete(name);
    this.#adapted.delete(name);
    if (existing) await existing.connection.stop("config");
    this.#emit();
  }

  /** The user's Restart: starts the server now (also a disabled one stays disabled). */
  async restart(name: string): Promise<McpServerStatus> {
    const config = this.options.store.get(name);
    await this.#load();
    await this.#connection(config).restart(this.#workspaceFor(config));
    return this.status(name);
  }

  async stop(name: string): Promise<McpServerStatus> {
    const config = this.options.store.get(name);
    if (!this.#runtime) return this.status(name);
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
      tools.push(...this.#toolsOf(connection).tools);
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

  async #eachServerOf<T>(agent: Agent, run: (connection: McpConnection, runtime: Runtime) => Promise<T>) {
    const configs = agent.config.mcpServers
      .map((name) => this.options.store.find(name))
      .filter((config): config is McpServerInput => config?.enabled === true);
    const runtime = configs.length > 0 ? await this.#load() : undefined;
    const connections = configs.map((config) => this.#connection(config));
    const settled = await Promise.allSettled(
      connections.map((connection) => run(connection, runtime as Runtime)),
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
    return [...this.#connections.values()]
      .filter(({ connection }) => connection.config.enabled)
      .flatMap(({ connection }) => this.#toolsOf(connection).tools);
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
    const all = [...this.#connections.values()];
    await Promise.all(all.map(({ connection }) => connection.stop("shutdown").catch(() => {})));
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
      .ensureReady(this.#workspaceFor(config))
      .catch(() => {});
  }

  #entry(config: McpServerInput): McpServerEntry {
    const usedBy = this.options.agents
      .list()
      .filter((agent) => agent.config.mcpServers.includes(config.name))
      .map((agent) => agent.config.name);
    const current = this.#connections.get(config.name);
    const connection = current?.key === configKey(config) ? current.connection : undefined;
    const status: McpServerStatus = connection
      ? { ...connection.status(usedBy), tools: this.#toolsOf(connection).summaries }
      : idleStatus(config, usedBy);
    const auth = this.#oauthAccounts
      ? this.#oauthAccounts.status(config, connection?.needsSignIn ?? false)
      : storedAuthStatus(config, this.options.oauth);
    if (auth) status.auth = auth;
    return { config: this.options.store.view(config), status };
  }

  /** The instance for `config`, replacing (and stopping) one started with an older config. */
  #connection(config: McpServerInput): McpConnection {
    const key = configKey(config);
    const current = this.#connections.get(config.name);
    if (current?.key === key) return current.connection;
    if (current) void current.connection.stop("config");
    this.#adapted.delete(config.name);
    if (!this.#runtime) throw new Error("MCP runtime used before it was loaded");
    const connection = new this.#runtime.McpConnection(this.#connectionDeps(config));
    this.#connections.set(config.name, { key, connection });
    return connection;
  }

  #connectionDeps(config: McpServerInput) {
    return {
      config,
      values: (server: McpServerInput) => this.options.store.values(server),
      launchContext: () => this.#launchContext(),
      clientInfo: { name: "sage", version: this.options.version },
      logger: this.options.logger,
      onChange: () => this.#emit(),
      restartDelaysMs: this.options.restartDelaysMs,
      authProvider: async (server: McpServerInput) => (await this.#oauth()).providerFor(server),
    };
  }

  #toolsOf(connection: McpConnection): Adapted {
    const name = connection.config.name;
    const cached = this.#adapted.get(name);
    if (cached && cached.source === connection.tools) return cached;
    const tools: AnyTool[] = [];
    const summaries: McpToolSummary[] = [];
    const used = new Set<string>();
    for (const tool of connection.tools) {
      const result = (this.#runtime as Runtime).adaptTool(connection, tool);
      if ("skipped" in result) {
        connection.skipTool(tool.name, result.skipped);
        continue;
      }
      if (used.has(result.tool.name)) {
        connection.skipTool(tool.name, `its name collides with another tool (${result.tool.name})`);
        continue;
      }
      used.add(result.tool.name);
      tools.push(result.tool);
      summaries.push({
        name: tool.name,
        qualifiedName: result.tool.name,
        ...(tool.title ? { title: tool.title } : {}),
        description: (tool.description ?? "").slice(0, 1000),
        readOnly: tool.annotations?.readOnlyHint === true,
      });
    }
    const adapted = { source: connection.tools, tools, summaries };
    this.#adapted.set(name, adapted);
    return adapted;
  }

  #launchContext(): LaunchContext {
    const { paths } = this.options;
    return {
      baseEnv: this.options.env,
      userEnv: this.options.userEnvironment(),
      execPath: this.options.execPath ?? process.execPath,
      compiled: this.options.compiled,
      sandbox: this.options.sandbox(),
      hiddenPaths: sageFolders(paths),
      visiblePaths: [paths.workspaces],
      setprivPath: this.#setpriv,
    };
  }

  /** Where a server starts outside a turn: the first agent that uses it, else the workspaces folder. */
  #workspaceFor(config: McpServerInput): string {
    const agent = this.options.agents
      .list()
      .find((candidate) => candidate.config.mcpServers.includes(config.name));
    const folder = agent
      ? workspaceRootOf(agent, this.options.paths.workspaces)
      : this.options.paths.workspaces;
    try {
      mkdirSync(folder, { recursive: true });
    } catch {
      // the start reports a missing folder itself
    }
    return folder;
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

type Runtime = typeof import("./runtime.ts");

/** A server never started in this run: what a fresh connection reports (no SDK needed). */
function idleStatus(config: McpServerInput, usedBy: string[]): McpServerStatus {
  return {
    name: config.name,
    state: config.enabled ? "stopped" : "disabled",
    transport: config.transport,
    counts: { tools: 0, resources: 0, prompts: 0 },
    tools: [],
    skippedTools: [],
    stderrTail: [],
    restarts: 0,
    usedBy,
  };
}

/** Sign-in status from the stored tokens alone, before any sign-in ran in this run. */
function storedAuthStatus(config: McpServerInput, store: McpOAuthStore): McpServerStatus["auth"] {
  if (config.transport === "stdio" || !store.signedIn(config.name)) return undefined;
  return { signedIn: true, needsSignIn: false };
}

function configKey(config: McpServerInput): string {
  return JSON.stringify(config);
}
