/**
 * The running MCP server instances: at most one `McpConnection` per configured server, keyed by its
 * exact config (a changed config stops the old instance; the next use starts the new one), how they are
 * launched (environment, sandbox, hidden folders), the tools each one offers as Sage tools (adapted once
 * per tool list), and where a server starts outside a turn.
 *
 * Connections need the SDK-backed code (runtime.ts), loaded on first use by `load()`; before it is, no
 * connection exists and `connection()` throws. `McpManager` is the only user.
 */
import { mkdirSync } from "node:fs";
import type { AnyTool } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { sageFolders } from "../sandbox/protected-paths.ts";
import type { SandboxStatus } from "../sandbox/types.ts";
import type { McpServerInput, McpServerStatus, McpToolSummary } from "../shared/mcp.ts";
import { workspaceRootOf } from "../workspace/workspace-location.ts";
import type { McpConfigStore } from "./config-store.ts";
import type { ConnectionDeps, McpConnection } from "./connection.ts";
import type { LaunchContext } from "./launch.ts";

export type McpRuntime = typeof import("./runtime.ts");

export interface ServerPoolOptions {
  store: Pick<McpConfigStore, "values">;
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
  /** http/sse: the OAuth provider of a server (see oauth-accounts.ts). */
  authProvider: NonNullable<ConnectionDeps["authProvider"]>;
  /** A server's state, tools or counts changed. */
  onChange(): void;
}

/** A server's tools as Sage tools, and as the panel lists them; `source` is the list they came from. */
export interface AdaptedTools {
  source: readonly unknown[];
  tools: AnyTool[];
  summaries: McpToolSummary[];
}

export class McpServerPool {
  readonly #connections = new Map<string, { key: string; connection: McpConnection }>();
  readonly #adapted = new Map<string, AdaptedTools>();
  readonly #setpriv: string | null;
  #runtime: McpRuntime | undefined;
  #loading: Promise<McpRuntime> | undefined;

  constructor(private readonly options: ServerPoolOptions) {
    this.#setpriv = Bun.which("setpriv", { PATH: options.env.PATH ?? "/usr/bin:/bin" }) ?? null;
  }

  /** Whether the SDK-backed code is loaded (connections can exist). */
  get loaded(): boolean {
    return this.#runtime !== undefined;
  }

  /** Load the SDK-backed code once (see runtime.ts). */
  load(): Promise<McpRuntime> {
    this.#loading ??= import("./runtime.ts").then((runtime) => {
      this.#runtime = runtime;
      return runtime;
    });
    return this.#loading;
  }

  /** The instance for `config`, replacing (and stopping) one started with an older config. */
  connection(config: McpServerInput): McpConnection {
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

  /** The instance running `config` exactly, if there is one (never starts or replaces one). */
  current(config: McpServerInput): McpConnection | undefined {
    const current = this.#connections.get(config.name);
    return current?.key === configKey(config) ? current.connection : undefined;
  }

  /** The instance of the server named `name`, whatever config it was started with. */
  named(name: string): McpConnection | undefined {
    return this.#connections.get(name)?.connection;
  }

  /** Forget the server (its config was removed); returns its instance for the caller to stop. */
  forget(name: string): McpConnection | undefined {
    const existing = this.#connections.get(name);
    this.#connections.delete(name);
    this.#adapted.delete(name);
    return existing?.connection;
  }

  /** Every instance of an enabled server, for the tools they last listed. */
  knownTools(): AnyTool[] {
    return [...this.#connections.values()]
      .filter(({ connection }) => connection.config.enabled)
      .flatMap(({ connection }) => this.toolsOf(connection).tools);
  }

  /** Stop every instance (app shutdown); failures are ignored. */
  async stopAll(): Promise<void> {
    const all = [...this.#connections.values()];
    await Promise.all(all.map(({ connection }) => connection.stop("shutdown").catch(() => {})));
  }

  /**
   * The server's tools as Sage tools (cached until its tool list changes). Tools that cannot be adapted,
   * or whose qualified names collide, are skipped and the connection says why.
   */
  toolsOf(connection: McpConnection): AdaptedTools {
    const name = connection.config.name;
    const cached = this.#adapted.get(name);
    if (cached && cached.source === connection.tools) return cached;
    const tools: AnyTool[] = [];
    const summaries: McpToolSummary[] = [];
    const used = new Set<string>();
    for (const tool of connection.tools) {
      const result = (this.#runtime as McpRuntime).adaptTool(connection, tool);
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

  /** Where a server starts outside a turn: the first agent that uses it, else the workspaces folder. */
  workspaceFor(config: McpServerInput): string {
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

  #connectionDeps(config: McpServerInput): ConnectionDeps {
    return {
      config,
      values: (server: McpServerInput) => this.options.store.values(server),
      launchContext: () => this.#launchContext(),
      clientInfo: { name: "sage", version: this.options.version },
      logger: this.options.logger,
      onChange: () => this.options.onChange(),
      restartDelaysMs: this.options.restartDelaysMs,
      authProvider: this.options.authProvider,
    };
  }

  async #launchContext(): Promise<LaunchContext> {
    const { paths } = this.options;
    return {
      baseEnv: this.options.env,
      userEnv: this.options.userEnvironment(),
      execPath: this.options.execPath ?? process.execPath,
      compiled: this.options.compiled,
      sandbox: await this.options.sandbox(),
      hiddenPaths: sageFolders(paths),
      visiblePaths: [paths.workspaces],
      setprivPath: this.#setpriv,
    };
  }
}

/** A server never started in this run: what a fresh connection reports (no SDK needed). */
export function idleStatus(config: McpServerInput, usedBy: string[]): McpServerStatus {
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

function configKey(config: McpServerInput): string {
  return JSON.stringify(config);
}
