/**
 * One running Sage per data dir.
 *
 * The first instance creates `sage.lock` atomically (O_EXCL) and, once listening, records its pid,
 * port and token there (file mode 0600: the token is the key to the server). A later launch finds the
 * lock, checks that the recorded process is alive and that its server answers, and then hands over:
 * it asks the running instance to show its window (window mode) or prints its URL (serve mode), and
 * exits 0. A lock left by a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";

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

export async function acquireInstanceLock(path: string, mode: LockRecord["mode"]): Promise<LockResult> {
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
    const running = await waitForRunning(path);
    if (running) return { acquired: false, running };
    rmSync(path, { force: true }); // stale: its process is gone or its server never answered
  }
  throw new Error(`Could not take the instance lock ${path}`);
}

/** The live instance behind the lock, waiting up to 5 s for one that is still starting. */
async function waitForRunning(path: string): Promise<LockRecord | undefined> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const record = readLock(path);
    if (!record || !isAlive(record.pid)) return undefined;
    if (record.port && record.token) {
      return (await answers(record)) ? record : undefined;
    }
    await Bun.sleep(100);
  }
  return undefined;
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
