/**
 * The app log: one rotating file in the logs dir (sage.log, rolled to sage.1.log ... at 5 MB, three
 * kept), and the console when --verbose.
 *
 * Contract: secrets never reach the log. Every known secret (the access token, API keys) is registered
 * with `addSecret` and replaced by "[redacted]"; token-looking query parameters, bearer headers and
 * common key formats are masked by pattern as a second line of defence.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 3;

const PATTERNS: [RegExp, string][] = [
  [/([?&](?:token|key|api_key|apikey)=)[^&\s"']+/gi, "$1[redacted]"],
  [/(authorization:\s*(?:bearer|basic)\s+)[^\s"']+/gi, "$1[redacted]"],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1[redacted]"],
  [/\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,})\b/g, "[redacted]"],
  [/(sage_token=)[^;\s"']+/gi, "$1[redacted]"],
];

export class Logger {
  private readonly secrets = new Set<string>();
  private file: string | undefined;
  private writes = 0;

  constructor(
    private readonly options: { level: LogLevel; console: boolean; scope?: string },
    private readonly shared?: { secrets: Set<string> },
  ) {}

  /** Start writing to `<dir>/sage.log`. */
  attachFile(dir: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, "sage.log");
  }

  get filePath(): string | undefined {
    return this.file;
  }

  addSecret(value: string | undefined | null): void {
    if (value && value.length >= 6) (this.shared?.secrets ?? this.secrets).add(value);
  }

  /** A logger writing to the same file with a different scope label, sharing the secrets. */
  child(scope: string): Logger {
    const child = new Logger({ ...this.options, scope }, { secrets: this.shared?.secrets ?? this.secrets });
    child.file = this.file;
    return child;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.shared?.secrets ?? this.secrets) out = out.split(secret).join("[redacted]");
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  debug(message: string, data?: unknown): void {
    this.write("debug", message, data);
  }
  info(message: string, data?: unknown): void {
    this.write("info", message, data);
  }
  warn(message: string, data?: unknown): void {
    this.write("warn", message, data);
  }
  error(message: string, data?: unknown): void {
    this.write("error", message, data);
  }

  private write(level: LogLevel, message: string, data?: unknown): void {
    const rank = LEVELS[level];
    const toFile = this.file !== undefined && (rank >= LEVELS.info || this.options.level === "debug");
    const toConsole = this.options.console && rank >= LEVELS[this.options.level];
    if (!toFile && !toConsole) return;
    const scope = this.options.scope ? ` [${this.options.scope}]` : "";
    let line = `${new Date().toISOString()} ${level.toUpperCase()}${scope} ${message}`;
    if (data !== undefined) line += ` ${formatData(data)}`;
    line = this.redact(line);
    if (toConsole) (rank >= LEVELS.warn ? console.error : console.log)(line);
    if (toFile) this.append(`${line}\n`);
  }

  private append(line: string): void {
    const file = this.file as string;
    try {
      if (++this.writes % 200 === 1) this.rotateIfNeeded(file);
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // Logging must never take the app down (disk full, folder removed).
    }
  }

  private rotateIfNeeded(file: string): void {
    if (!existsSync(file) || statSync(file).size < MAX_BYTES) return;
    for (let i = KEEP - 1; i >= 1; i--) {
      const from = file.replace(/\.log$/, `.${i}.log`);
      if (existsSync(from)) renameSync(from, file.replace(/\.log$/, `.${i + 1}.log`));
    }
    renameSync(file, file.replace(/\.log$/, ".1.log"));
  }
}

function formatData(data: unknown): string {
  if (data instanceof Error) return `${data.name}: ${data.message}${data.stack ? `\n${data.stack}` : ""}`;
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

/** A logger that writes nowhere (tests and the `--version` path). */
export const silentLogger = new Logger({ level: "error", console: false });
