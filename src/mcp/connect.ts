/**
 * Opening one MCP session: the transport (stdio, Streamable HTTP with SSE fallback, or SSE), the SDK
 * client, `initialize` within the server's timeout — and, when any of it fails, one clear sentence
 * for the panel and the model saying what happened (command missing, exited at start with its exit
 * code, never answered, wrote non-MCP text on stdout, connection refused, 401 ...).
 *
 * Contract: `openSession` resolves with a connected client, or rejects with an `McpServerError`
 * after closing whatever it started (no process is left behind by a failed start).
 *
 * HTTP fallback (the SDK's guidance for backwards compatibility): try Streamable HTTP; when the server
 * answers the POST with 400, 404 or 405 it is an older HTTP+SSE server, so connect again with SSE.
 * 401 is not retried: the server wants a sign-in. With stored OAuth tokens the transports get an
 * `authProvider` (oauth-provider.ts) and the SDK sends and refreshes the token itself; a 401 without
 * tokens is probed for OAuth metadata (RFC 9728 / RFC 8414, as the SDK discovers it) and, when the
 * server has some, becomes an `McpServerError` with `needsSignIn` (the panel's "Sign in").
 */
import { discoverOAuthServerInfo, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { errorMessage } from "../core/errors.ts";
import type { McpServerInput, McpTransport } from "../shared/mcp.ts";
import type { McpResolvedValues } from "./config-store.ts";
import { expandVariables, type LaunchContext, planStdioLaunch } from "./launch.ts";
import { BunStdioTransport } from "./stdio-transport.ts";
import { McpServerError } from "./types.ts";

export interface OpenOptions {
  config: McpServerInput;
  values: McpResolvedValues;
  workspaceRoot: string;
  launchContext: LaunchContext;
  clientInfo: { name: string; version: string };
  /** Register handlers on the client before it connects (notifications, sampling). */
  prepare(client: Client): void;
  onStderrLine(line: string): void;
  onGarbage(line: string): void;
  onInfo(text: string): void;
  /** http/sse with stored OAuth tokens: sends, refreshes and saves them. */
  authProvider?: OAuthClientProvider;
}

export interface OpenSession {
  client: Client;
  transport: Transport;
  kind: McpTransport;
  pid?: number;
  launch: string;
  note?: string;
  /** How the process ended, once it has (stdio only). */
  exit(): { code: number | null; signal: string | null } | undefined;
}

const FALLBACK_STATUSES = new Set([400, 404, 405]);

export async function openSession(options: OpenOptions): Promise<OpenSession> {
  const { config } = options;
  const timeoutMs = config.initTimeoutSec * 1000;
  if (config.transport === "stdio") return openStdio(options, timeoutMs);
  const url = parseUrl(config, options);
  const headers = expandedHeaders(options);
  if (config.transport === "sse") {
    try {
      return await openHttp(options, "sse", url, headers, timeoutMs);
    } catch (error) {
      throw await explainAuth(options, url, error);
    }
  }
  try {
    return await openHttp(options, "http", url, headers, timeoutMs);
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === undefined || !FALLBACK_STATUSES.has(status)) throw await explainAuth(options, url, error);
    options.onInfo(`Streamable HTTP answered ${status}: trying the older SSE transport`);
    try {
      return await openHttp(options, "sse", url, headers, timeoutMs);
    } catch (sseError) {
      throw new McpServerError(
        config.name,
        `${url.href} answered neither as a Streamable HTTP server (HTTP ${status}) nor as an SSE server (${errorMessage(explainHttp(config, url, sseError))}).`,
      );
    }
  }
}

async function openStdio(options: OpenOptions, timeoutMs: number): Promise<OpenSession> {
  const { config } = options;
  let plan: ReturnType<typeof planStdioLaunch>;
  try {
    plan = planStdioLaunch(config, options.values.env, options.workspaceRoot, options.launchContext);
  } catch (error) {
    throw new McpServerError(config.name, errorMessage(error));
  }
  const garbage: string[] = [];
  const stderr: string[] = [];
  const transport = new BunStdioTransport(plan, {
    onStderrLine(line) {
      stderr.push(line);
      if (stderr.length > 20) stderr.shift();
      options.onStderrLine(line);
    },
    onGarbage(line) {
      if (garbage.length < 3) garbage.push(line.length > 200 ? `${line.slice(0, 200)}…` : line);
      options.onGarbage(line);
    },
  });
  options.onInfo(`starting: ${plan.display} (in ${plan.cwd}; ${plan.containment})`);
  if (plan.note) options.onInfo(plan.note);
  const client = newClient(options);
  try {
    await withDeadline(client.connect(transport, { timeout: timeoutMs }), timeoutMs);
  } catch (error) {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
    const exit = transport.exit;
    const lastLine = stderr.filter((line) => line.trim()).at(-1);
    const output = lastLine ? ` Last line on stderr: "${lastLine.slice(0, 300)}".` : "";
    const wrote = garbage.length
      ? ` It wrote text that is not MCP on stdout (a server must write only MCP messages there): "${garbage[0]}".`
      : "";
    if (exit && !isTimeout(error)) {
      throw new McpServerError(
        config.name,
        `The server exited during start-up (${describeExit(exit)}) before answering "initialize".${output}${wrote}`,
      );
    }
    if (isTimeout(error)) {
      const downloads = /^(npx|bunx|uvx|pipx)$/.test(config.command ?? "")
        ? " A first start that downloads the package can take longer: raise the start-up timeout if so."
        : "";
      throw new McpServerError(
        config.name,
        `The server did not answer "initialize" within ${config.initTimeoutSec} s and was stopped.${wrote}${output}${downloads}`,
      );
    }
    throw new McpServerError(
      config.name,
      `Could not start the server: ${errorMessage(error)}.${output}${wrote}`,
    );
  }
  return {
    client,
    transport,
    kind: "stdio",
    pid: transport.pid,
    launch: plan.display,
    note: plan.note,
    exit: () => transport.exit,
  };
}

async function openHttp(
  options: OpenOptions,
  kind: "http" | "sse",
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<OpenSession> {
  const requestInit: RequestInit = { headers };
  const { authProvider } = options;
  const transport: Transport =
    kind === "http"
      ? new StreamableHTTPClientTransport(url, { requestInit, authProvider })
      : new SSEClientTransport(url, {
          requestInit,
          authProvider,
          eventSourceInit: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...headers, ...init?.headers } }),
          },
        });
  const client = newClient(options);
  try {
    await withDeadline(client.connect(transport, { timeout: timeoutMs }), timeoutMs);
  } catch (error) {
    await client.close().catch(() => {});
    if (isTimeout(error))
      throw new McpServerError(
        options.config.name,
        `${url.href} did not answer "initialize" within ${options.config.initTimeoutSec} s.`,
      );
    throw error;
  }
  return { client, transport, kind, launch: url.href, exit: () => undefined };
}

function newClient(options: OpenOptions): Client {
  // Sampling is advertised: requests are answered only during a tool call, after the user allowed them.
  const client = new Client(options.clientInfo, { capabilities: { sampling: {} } });
  options.prepare(client);
  return client;
}

function parseUrl(config: McpServerInput, options: OpenOptions): URL {
  const text = expandVariables(config.url ?? "", { ...options.launchContext.userEnv, ...options.values.env });
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return url;
  } catch {
    throw new McpServerError(config.name, `"${config.url}" is not an http:// or https:// address.`);
  }
}

function expandedHeaders(options: OpenOptions): Record<string, string> {
  const lookup = { ...options.launchContext.userEnv };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.values.headers))
    headers[name] = expandVariables(value, lookup);
  return headers;
}

/** Seconds the OAuth metadata probe after a 401 may take. */
const OAUTH_PROBE_MS = 5000;

/**
 * A 401 from a server that publishes OAuth metadata is a sign-in to offer (`needsSignIn`); anything
 * else is explained by `explainHttp`.
 */
async function explainAuth(options: OpenOptions, url: URL, error: unknown): Promise<McpServerError> {
  const { config } = options;
  if (error instanceof McpServerError) return error;
  const status = httpStatusOf(error);
  const unauthorized = status === 401 || (error instanceof Error && error.name === "UnauthorizedError");
  if (!unauthorized) return explainHttp(config, url, error);
  if (options.authProvider)
    return new McpServerError(
      config.name,
      `${url.href} refused the stored sign-in (HTTP 401) and it could not be refreshed: sign in again.`,
      { needsSignIn: true },
    );
  const info = await discoverOAuthServerInfo(url, {
    fetchFn: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(OAUTH_PROBE_MS) }),
  }).catch(() => undefined);
  if (!info?.authorizationServerMetadata) return explainHttp(config, url, error);
  return new McpServerError(
    config.name,
    `${url.href} wants you to sign in (OAuth, at ${info.authorizationServerUrl}): use "Sign in" for this server in Settings → MCP servers.`,
    { needsSignIn: true },
  );
}

/** The HTTP status behind an SDK transport error, when there is one. */
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number" && code >= 100 && code < 600) return code;
  const match = /\b(?:HTTP|status)\s*(\d{3})\b|Non-200 status code \((\d{3})\)/i.exec(errorMessage(error));
  const found = match?.[1] ?? match?.[2];
  return found ? Number(found) : undefined;
}

function explainHttp(config: McpServerInput, url: URL, error: unknown): McpServerError {
  if (error instanceof Error && error.name === "McpServerError") return error as McpServerError;
  const status = httpStatusOf(error);
  if (status === 401 || status === 403 || (error instanceof Error && error.name === "UnauthorizedError")) {
    return new McpServerError(
      config.name,
      `${url.href} refused Sage (HTTP ${status ?? 401}): it wants authorization and publishes no OAuth metadata Sage could sign in with; if the server accepts a token, add it as a header (e.g. "Authorization: Bearer …", kept in the key store).`,
    );
  }
  const causeCode = networkCode(error);
  if (causeCode === "ECONNREFUSED" || causeCode === "ConnectionRefused")
    return new McpServerError(
      config.name,
      `Could not connect to ${url.href}: connection refused (is the server running?).`,
    );
  if (causeCode === "ENOTFOUND")
    return new McpServerError(config.name, `Could not find the host of ${url.href}.`);
  if (status !== undefined)
    return new McpServerError(config.name, `${url.href} answered HTTP ${status}: ${errorMessage(error)}`);
  return new McpServerError(config.name, `Could not connect to ${url.href}: ${errorMessage(error)}`);
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const text = errorMessage(current);
    if (/ECONNREFUSED|Unable to connect|connection refused/i.test(text)) return "ECONNREFUSED";
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  if (error instanceof DeadlineError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === -32001 || /timed out|timeout/i.test(errorMessage(error));
}

export function describeExit(exit: { code: number | null; signal: string | null }): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}

class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

/** The SDK's own timeout covers the request; this covers the time before it is sent (spawn, fetch). */
async function withDeadline<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError("timed out")), timeoutMs + 250);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
