/**
 * The compiled executable (`dist/sage --serve`) on a data dir that already knows the fake model.
 *
 * There is no providers HTTP API yet, so `seedDataDir` runs the backend in-process once on the data
 * dir (which creates the provider row and the encrypted key file) and stops it; the executable then
 * starts on that dir. `useExecutable()` is what a test file calls: a fake model and a seeded dir before
 * its tests, and after them every executable it launched stopped and every dir removed. Used by the crash
 * and back-pressure tests and scripts/bench/stream.ts.
 */

import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initialize } from "../../src/app/lifecycle.ts";
import { Logger } from "../../src/core/logger.ts";
import { resolvePaths } from "../../src/core/paths.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, spawnApp } from "../support/app-process.ts";
import { startBackend } from "../support/backend.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";
import { type HttpApi, httpApi } from "../support/http-api.ts";

export interface RunningExecutable {
  process: AppProcess;
  pid: number;
  /** http://127.0.0.1:PORT */
  url: string;
  token: string;
  /** Authenticated JSON call to the executable's API (test/support/http-api.ts). */
  api: HttpApi["api"];
}

/** Seed `dataDir` with a default provider pointing at `model` (a fake in this process, or its URL). */
export async function seedDataDir(
  dataDir: string,
  model: FakeModel | string,
  options: { providerKind?: "openai-compatible" | "anthropic"; apiKey?: string } = {},
): Promise<void> {
  if (typeof model !== "string") {
    const app = await startBackend({ dataDir, fake: model, provider: options.providerKind });
    await app.stop();
    return;
  }
  const backend = await initialize({
    paths: resolvePaths({}, dataDir),
    logger: new Logger({ level: "error", console: false }),
    mode: "serve",
    compiled: false,
  });
  try {
    await backend.context.providers.create({
      name: "Fake",
      kind: options.providerKind ?? "openai-compatible",
      baseUrl: model,
      apiKey: options.apiKey ?? "test-key-0001",
      models: [{ id: "fake-model", contextWindow: 128_000, tools: true, vision: true }],
      defaultModel: "fake-model",
      isDefault: true,
    });
  } finally {
    await backend.shutdown();
  }
}

/** Start `dist/sage --serve --no-open` on `dataDir` (building it first when missing or stale). */
export async function launchExecutable(dataDir: string, previousPort?: number): Promise<RunningExecutable> {
  const executable = await ensureExecutable();
  const process = spawnApp({ executable, args: ["--serve", "--no-open"], dataDir });
  const lock = await process.waitForLock(30_000, previousPort);
  await process.waitForOutput(/Sage is running/, 30_000);
  const url = `http://127.0.0.1:${lock.port}`;
  const token = lock.token;
  return { process, pid: process.child.pid, url, token, api: httpApi(url, token).api };
}

export interface ExecutableFixture {
  /** The fake model every seeded dir's default provider points at. */
  fake: FakeModel;
  /** A data dir seeded before the tests. */
  dataDir: string;
  /** Another data dir seeded with the same fake (a test that wants a fresh one); removed after the tests. */
  seededDir(prefix?: string): Promise<string>;
  /**
   * Start the executable on `dir` (default `dataDir`); `previousPort`: a restart on the same dir. Every
   * executable launched is stopped after the tests.
   */
  launch(dir?: string, previousPort?: number): Promise<RunningExecutable>;
}

/**
 * A fake model and a data dir seeded with it before the file's tests; after them, every executable
 * launched is stopped, then the fake, and every dir removed. Returns an accessor; calling it before
 * the start hook ran is a test bug and throws.
 */
export function useExecutable(prefix = "sage-exe-"): () => ExecutableFixture {
  let fixture: ExecutableFixture | undefined;
  const dirs: string[] = [];
  const launched: RunningExecutable[] = [];
  let fake: FakeModel | undefined;
  beforeAll(async () => {
    const model = await startFakeModel({ apiKey: "test-key-0001" });
    fake = model;
    const seededDir = async (dirPrefix = prefix) => {
      const dir = mkdtempSync(join(tmpdir(), dirPrefix));
      dirs.push(dir);
      await seedDataDir(dir, model);
      return dir;
    };
    const dataDir = await seededDir();
    fixture = {
      fake: model,
      dataDir,
      seededDir,
      async launch(dir = dataDir, previousPort) {
        const exe = await launchExecutable(dir, previousPort);
        launched.push(exe);
        return exe;
      },
    };
  });
  afterAll(async () => {
    for (const exe of launched.splice(0)) await exe.process.stop();
    await fake?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    fixture = undefined;
  });
  return () => {
    if (!fixture) throw new Error("useExecutable(): not started (used outside a test?)");
    return fixture;
  };
}

/** Resident memory of a process in KiB (Linux /proc), or undefined when it cannot be read. */
export async function residentKiB(pid: number): Promise<number | undefined> {
  try {
    const status = await Bun.file(`/proc/${pid}/status`).text();
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) a process has used so far, in seconds (Linux /proc). */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await Bun.file(`/proc/${pid}/stat`).text();
    // Fields after the command name (which may contain spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
