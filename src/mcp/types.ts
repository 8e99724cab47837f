/**
 * The MCP client's contracts (read this first). Shapes the UI also sees live in src/shared/mcp.ts.
 *
 * Pieces, one file each:
 * - config-import.ts   Claude Desktop / Claude Code / VS Code JSON -> `McpServerInput`s
 * - config-store.ts    server configs in the settings table, secret values in the key store
 * - launch.ts          stdio: the command line actually run (npx/bunx/node -> Sage's built-in Bun when
 *                      missing), the clean environment, the process containment (bubblewrap or setpriv)
 * - stdio-transport.ts the SDK `Transport` over a Bun subprocess (stderr tail, exit reason, garbage lines)
 * - connection.ts      one running server: connect with timeouts, HTTP -> SSE fallback, tool list,
 *                      list_changed, calls with progress and cancellation, crash -> restart with backoff
 * - tool-adapter.ts    an MCP tool as a Sage `ToolDefinition` (name, schema validation, approval, results)
 * - manager.ts         every server: at most one instance per config, lazy/eager start, the tools of an
 *                      agent's servers for a turn, health for the panel, shutdown
 *
 * Contract with the rest of Sage: `McpToolProvider` is all the session layer sees. It never throws: a
 * server that cannot start makes its tools missing from the turn (with a note to the model) and its
 * state visible in the health panel; a call to a server that went down is an error result naming the
 * server and the reason.
 */

import type { AnyTool, Workspace } from "../agent/tool-contract.ts";
import type { Agent } from "../shared/agent.ts";

/** What a turn (and the Tools page) gets from the MCP manager. */
export interface McpToolProvider {
  /**
   * Start, when needed, the enabled servers `agent` uses (in parallel, each bounded by its init
   * timeout) and return their tools, plus one note per server that is not available (for the model).
   * Never throws. `signal` (the turn's stop) ends the wait, not the servers.
   */
  toolsForAgent(agent: Agent, workspace: Workspace, signal?: AbortSignal): Promise<McpTurnTools>;
  /** Tools of every server that has listed them (running or last known), for the catalogue. */
  knownTools(): AnyTool[];
}

export interface McpTurnTools {
  tools: AnyTool[];
  /** "The MCP server "x" is not available: <why>. Its tools are missing from this turn." */
  notes: string[];
}

/** A stdio server's command line as it will be run. */
export interface StdioLaunch {
  /** argv, containment wrapper included. */
  argv: string[];
  /** The complete environment of the process (clean base + configured variables). */
  env: Record<string, string>;
  cwd: string;
  /** The command line shown to the user (without the containment wrapper). */
  display: string;
  /** Shown in the panel, e.g. "npx is not installed here: runs with Sage's built-in Bun (bun x)". */
  note?: string;
  /** How the process tree is tied to Sage (see launch.ts). */
  containment: "bubblewrap" | "setpriv" | "process-group";
}

/** A server could not be started or answered wrongly; the message is for the panel and the model. */
export class McpServerError extends Error {
  override readonly name = "McpServerError";
  /** The server wants an OAuth sign-in (it answered 401 and publishes OAuth metadata). */
  readonly needsSignIn: boolean;
  constructor(
    readonly server: string,
    message: string,
    options: { needsSignIn?: boolean } = {},
  ) {
    super(message);
    this.needsSignIn = options.needsSignIn === true;
  }
}

/** The configured command does not exist (checked before anything is spawned). */
export class McpCommandNotFoundError extends Error {
  override readonly name = "McpCommandNotFoundError";
}
