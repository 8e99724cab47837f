/**
 * One server's log for the health panel: the last 500 entries (start-up, stderr lines, MCP log messages,
 * warnings, errors) and the last 30 stderr lines; info, warnings and errors also go to Sage's log file
 * (where registered secrets are redacted). Lines are cut at 2000 characters.
 */
import type { Logger } from "../core/logger.ts";
import type { McpLogEntry } from "../shared/mcp.ts";

const LOG_LIMIT = 500;
const STDERR_TAIL = 30;
const LINE_LIMIT = 2000;

export class ServerLog {
  readonly #entries: McpLogEntry[] = [];
  readonly #stderr: string[] = [];

  constructor(
    private readonly server: string,
    private readonly logger: Logger,
  ) {}

  entries(): McpLogEntry[] {
    return [...this.#entries];
  }

  stderrTail(): string[] {
    return [...this.#stderr];
  }

  /** The last non-empty stderr line, for error messages. */
  lastStderrLine(): string | undefined {
    return this.#stderr.filter((line) => line.trim()).at(-1);
  }

  stderr(line: string): void {
    this.#stderr.push(line.slice(0, LINE_LIMIT));
    if (this.#stderr.length > STDERR_TAIL) this.#stderr.shift();
    this.push("stderr", line);
  }

  info(text: string): void {
    this.push("info", text);
    this.logger.info(`MCP server ${this.server}: ${text}`);
  }

  warn(text: string): void {
    this.push("warn", text);
    this.logger.warn(`MCP server ${this.server}: ${text}`);
  }

  error(text: string): void {
    this.push("error", text);
    this.logger.warn(`MCP server ${this.server}: ${text}`);
  }

  push(level: McpLogEntry["level"], text: string): void {
    this.#entries.push({ at: Date.now(), level, text: text.slice(0, LINE_LIMIT) });
    if (this.#entries.length > LOG_LIMIT) this.#entries.splice(0, this.#entries.length - LOG_LIMIT);
  }
}
