/**
 * Reading the MCP configurations users already have, into `McpServerInput`s (nothing is saved here):
 *
 * - Claude Desktop: `{"mcpServers": {"name": {"command", "args", "env"}}}`
 * - Claude Code's `.mcp.json`: the same, plus `type` ("stdio" | "http" | "sse"), `url`, `headers`
 * - VS Code's `{"servers": {...}}`, a bare `{"name": {...}}` map, or one server object with a `name`.
 *
 * Which values are secret is guessed (the user can change it before saving): header values other than
 * plain content negotiation, and variables whose name says key/token/secret/password/auth/credential
 * or whose value looks like a credential. Entries that cannot be read are reported in `problems`, the
 * rest are still returned.
 */
import {
  MCP_SERVER_NAME,
  type McpNamedValue,
  type McpParseResult,
  type McpServerInput,
  type McpTransport,
} from "../shared/mcp.ts";

/** Header names whose values are not credentials. */
const PLAIN_HEADERS = new Set([
  "accept",
  "content-type",
  "user-agent",
  "accept-language",
  "mcp-protocol-version",
]);
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|AUTH|CREDENTIAL|COOKIE|SESSION|PAT|PRIVATE)/i;

/** Whether a variable looks secret: by its name, or a long random-looking value. */
export function looksSecret(name: string, value: string | undefined): boolean {
  if (SECRET_NAME.test(name)) return true;
  if (!value) return false;
  // Long runs without spaces or path separators, mixing letters and digits (tokens, keys).
  return value.length >= 24 && !/[\s/\\]/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value);
}

/** Parse the pasted or imported text. Throws a plain `Error` only when the text is not JSON at all. */
export function parseMcpConfigText(text: string): McpParseResult {
  let data: unknown;
  try {
    data = JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new Error(`This is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseMcpConfig(data);
}

export function parseMcpConfig(data: unknown): McpParseResult {
  const problems: string[] = [];
  if (!isRecord(data)) return { servers: [], problems: ['Expected a JSON object with "mcpServers".'] };
  let map: Record<string, unknown>;
  if (isRecord(data.mcpServers)) map = data.mcpServers;
  else if (isRecord(data.servers)) map = data.servers;
  else if (typeof data.name === "string" && (data.command !== undefined || data.url !== undefined))
    map = { [data.name]: data };
  else map = data;
  const servers: McpServerInput[] = [];
  const used = new Set<string>();
  for (const [rawName, entry] of Object.entries(map)) {
    const name = uniqueName(safeName(rawName), used);
    if (!isRecord(entry)) {
      problems.push(`${rawName}: not a server definition (expected an object with "command" or "url").`);
      continue;
    }
    const result = toInput(name, entry);
    if (typeof result === "string") problems.push(`${rawName}: ${result}`);
    else {
      used.add(name);
      servers.push(result);
    }
  }
  if (servers.length === 0 && problems.length === 0) problems.push("No servers were found in this JSON.");
  return { servers, problems };
}

function toInput(name: string, entry: Record<string, unknown>): McpServerInput | string {
  const declared = typeof entry.type === "string" ? entry.type.toLowerCase() : undefined;
  const url = typeof entry.url === "string" ? entry.url.trim() : undefined;
  const command = typeof entry.command === "string" ? entry.command.trim() : undefined;
  let transport: McpTransport;
  if (declared === "stdio" || (!declared && command)) transport = "stdio";
  else if (declared === "sse") transport = "sse";
  else if (
    declared === "http" ||
    declared === "streamable-http" ||
    declared === "streamablehttp" ||
    (!declared && url)
  )
    transport = "http";
  else if (declared) return `unknown type "${entry.type}" (expected stdio, http or sse).`;
  else return `no "command" or "url".`;
  if (transport === "stdio" && !command) return `type stdio needs a "command".`;
  if (transport !== "stdio" && !url) return `type ${transport} needs a "url".`;
  const args = Array.isArray(entry.args) ? entry.args.filter((arg) => typeof arg === "string") : [];
  if (Array.isArray(entry.args) && args.length !== entry.args.length)
    return `"args" must be a list of strings.`;
  const env = namedValues(entry.env, (key, value) => looksSecret(key, value));
  if (typeof env === "string") return `"env" ${env}`;
  const headers = namedValues(entry.headers, (key, value) =>
    PLAIN_HEADERS.has(key.toLowerCase()) ? false : value !== undefined,
  );
  if (typeof headers === "string") return `"headers" ${headers}`;
  const input: McpServerInput = {
    name,
    transport,
    args,
    env,
    headers,
    enabled: entry.disabled !== true,
    startup: "lazy",
    initTimeoutSec: 30,
    callTimeoutSec: 300,
    trustReadOnly: false,
  };
  if (transport === "stdio") input.command = command;
  else input.url = url;
  if (typeof entry.cwd === "string" && entry.cwd.trim()) input.cwd = entry.cwd.trim();
  if (typeof entry.timeout === "number" && entry.timeout > 0) {
    // Claude Code and others give milliseconds.
    input.initTimeoutSec = Math.min(600, Math.max(1, Math.round(entry.timeout / 1000)));
  }
  return input;
}

function namedValues(
  value: unknown,
  secret: (name: string, value: string | undefined) => boolean,
): McpNamedValue[] | string {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) return "must be an object of names to strings.";
  const list: McpNamedValue[] = [];
  for (const [name, raw] of Object.entries(value)) {
    if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean")
      return `value of ${name} must be a string.`;
    const text = String(raw);
    list.push({ name, value: text, secret: secret(name, text) });
  }
  return list;
}

/** A name that fits `MCP_SERVER_NAME`: other characters become `-`, at most 40 characters. */
export function safeName(raw: string): string {
  if (MCP_SERVER_NAME.test(raw)) return raw;
  const cleaned = raw
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return cleaned || "server";
}

function uniqueName(name: string, used: Set<string>): string {
  if (!used.has(name)) return name;
  for (let index = 2; ; index++) {
    const candidate = `${name.slice(0, 36)}-${index}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** JSON with `//` and `/* *\/` comments (VS Code and Claude Code files sometimes have them). */
function stripJsonComments(text: string): string {
  let out = "";
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      out += char;
      if (char === "\\") out += text[++index] ?? "";
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
    } else if (char === "/" && text[index + 1] === "/") {
      while (index < text.length && text[index] !== "\n") index++;
      out += "\n";
    } else if (char === "/" && text[index + 1] === "*") {
      index += 2;
      while (index < text.length && !(text[index] === "*" && text[index + 1] === "/")) index++;
      index++;
    } else out += char;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
