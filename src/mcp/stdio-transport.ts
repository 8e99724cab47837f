/**
 * The SDK's `Transport` over a Bun subprocess (newline-delimited JSON-RPC on stdin/stdout), written
 * here instead of the SDK's own StdioClientTransport so Sage controls what the panel needs: the exact
 * argv and environment (launch.ts), the PID, a process group of its own, every stderr line, stdout
 * lines that are not MCP messages, and how the process ended.
 *
 * Contract:
 * - `start()` rejects when the process cannot be spawned at all; otherwise it resolves at once.
 * - `onmessage` gets each valid JSON-RPC message; any other non-empty stdout line goes to `onGarbage`
 *   (the connection reports the first ones when the server never answers).
 * - `onclose` fires exactly once, after the process has exited (whoever ended it); `exit` then says how.
 * - `close()` ends stdin, sends SIGTERM to the process group, SIGKILL after `stopGraceMs`, and resolves
 *   when the process is gone.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import type { StdioLaunch } from "./types.ts";

/** A line longer than this is not a message we will parse (and not kept whole). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const DRAIN_AFTER_EXIT_MS = 500;

export interface StdioExit {
  code: number | null;
  signal: string | null;
}

export interface StdioHooks {
  onStderrLine?(line: string): void;
  onGarbage?(line: string): void;
}

export class BunStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  #process: Bun.Subprocess<"pipe", "pipe", "pipe"> | undefined;
  #exit: StdioExit | undefined;
  #closed = false;
  #exited: Promise<void> | undefined;
  readonly #queue: JSONRPCMessage[] = [];
  #draining = false;
  #drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly launch: StdioLaunch,
    private readonly hooks: StdioHooks = {},
    private readonly stopGraceMs = 2000,
  ) {}

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** How the process ended (set before `onclose`). */
  get exit(): StdioExit | undefined {
    return this.#exit;
  }

  async start(): Promise<void> {
    if (this.#process) throw new Error("BunStdioTransport already started");
    const child = Bun.spawn(this.launch.argv, {
      cwd: this.launch.cwd,
      env: this.launch.env,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      // A process group of its own: stopping kills the group (npx -> node -> server ...).
      detached: true,
    });
    this.#process = child;
    const stdoutDone = this.#readLines(child.stdout, (line) => this.#onStdoutLine(line));
    void this.#readLines(child.stderr, (line) => this.hooks.onStderrLine?.(line));
    this.#exited = child.exited
      // Messages written just before the exit are still in the pipe: read them first (bounded, since a
      // grandchild may hold stdout open).
      .then(() => Promise.race([stdoutDone, Bun.sleep(DRAIN_AFTER_EXIT_MS)]))
      .then(() => this.#drained)
      .then(() => {
        const signal = child.signalCode;
        this.#exit = { code: child.exitCode, signal: signal === null ? null : String(signal) };
        this.#finish();
      });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const child = this.#process;
    if (!child || this.#exit) throw new Error("The server process is not running.");
    child.stdin.write(`${JSON.stringify(message)}\n`);
    await child.stdin.flush();
  }

  async close(): Promise<void> {
    const child = this.#process;
    if (!child) return this.#finish();
    if (!this.#exit) {
      try {
        child.stdin.end();
      } catch {
        // already closed
      }
      signalGroup(child.pid, "SIGTERM");
      const killTimer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), this.stopGraceMs);
      await this.#exited;
      clearTimeout(killTimer);
    }
    // Whatever the server left in its group (a grandchild that ignored SIGTERM) goes too.
    signalGroup(child.pid, "SIGKILL");
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }

  #onStdoutLine(line: string): void {
    const text = line.trim();
    if (!text) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.hooks.onGarbage?.(text);
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.hooks.onGarbage?.(text);
      return;
    }
    this.#queue.push(message.data);
    if (this.#draining) return;
    this.#draining = true;
    this.#drained = this.#drain();
  }

  /**
   * Deliver messages in order. The SDK runs notification handlers a microtask later but response
   * handlers at once, so a response right behind a progress notification would drop that progress
   * ("unknown token"): after a notification, the next message waits one turn of the event loop.
   */
  async #drain(): Promise<void> {
    for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
      this.onmessage?.(next);
      if ("method" in next && !("id" in next)) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Cleared in the same synchronous step that found the queue empty: a message pushed later starts
    // a new drain.
    this.#draining = false;
  }

  async #readLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
    const decoder = new TextDecoder();
    let pending = "";
    try {
      for await (const chunk of stream) {
        pending += decoder.decode(chunk, { stream: true });
        let newline = pending.indexOf("\n");
        while (newline >= 0) {
          onLine(pending.slice(0, newline).replace(/\r$/, ""));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf("\n");
        }
        if (pending.length > MAX_LINE_BYTES) {
          onLine(`${pending.slice(0, 200)}… [a line of over ${MAX_LINE_BYTES} bytes was dropped]`);
          pending = "";
        }
      }
      pending += decoder.decode();
      if (pending.trim()) onLine(pending);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}
