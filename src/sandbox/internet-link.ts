/**
 * Connecting one sandboxed command to the internet through slirp4netns (the "internet" network mode;
 * the design is in src/sandbox/network.ts).
 *
 * Contract of `linkInternet(bwrapFds, slirpPath)`, called right after bwrap was spawned with
 * `bubblewrapNetworkArgs("internet")` and pipes on `internetFds`:
 * - it feeds the sandbox's resolv.conf, reads the sandboxed process id, waits until bwrap has set up
 *   the namespace's loopback (slirp4netns brings `lo` up too; racing bwrap there fails the sandbox),
 *   starts slirp4netns on it and waits (at most `setupTimeoutMs` in all) until the interface is
 *   configured;
 * - it always releases bwrap's block fd at the end, so the command runs in every case: with the
 *   internet when `ok`, else without any network (the namespace is private either way) — the caller
 *   tells the user why (`error`);
 * - it closes every descriptor it was given, exactly once (Bun closes extra pipes neither at end of
 *   file nor at exit);
 * - `close()` ends slirp4netns (call it once the command has exited). Should Sage die first,
 *   slirp4netns ends by itself: its exit fd closes with Sage.
 */
import { closeSync, readFileSync, writeSync } from "node:fs";
import { internetFds, sandboxResolvConf, slirpCommand } from "./network.ts";

/** How long the network setup may take before the command runs without it. */
export const setupTimeoutMs = 5000;

export interface InternetLink {
  ok: boolean;
  /** Why the command has no network, when not `ok`. */
  error?: string;
  close(): Promise<void>;
}

/** The parent's ends of bwrap's extra descriptors, from `Bun.spawn(..., { stdio })`. */
export interface BubblewrapFds {
  info: number;
  block: number;
  resolvConf: number;
}

/**
 * One file descriptor this module owns, closed at most once. Closing is tied to the handle, never to
 * the number: once closed, the number may be reused by the next open (slirp4netns' pipes, say), and
 * closing it again would cut whatever now holds it.
 */
function owned(fd: number): { fd: number; close(): void } {
  let open = true;
  return {
    fd,
    close() {
      if (!open) return;
      open = false;
      try {
        closeSync(fd);
      } catch {
        // Nothing left to release.
      }
    },
  };
}

function timeout(ms: number, message: string): { promise: Promise<never>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  promise.catch(() => {});
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Read `fd` until `done(text)` says the text is complete, or end of file. Leaves `fd` open. */
async function readUntil(fd: number, done: (text: string) => boolean): Promise<string> {
  const reader = Bun.file(fd).stream().getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (!done(text)) {
      const next = await reader.read();
      if (next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return text;
}

/**
 * Resolves once the loopback of `pid`'s network namespace has its address (bwrap's own setup is
 * done), or after `limitMs` / when the namespace cannot be read — then slirp4netns starts anyway.
 */
async function loopbackReady(pid: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    try {
      if (readFileSync(`/proc/${pid}/net/fib_trie`, "utf8").includes("127.0.0.1")) return;
    } catch {
      return;
    }
    await Bun.sleep(2);
  }
}

function childPid(infoText: string): number | undefined {
  try {
    const pid = (JSON.parse(infoText) as { "child-pid"?: unknown })["child-pid"];
    return typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function extraFd(child: Bun.Subprocess, index: number): number {
  const fd = (child.stdio as unknown[])[index];
  if (typeof fd !== "number") throw new Error(`the process has no pipe on fd ${index}`);
  return fd;
}

/** The parent's ends of bwrap's extra pipes (`stdio` index = fd number inside bwrap). */
export function bubblewrapFds(child: Bun.Subprocess): BubblewrapFds {
  return {
    info: extraFd(child, internetFds.info),
    block: extraFd(child, internetFds.block),
    resolvConf: extraFd(child, internetFds.resolvConf),
  };
}

export async function linkInternet(bwrap: BubblewrapFds, slirpPath: string): Promise<InternetLink> {
  const info = owned(bwrap.info);
  const block = owned(bwrap.block);
  const resolvConf = owned(bwrap.resolvConf);
  let slirp: Bun.Subprocess | undefined;
  let ready: ReturnType<typeof owned> | undefined;
  /** slirp4netns ends when this closes: open while the command runs. */
  let exit: ReturnType<typeof owned> | undefined;
  const close = async (): Promise<void> => {
    exit?.close();
    ready?.close();
    if (slirp && slirp.exitCode === null) slirp.kill("SIGTERM");
    await slirp?.exited;
  };
  const limit = timeout(setupTimeoutMs, `the network was not ready within ${setupTimeoutMs / 1000} s`);
  try {
    writeSync(resolvConf.fd, sandboxResolvConf());
    resolvConf.close();
    const infoText = await Promise.race([
      readUntil(info.fd, (text) => childPid(text) !== undefined),
      limit.promise,
    ]);
    info.close();
    const pid = childPid(infoText);
    if (pid === undefined) throw new Error("bubblewrap did not start the sandbox");
    await loopbackReady(pid, 1000);

    const started = Bun.spawn(slirpCommand(slirpPath, pid), {
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
    });
    slirp = started;
    ready = owned(extraFd(started, 3));
    exit = owned(extraFd(started, 4));
    const stderr = new Response(started.stderr as ReadableStream<Uint8Array>).text();
    const configured = readUntil(ready.fd, (text) => text.length > 0).then((text) => text.length > 0);
    const exited = started.exited.then(async (): Promise<never> => {
      const why = (await stderr).trim().split("\n").slice(-2).join(" ");
      throw new Error(`slirp4netns exited with ${started.exitCode}${why ? `: ${why}` : ""}`);
    });
    exited.catch(() => {});
    if (!(await Promise.race([configured, exited, limit.promise]))) {
      throw new Error("slirp4netns ended before the network was ready");
    }
    ready.close();
    return { ok: true, close };
  } catch (error) {
    await close();
    return { ok: false, error: error instanceof Error ? error.message : String(error), close };
  } finally {
    limit.cancel();
    try {
      writeSync(block.fd, "1");
    } catch {
      // bwrap is gone already: nothing to release.
    }
    block.close();
    info.close();
    resolvConf.close();
  }
}
