/**
 * MCP servers as the API and the UI see them (Settings → MCP servers, the health panel, the agent form).
 * Runs in the browser too: no Bun or Node imports.
 *
 * - GET    /api/mcp/servers                 -> { servers: McpServerEntry[] }
 * - POST   /api/mcp/servers   McpServerInput -> McpServerEntry (409 when the name is taken)
 * - PUT    /api/mcp/servers/:name McpServerInput -> McpServerEntry (the name cannot change)
 * - DELETE /api/mcp/servers/:name           -> { removed: true } (stops it; agents keep the reference)
 * - POST   /api/mcp/servers/:name/restart   -> McpServerStatus (starts it again now)
 * - POST   /api/mcp/servers/:name/stop      -> McpServerStatus
 * - POST   /api/mcp/servers/:name/sign-in   -> McpServerStatus (http/sse: starts an OAuth sign-in; its
 *                                              `auth.signIn.url` is the page to open in a browser)
 * - POST   /api/mcp/servers/:name/sign-in/cancel -> McpServerStatus
 * - POST   /api/mcp/servers/:name/sign-out  -> McpServerStatus (tokens and registration deleted)
 * - GET    /api/mcp/servers/:name/log       -> { entries: McpLogEntry[] }
 * - POST   /api/mcp/parse    { text }       -> McpParseResult (Claude Desktop / Claude Code JSON, nothing saved)
 * - GET    /api/mcp/project?agentId         -> McpProjectConfig (a `.mcp.json` in the agent's workspace;
 *                                              never started: the user adds its servers by hand)
 * - GET    /api/mcp/agents/:agentId/resources -> McpAgentResources (the resources of the agent's servers,
 *                                              started when needed; for the composer's "attach")
 * - POST   /api/mcp/servers/:name/resources/read { uri } -> McpResourceContents
 * - GET    /api/mcp/agents/:agentId/prompts -> McpAgentPrompts (prompts, offered as slash commands)
 * - POST   /api/mcp/servers/:name/prompts/get { name, arguments } -> McpPromptText
 *
 * A server's name is its identity: agents refer to it by name (`AgentConfig.mcpServers`), and its
 * tools are offered to the model as `mcp__<name>__<tool>`.
 *
 * Secrets: a variable or header marked `secret` keeps its value in the key store (OS keychain or the
 * encrypted file), never in the database, an export or an API answer; views say only `hasValue`.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { withoutLimits } from "./schema-limits.ts";
import { type FieldIssue, schemaIssues } from "./validation.ts";

/** Letters, digits, `_` and `-`, 1-40 characters, starting with a letter or digit. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/**
 * - `stdio`: Sage starts `command` and talks to it over stdin/stdout.
 * - `http`: Streamable HTTP at `url`; when the server answers as an older SSE-only server, Sage falls
 *   back to SSE (the status's `transport` then says `sse`).
 * - `sse`: the older HTTP+SSE transport only.
 */
export const McpTransport = T.Union([T.Literal("stdio"), T.Literal("http"), T.Literal("sse")]);
export type McpTransport = Static<typeof McpTransport>;

/** An environment variable (stdio) or an HTTP header (http/sse). */
export const McpNamedValue = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  /**
   * The value. For a secret, absent (or "") on update keeps the stored value; views never carry it.
   * `${NAME}` is replaced at start by the variable of Settings → Environment of that name.
   */
  value: T.Optional(T.String({ maxLength: 16_384 })),
  /** Kept in the key store, never in the database or exports. */
  secret: T.Boolean({ default: false }),
});
export type McpNamedValue = Static<typeof McpNamedValue>;

export const McpServerInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 40 }),
  transport: McpTransport,
  /** stdio: the program (looked up on the PATH; `npx`/`bunx`/`node` fall back to Sage's built-in Bun). */
  command: T.Optional(T.String({ maxLength: 4096 })),
  args: T.Array(T.String({ maxLength: 16_384 }), { maxItems: 200, default: [] }),
  /** stdio: the working folder; empty means the workspace of the agent whose turn started it. */
  cwd: T.Optional(T.String({ maxLength: 4096 })),
  env: T.Array(McpNamedValue, { maxItems: 200, default: [] }),
  /** http/sse: the server's address. */
  url: T.Optional(T.String({ maxLength: 4096 })),
  headers: T.Array(McpNamedValue, { maxItems: 100, default: [] }),
  enabled: T.Boolean({ default: true }),
  /** `lazy`: started by the first turn of an agent that uses it; `eager`: started with Sage. */
  startup: T.Union([T.Literal("lazy"), T.Literal("eager")], { default: "lazy" }),
  /** Seconds the server has to answer `initialize` (and to list its tools). */
  initTimeoutSec: T.Integer({ minimum: 1, maximum: 600, default: 30 }),
  /** Seconds a tool call may take without progress notifications before it is cancelled. */
  callTimeoutSec: T.Integer({ minimum: 1, maximum: 3600, default: 300 }),
  /** Tools the server annotates as read-only run without asking (unless the agent sets a rule). */
  trustReadOnly: T.Boolean({ default: false }),
  /**
   * http/sse with OAuth: a client id registered for Sage at the authorization server, for servers
   * without dynamic client registration (public client, PKCE; redirect http://127.0.0.1:<port>/callback).
   */
  oauthClientId: T.Optional(T.String({ maxLength: 500 })),
});
export type McpServerInput = Static<typeof McpServerInput>;

/** A named value as views show it: secrets without their value. */
export const McpNamedValueView = T.Object({
  name: T.String(),
  secret: T.Boolean(),
  /** Non-secret values only. */
  value: T.Optional(T.String()),
  /** A secret has a stored value. */
  hasValue: T.Boolean(),
});
export type McpNamedValueView = Static<typeof McpNamedValueView>;

/** A server's configuration as views show it (secret values left out). */
export const McpServerView = T.Composite([
  T.Omit(McpServerInput, ["env", "headers"]),
  T.Object({ env: T.Array(McpNamedValueView), headers: T.Array(McpNamedValueView) }),
]);
export type McpServerView = Static<typeof McpServerView>;

/** starting -> ready | error; ready -> error (crash) -> starting (restart with backoff); stopped; disabled. */
export const McpServerState = T.Union([
  T.Literal("starting"),
  T.Literal("ready"),
  T.Literal("error"),
  T.Literal("stopped"),
  T.Literal("disabled"),
]);
export type McpServerState = Static<typeof McpServerState>;

export const McpToolSummary = T.Object({
  /** The server's own name for the tool. */
  name: T.String(),
  /** What the model calls: `mcp__<server>__<tool>`. */
  qualifiedName: T.String(),
  title: T.Optional(T.String()),
  description: T.String(),
  readOnly: T.Boolean(),
});
export type McpToolSummary = Static<typeof McpToolSummary>;

/** OAuth of a remote server (absent for servers that never asked for a sign-in). */
export const McpAuthStatus = T.Object({
  /** Tokens are stored (in the key store) for this server. */
  signedIn: T.Boolean(),
  /** The last start failed because the server wants a sign-in (or its sign-in expired). */
  needsSignIn: T.Boolean(),
  /** The sign-in in progress or the last one that failed. */
  signIn: T.Optional(
    T.Object({
      state: T.Union([T.Literal("starting"), T.Literal("waiting"), T.Literal("failed")]),
      /** waiting: the authorization page (open it in a browser). */
      url: T.Optional(T.String()),
      /** waiting: when Sage stops waiting for the browser. */
      expiresAt: T.Optional(T.Number()),
      /** failed: why. */
      error: T.Optional(T.String()),
    }),
  ),
});
export type McpAuthStatus = Static<typeof McpAuthStatus>;

export const McpServerStatus = T.Object({
  name: T.String(),
  state: McpServerState,
  /** The transport in use (an `http` server that fell back says `sse`). */
  transport: McpTransport,
  /** stdio: the process id of the running server (or of the process that contains it). */
  pid: T.Optional(T.Number()),
  /** What was started, as a command line (stdio) or the URL (http/sse). */
  launch: T.Optional(T.String()),
  /** Something the user should know about how it runs (e.g. npx mapped to Sage's built-in Bun). */
  note: T.Optional(T.String()),
  /** Milliseconds from start to the end of `initialize` and the tool list. */
  initMs: T.Optional(T.Number()),
  serverInfo: T.Optional(T.Object({ name: T.String(), version: T.String() })),
  counts: T.Object({ tools: T.Number(), resources: T.Number(), prompts: T.Number() }),
  tools: T.Array(McpToolSummary),
  /** Tools the server listed that Sage cannot offer (invalid schema ...), with why. */
  skippedTools: T.Array(T.Object({ name: T.String(), reason: T.String() })),
  lastError: T.Optional(T.String()),
  lastErrorAt: T.Optional(T.Number()),
  /** The last lines the server wrote to stderr (stdio). */
  stderrTail: T.Array(T.String()),
  /** Restarts after a crash since the user last started it. */
  restarts: T.Number(),
  /** When the next automatic restart is due (after a crash). */
  nextRestartAt: T.Optional(T.Number()),
  startedAt: T.Optional(T.Number()),
  /** Agents that use this server. */
  usedBy: T.Array(T.String()),
  auth: T.Optional(McpAuthStatus),
});
export type McpServerStatus = Static<typeof McpServerStatus>;

export const McpServerEntry = T.Object({ config: McpServerView, status: McpServerStatus });
export type McpServerEntry = Static<typeof McpServerEntry>;

export const McpLogEntry = T.Object({
  at: T.Number(),
  /** `stderr`: a line the server wrote; `server`: a log message it sent over MCP. */
  level: T.Union([
    T.Literal("info"),
    T.Literal("warn"),
    T.Literal("error"),
    T.Literal("stderr"),
    T.Literal("server"),
  ]),
  text: T.String(),
});
export type McpLogEntry = Static<typeof McpLogEntry>;

/**
 * A server as read from another tool's JSON: McpServerInput's fields and types, without its limits (a
 * config written for another tool may have longer values or more arguments; the form checks them before
 * saving).
 */
export const McpServerAsRead = withoutLimits(McpServerInput);

/** Servers read from another tool's JSON, as the file says (the form checks them before saving). */
export const McpParseResult = T.Object({
  servers: T.Array(McpServerAsRead),
  /** Entries that could not be read, and why ("github: no command or url"). */
  problems: T.Array(T.String()),
});
export type McpParseResult = Static<typeof McpParseResult>;

export const McpProjectConfig = T.Object({
  /** Absolute path of the `.mcp.json` found, or absent when the workspace has none. */
  path: T.Optional(T.String()),
  servers: T.Array(McpServerAsRead),
  problems: T.Array(T.String()),
  /** Names of those servers that already exist in Settings. */
  existing: T.Array(T.String()),
});
export type McpProjectConfig = Static<typeof McpProjectConfig>;

export const McpResourceInfo = T.Object({
  server: T.String(),
  uri: T.String(),
  name: T.String(),
  title: T.Optional(T.String()),
  description: T.Optional(T.String()),
  mimeType: T.Optional(T.String()),
});
export type McpResourceInfo = Static<typeof McpResourceInfo>;

export const McpAgentResources = T.Object({
  resources: T.Array(McpResourceInfo),
  /** Servers that could not list resources, and why. */
  problems: T.Array(T.String()),
});
export type McpAgentResources = Static<typeof McpAgentResources>;

export const McpResourceContents = T.Object({
  contents: T.Array(
    T.Object({
      uri: T.String(),
      mimeType: T.Optional(T.String()),
      text: T.Optional(T.String()),
      /** base64 */
      blob: T.Optional(T.String()),
    }),
  ),
});
export type McpResourceContents = Static<typeof McpResourceContents>;

export const McpPromptInfo = T.Object({
  server: T.String(),
  name: T.String(),
  /** How it is typed in the composer: `/<server>:<prompt>`. */
  command: T.String(),
  title: T.Optional(T.String()),
  description: T.Optional(T.String()),
  arguments: T.Array(
    T.Object({ name: T.String(), description: T.Optional(T.String()), required: T.Boolean() }),
  ),
});
export type McpPromptInfo = Static<typeof McpPromptInfo>;

export const McpAgentPrompts = T.Object({ prompts: T.Array(McpPromptInfo), problems: T.Array(T.String()) });
export type McpAgentPrompts = Static<typeof McpAgentPrompts>;

/** A prompt's messages as text for the composer (user and assistant turns, in order). */
export const McpPromptText = T.Object({
  text: T.String(),
  messages: T.Array(
    T.Object({ role: T.Union([T.Literal("user"), T.Literal("assistant")]), text: T.String() }),
  ),
});
export type McpPromptText = Static<typeof McpPromptText>;

/** Problems of a server form, as field issues (the UI translates them; the server throws the first). */
export function mcpServerIssues(input: McpServerInput): FieldIssue[] {
  const issues = schemaIssues(McpServerInput, input);
  if (issues.length > 0) return issues;
  if (!MCP_SERVER_NAME.test(input.name)) issues.push({ field: "name", code: "invalidName" });
  if (input.transport === "stdio") {
    if (!input.command?.trim()) issues.push({ field: "command", code: "required" });
  } else if (!input.url?.trim()) {
    issues.push({ field: "url", code: "required" });
  } else if (!isHttpUrl(input.url.trim())) {
    issues.push({ field: "url", code: "invalidUrl" });
  }
  const duplicates = (list: McpNamedValue[], field: string, caseless: boolean) => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      const key = caseless ? item.name.toLowerCase() : item.name;
      if (seen.has(key)) issues.push({ field: `${field}.${index}.name`, code: "duplicate" });
      seen.add(key);
    });
  };
  duplicates(input.env, "env", false);
  duplicates(input.headers, "headers", true);
  input.env.forEach((item, index) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(item.name))
      issues.push({ field: `env.${index}.name`, code: "invalidName" });
  });
  input.headers.forEach((item, index) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(item.name))
      issues.push({ field: `headers.${index}.name`, code: "invalidName" });
  });
  return issues;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** The name the model calls for `tool` of `server` (see `qualifiedToolName` in src/mcp/tool-adapter.ts). */
export const MCP_TOOL_PREFIX = "mcp__";
