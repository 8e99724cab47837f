/**
 * The benchmarks' ways to drive a compiled Sage as a person would: start it in serve mode and read the
 * URL it prints, and ask a running one (found through its data folder's lock) to quit the way the
 * window's Quit does. Used by long-chat.ts, first-screen-ab.ts and window.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

export interface ServedSage {
  child: Subprocess<"ignore", "pipe", "inherit">;
  /** The printed URL's origin (http://127.0.0.1:PORT). */
  base: string;
  token: string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** `executable --serve --port 0 --no-open --data-dir dataDir`, resolved once it printed its URL. */
export async function startServe(executable: string, dataDir: string): Promise<ServedSage> {
  const child = Bun.spawn([executable, "--serve", "--port", "0", "--no-open", "--data-dir", dataDir], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let out = "";
  while (!/token=\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`sage exited: ${out}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = new URL((/(http:\/\/\S+\?token=\S+)/.exec(out) as RegExpExecArray)[1] as string);
  return {
    child,
    base: url.origin,
    token: url.searchParams.get("token") ?? "",
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
    },
  };
}

/** Ask the Sage running on `dataDir` to quit (POST /api/app/quit with the lock's port and token). */
export async function quitSage(dataDir: string): Promise<void> {
  const lock = JSON.parse(readFileSync(join(dataDir, "sage.lock"), "utf8")) as {
    port: number;
    token: string;
  };
  await fetch(`http://127.0.0.1:${lock.port}/api/app/quit`, {
    method: "POST",
    headers: { authorization: `Bearer ${lock.token}` },
  });
}
