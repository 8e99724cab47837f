/**
 * The compiled executable (`dist/sage --serve`) as the target of the attack tests (hostile paths and
 * bodies): its own HOME (with a Downloads folder) and an empty PATH, so nothing it is tricked into
 * "opening" ever reaches a real opener (xdg-open, gio).
 *
 * `call()` is fetch with the token and a deadline: a request that would hang (a FIFO) fails the test
 * instead of the suite. `raw()` speaks HTTP/1.1 over a socket for headers fetch will not send.
 */
import { mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, spawnApp } from "../support/app-process.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";
import { type HttpApi, httpApi } from "../support/http-api.ts";

export interface HostileServer {
  process: AppProcess;
  pid: number;
  base: string;
  port: number;
  token: string;
  /** The server's HOME (real path) and its Downloads folder. */
  home: string;
  downloads: string;
  dataDir: string;
  /** fetch with the token, failing after `timeoutMs` (default 5 s); `json` as in test/support/http-api.ts. */
  call: HttpApi["http"];
  /** One raw HTTP/1.1 request; resolves with the status line's code and the body text. */
  raw(text: string, timeoutMs?: number): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export async function startHostileServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<HostileServer> {
  const executable = await ensureExecutable();
  const home = realpathSync(mkdtempSync(join(tmpdir(), "sage-hostile-home-")));
  const downloads = join(home, "Downloads");
  mkdirSync(downloads);
  const emptyPath = join(home, "no-programs");
  mkdirSync(emptyPath);
  const process = spawnApp({
    executable,
    args: ["--serve", "--no-open", "--port", "0"],
    dataDir: options.dataDir,
    env: { HOME: home, PATH: emptyPath, ...options.env },
  });
  const lock = await process.waitForLock(30_000);
  await process.waitForOutput(/Sage is running/, 30_000);
  const base = `http://127.0.0.1:${lock.port}`;
  return {
    process,
    pid: process.child.pid,
    base,
    port: lock.port,
    token: lock.token,
    home,
    downloads,
    dataDir: process.dataDir,
    call: httpApi(base, lock.token, { timeoutMs: 5000 }).http,
    raw(text, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const socket = connect(lock.port, "127.0.0.1", () => socket.write(text));
        let received = "";
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(text.slice(0, 80))}`));
        }, timeoutMs);
        socket.on("data", (chunk) => {
          received += chunk.toString("latin1");
          const end = received.indexOf("\r\n\r\n");
          const length = /content-length:\s*(\d+)/i.exec(received)?.[1];
          if (end !== -1 && length !== undefined && received.length >= end + 4 + Number(length)) socket.end();
        });
        socket.on("close", () => {
          clearTimeout(timer);
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
          resolve({ status, body: received.slice(received.indexOf("\r\n\r\n") + 4) });
        });
        socket.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    },
    async stop() {
      await process.stop();
    },
  };
}
