/**
 * The data folder's instance lock: a live holder that does not answer is never taken over (two Sage
 * processes on one data folder would both run the scheduler and both recover each other's turns); a
 * lock left by a dead process, or naming a pid reused by a process started after the lock was written,
 * is taken over.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireInstanceLock, type LockRecord } from "../../src/shell/single-instance.ts";

let dir: string;
let lockPath: string;
const children: ReturnType<typeof Bun.spawn>[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-lock-"));
  lockPath = join(dir, "sage.lock");
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill(9);
    await child.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A live process standing in for another Sage (started before its lock is written). */
function liveProcess(): number {
  const child = Bun.spawn(["sleep", "60"], { stdout: "ignore", stderr: "ignore" });
  children.push(child);
  return child.pid;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = Bun.serve({ port: 0, fetch: () => new Response("") });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

function writeLock(record: Partial<LockRecord> & { pid: number }): string {
  const text = JSON.stringify({
    mode: "serve",
    port: null,
    host: null,
    token: null,
    startedAt: Date.now(),
    ...record,
  });
  writeFileSync(lockPath, text);
  return text;
}

test("a live holder still starting (no port yet) is not taken over: the launch fails and says who holds it", async () => {
  const pid = liveProcess();
  const text = writeLock({ pid });
  const attempt = acquireInstanceLock(lockPath, "serve", 300);
  await expect(attempt).rejects.toMatchObject({
    name: "InstanceBusyError",
    pid,
    message: expect.stringContaining(
      `Another Sage (pid ${pid}) is using this data folder but does not answer`,
    ),
  });
  expect(readFileSync(lockPath, "utf8")).toBe(text);
});

test("a live holder whose server does not answer is not taken over either", async () => {
  const pid = liveProcess();
  const text = writeLock({ pid, port: await closedPort(), host: "127.0.0.1", token: "tok" });
  await expect(acquireInstanceLock(lockPath, "window", 300)).rejects.toMatchObject({
    name: "InstanceBusyError",
  });
  expect(readFileSync(lockPath, "utf8")).toBe(text);
});

test("a live holder that answers is handed over to, not taken over", async () => {
  const token = "tok-answering";
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (request) =>
      new Response("ok", {
        status: request.headers.get("authorization") === `Bearer ${token}` ? 200 : 401,
      }),
  });
  try {
    writeLock({ pid: process.pid, startedAt: Date.now(), port: server.port ?? 0, host: "127.0.0.1", token });
    const result = await acquireInstanceLock(lockPath, "serve", 300);
    expect(result.acquired).toBe(false);
    if (!result.acquired) expect(result.running.pid).toBe(process.pid);
  } finally {
    await server.stop(true);
  }
});

test("a lock whose process is gone is taken over", async () => {
  const child = Bun.spawn(["true"]);
  await child.exited;
  writeLock({ pid: child.pid });
  const result = await acquireInstanceLock(lockPath, "serve", 300);
  expect(result.acquired).toBe(true);
  if (result.acquired) result.lock.release();
  expect(existsSync(lockPath)).toBe(false);
});

test.skipIf(process.platform !== "linux")(
  "a lock naming a pid that a later process reuses (started after the lock was written) is taken over",
  async () => {
    const pid = liveProcess();
    writeLock({ pid, startedAt: Date.now() - 10 * 60_000 });
    const result = await acquireInstanceLock(lockPath, "serve", 300);
    expect(result.acquired).toBe(true);
    const record = JSON.parse(readFileSync(lockPath, "utf8")) as LockRecord;
    expect(record.pid).toBe(process.pid);
    if (result.acquired) result.lock.release();
  },
);
