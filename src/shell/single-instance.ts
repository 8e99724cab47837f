/**
 * One running Sage per data dir.
 *
 * The first instance creates `sage.lock` atomically (O_EXCL) and, once listening, records its pid,
 * port and token there (file mode 0600: the token is the key to the server). A later launch finds the
 * lock, checks that the recorded process is alive and that its server answers, and then hands over:
 * it asks the running instance to show its window (window mode) or prints its URL (serve mode), and
 * exits 0. A lock left by a dead process is taken over.
 *
 * A lock whose process is alive but does not answer (still starting after the wait, or busy) is never
 * taken over: two processes on one data folder would both recover "interrupted" turns and runs and
 * both run the scheduler. The launch fails with `InstanceBusyError` instead. On Linux the recorded pid
 * must still be the process that wrote the lock: a zombie, or a process started after the lock was
 * written (the pid was reused after a crash), counts as dead.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";

/** Another process holds the data folder's lock but its server does not answer. */
export class InstanceBusyError extends Error {
  override readonly name = "InstanceBusyError";
  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(
      `Another Sage (pid ${pid}) is using this data folder but does not answer (lock: ${lockPath}). ` +
        `Wait for it to finish starting, or close it (kill ${pid}), then start Sage again.`,
    );
  }
}

/** How long a launch waits for the lock's process to answer before giving up. */
export const LOCK_WAIT_MS = 5000;
/** A lock's process that started more than this after the lock was written is not its writer. */
const START_SLACK_MS = 2000;

export interface LockRecord {
  pid: number;
  mode: "window" | "serve";
  port: number | null;
  host: string | null;
  token: string | null;
  startedAt: number;
}

export type LockResult = { acquired: true; lock: InstanceLock } | { acquired: false; running: LockRecord };

export class InstanceLock {
  constructor(
    readonly path: string,
    private record: LockRecord,
  ) {}

  /** Record where the server listens, for later launches. */
  ready(port: number, host: string, token: string): void {
    this.record = { ...this.record, port, host, token };
    writeFileSync(this.path, JSON.stringify(this.record), { mode: 0o600 });
  }

  release(): void {
    try {
      const current = readLock(this.path);
      if (current?.pid === process.pid) rmSync(this.path, { force: true });
    } catch {
      // Already gone.
    }
  }
}

/**
 * Takes the lock, or finds the live instance that holds it (waiting up to `waitMs` for one still
 * starting). Throws `InstanceBusyError` when the holder is alive but never answered.
 */
export async function acquireInstanceLock(
  path: string,
  mode: LockRecord["mode"],
  waitMs = LOCK_WAIT_MS,
): Promise<LockResult> {
  const record: LockRecord = {
    pid: process.pid,
    mode,
    port: null,
    host: null,
    token: null,
    startedAt: Date.now(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      return { acquired: true, lock: new InstanceLock(path, record) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const found = await waitForRunning(path, waitMs);
    if (found.kind === "running") return { acquired: false, running: found.record };
    if (found.kind === "silent") throw new InstanceBusyError(path, found.record.pid);
    rmSync(path, { force: true }); // stale: its process is gone
  }
  throw new Error(`Could not take the instance lock ${path}`);
}

type Holder =
  | { kind: "running"; record: LockRecord }
  | { kind: "silent"; record: LockRecord }
  | { kind: "stale" };

/**
 * The instance behind the lock: answering, alive but silent after `waitMs` (still starting, or busy),
 * or stale (no lock, or its process is gone).
 */
async function waitForRunning(path: string, waitMs: number): Promise<Holder> {
  const deadline = Date.now() + waitMs;
  let record = readLock(path);
  for (;;) {
    if (!record || !holdsLock(record)) return { kind: "stale" };
    if (record.port && record.token && (await answers(record))) return { kind: "running", record };
    if (Date.now() >= deadline) return { kind: "silent", record };
    await Bun.sleep(100);
    record = readLock(path);
  }
}

/**
 * Whether the lock's process is alive and is the one that wrote it. Without /proc (not Linux) only
 * "alive" can be checked.
 */
function holdsLock(record: LockRecord): boolean {
  if (!isAlive(record.pid)) return false;
  const started = processStart(record.pid);
  if (started === undefined) return true;
  if (started === "zombie") return false;
  return started <= record.startedAt + START_SLACK_MS;
}

/** Linux: when the process started (ms since the epoch), "zombie" for one that ended, else undefined. */
function processStart(pid: number): number | "zombie" | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces and parentheses): state is the 3rd field,
    // starttime (clock ticks after boot; USER_HZ is 100 on Linux) the 22nd.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return "zombie";
    const ticks = Number(fields[19]);
    const bootTime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1];
    if (!Number.isFinite(ticks) || !bootTime) return undefined;
    return Number(bootTime) * 1000 + ticks * 10;
  } catch {
    return undefined;
  }
}

function readLock(path: string): LockRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockRecord;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function answers(record: LockRecord): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${record.port}/api/health`, {
      headers: { authorization: `Bearer ${record.token}` },
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Ask the running instance to bring its window to the front. */
export async function activateRunning(record: LockRecord): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${record.port}/api/app/activate`, {
      method: "POST",
      headers: { authorization: `Bearer ${record.token}` },
      signal: AbortSignal.timeout(3000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Hand a `sage:` link to the running instance (it shows its window with that chat). Resolves the
 * server's answer: the chat opened, or the reason the link was refused.
 */
export async function openUrlInRunning(
  record: LockRecord,
  url: string,
): Promise<{ ok: true; sessionId: string; draft?: string } | { ok: false; message: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${record.port}/api/app/open-url`, {
      method: "POST",
      headers: { authorization: `Bearer ${record.token}`, "content-type": "application/json" },
      body: JSON.stringify({ url }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json().catch(() => ({}))) as {
      sessionId?: string;
      draft?: string;
      error?: { message?: string };
    };
    if (response.ok && body.sessionId) {
      return { ok: true, sessionId: body.sessionId, ...(body.draft ? { draft: body.draft } : {}) };
    }
    return { ok: false, message: body.error?.message ?? `Sage answered ${response.status}.` };
  } catch (error) {
    return { ok: false, message: `The running Sage did not answer: ${(error as Error).message}` };
  }
}
