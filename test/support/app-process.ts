/**
 * Test helper: the compiled Sage executable as a child process with its own temp data dir (`--data-dir`),
 * or, with `freshHome`, on the default XDG folders under a new empty HOME, as on a brand-new account.
 *
 * Output is collected as it arrives (`output()`), `waitForOutput` waits for a line, `lock()` reads
 * the data dir's sage.lock (pid, port, token of the running server), and `api()` calls that server with
 * the token. `stop()` ends the process if a test left it running and removes the temp folder it made.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Paths, resolvePaths } from "../../src/core/paths.ts";
import type { LockRecord } from "../../src/shell/single-instance.ts";

export interface AppProcess {
  child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** Where the database and the lock are (with `freshHome`: HOME/.local/share/sage). */
  dataDir: string;
  /** The folders the app uses, as it resolves them. */
  paths: Paths;
  /** The temporary HOME, with `freshHome`. */
  home?: string;
  /** stdout and stderr so far, interleaved in arrival order. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The lock record once it names a port (the server is listening). */
  waitForLock(
    timeoutMs?: number,
    previousPort?: number,
  ): Promise<LockRecord & { port: number; token: string }>;
  api(path: string, init?: RequestInit): Promise<Response>;
  logText(): string;
  /** Resolves with the exit code; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface SpawnAppOptions {
  executable: string;
  args?: string[];
  /** Replaces these variables in the environment; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** Reuse a data dir (second launches); otherwise a fresh temp dir. */
  dataDir?: string;
  /**
   * Start as on a brand-new account: HOME is a new empty temp folder, no XDG_* and no SAGE_HOME in the
   * environment, no `--data-dir`. Sage must create its default folders itself. Excludes `dataDir`.
   */
  freshHome?: boolean;
  /**
   * With `freshHome`: the folder the new HOME is made in (default: the temp dir). The shell sandbox
   * hides all of /tmp, so a HOME there hides Sage's folders from it trivially; `/var/tmp` does not.
   */
  homeBase?: string;
}

/** Variables that move Sage's folders away from their defaults under HOME (and every other XDG_*). */
const isFolderVariable = (key: string) => key === "SAGE_HOME" || key.startsWith("XDG_");

export function spawnApp(options: SpawnAppOptions): AppProcess {
  if (options.freshHome && options.dataDir)
    throw new Error("spawnApp: freshHome and dataDir exclude each other");
  const env: Record<string, string | undefined> = { ...process.env };
  const home = options.freshHome ? mkdtempSync(join(options.homeBase ?? tmpdir(), "sage-home-")) : undefined;
  if (home) {
    env.HOME = home;
    for (const key of Object.keys(env)) if (isFolderVariable(key)) delete env[key];
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const paths = home
    ? resolvePaths(env)
    : resolvePaths({}, options.dataDir ?? mkdtempSync(join(tmpdir(), "sage-app-")));
  const dataDir = paths.data;
  const folderArgs = home ? [] : ["--data-dir", dataDir];
  const child = Bun.spawn([options.executable, ...folderArgs, ...(options.args ?? [])], {
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const wakers = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      for (const wake of wakers) wake();
    }
  };
  void pump(child.stdout);
  void pump(child.stderr);

  const readLock = (): LockRecord | undefined => {
    try {
      return JSON.parse(readFileSync(paths.lockFile, "utf8")) as LockRecord;
    } catch {
      return undefined;
    }
  };

  const app: AppProcess = {
    child,
    dataDir,
    paths,
    home,
    output: () => text,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null) {
            done();
            reject(new Error(`exited (${child.exitCode}) before printing ${pattern}; output:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          wakers.delete(check);
          clearInterval(poll);
        };
        const poll = setInterval(check, 100); // notices an exit even without new output
        wakers.add(check);
        check();
      });
    },
    async waitForLock(timeoutMs = 15_000, previousPort?: number) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const record = readLock();
        if (record?.port && record.token && record.port !== previousPort) {
          return record as LockRecord & { port: number; token: string };
        }
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before listening:\n${text}`);
        await Bun.sleep(25);
      }
      throw new Error(`no server port in sage.lock within ${timeoutMs} ms; output:\n${text}`);
    },
    async api(path, init = {}) {
      const record = readLock();
      if (!record?.port || !record.token) throw new Error("sage.lock names no running server");
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${record.token}`);
      return fetch(`http://127.0.0.1:${record.port}${path}`, { ...init, headers });
    },
    logText() {
      const file = join(paths.logs, "sage.log");
      return existsSync(file) ? readFileSync(file, "utf8") : "";
    },
    async exited(timeoutMs = 15_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running after ${timeoutMs} ms; output:\n${text}`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([child.exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const code = await Promise.race([child.exited, Bun.sleep(5000).then(() => undefined)]);
        if (code === undefined) {
          child.kill("SIGKILL");
          await child.exited;
        }
      }
      if (home) rmSync(home, { recursive: true, force: true });
      else if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}

/** Poll `probe` until it returns a value (not undefined), or fail after `timeoutMs` naming `what`. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await Bun.sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ""}`);
}

/** Sage's default folders under HOME, relative to it. */
export const DEFAULT_FOLDERS = [
  ".local/share/sage",
  ".config/sage",
  ".local/state/sage",
  ".local/state/sage/logs",
];

/**
 * The permission bits ("700") of each of Sage's default folders under `home`, or "missing". A brand-new
 * account must end with `{ ".local/share/sage": "700", ... }`.
 */
export function defaultFolderModes(home: string): Record<string, string> {
  return Object.fromEntries(
    DEFAULT_FOLDERS.map((dir) => {
      const path = join(home, dir);
      return [dir, existsSync(path) ? (statSync(path).mode & 0o777).toString(8) : "missing"];
    }),
  );
}

/** What `defaultFolderModes` gives once Sage made its folders. */
export const PRIVATE_DEFAULT_FOLDERS = Object.fromEntries(DEFAULT_FOLDERS.map((dir) => [dir, "700"]));
