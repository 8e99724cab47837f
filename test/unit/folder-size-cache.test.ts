/**
 * Settings → Storage's folder-size cache: a read answers at once (unknown folders as not measured yet)
 * and measures in the background, one folder at a time; known sizes are served from the cache until
 * they are older than maxAge (then shown while measured again); refresh measures on demand; settle
 * waits at most its bound; a failing measurement is logged and retried on the next read.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";
import { FolderSizeCache } from "../../src/housekeeping/folder-size-cache.ts";
import type { FolderSize } from "../../src/housekeeping/storage-usage.ts";

const logger = new Logger({ level: "error", console: false });

/** A measure function the test releases by hand, counting calls and concurrency. */
function gatedMeasure() {
  const waiting: { path: string; release: (bytes: number) => void }[] = [];
  const state = { calls: 0, active: 0, maxActive: 0 };
  const measure = (path: string) =>
    new Promise<FolderSize>((resolve) => {
      state.calls++;
      state.active++;
      state.maxActive = Math.max(state.maxActive, state.active);
      waiting.push({
        path,
        release: (bytes) => {
          state.active--;
          resolve({ path, bytes, files: 1, complete: true });
        },
      });
    });
  const releaseNext = async (bytes: number) => {
    for (let tries = 0; tries < 100 && waiting.length === 0; tries++) await Bun.sleep(1);
    const next = waiting.shift();
    if (!next) throw new Error("nothing is being measured");
    next.release(bytes);
    await Bun.sleep(1);
    return next.path;
  };
  return { measure, state, releaseNext };
}

describe("folder size cache", () => {
  test("a first read answers at once with nothing measured, then the sizes arrive one folder at a time", async () => {
    const gate = gatedMeasure();
    let now = 1_000;
    const cache = new FolderSizeCache({ logger, measure: gate.measure, now: () => now });
    const first = cache.read(["/a", "/b"]);
    expect(first).toEqual([
      { path: "/a", bytes: 0, files: 0, complete: false, measuredAt: null },
      { path: "/b", bytes: 0, files: 0, complete: false, measuredAt: null },
    ]);
    expect(cache.measuring()).toBe(true);
    const started = performance.now();
    await cache.settle(30);
    expect(performance.now() - started).toBeLessThan(500);
    expect(cache.measuring()).toBe(true);

    now = 2_000;
    expect(await gate.releaseNext(10)).toBe("/a");
    expect(cache.read(["/a", "/b"]).map((folder) => folder.measuredAt)).toEqual([2_000, null]);
    expect(await gate.releaseNext(20)).toBe("/b");
    await cache.settle(100);
    expect(cache.measuring()).toBe(false);
    expect(gate.state.maxActive).toBe(1);
    expect(cache.read(["/a", "/b"]).map((folder) => folder.bytes)).toEqual([10, 20]);
  });

  test("known sizes are served without measuring until stale; stale ones are shown while measured again", async () => {
    const gate = gatedMeasure();
    let now = 0;
    const cache = new FolderSizeCache({ logger, measure: gate.measure, now: () => now, maxAgeMs: 60_000 });
    cache.read(["/w"]);
    await gate.releaseNext(100);
    for (let visit = 0; visit < 5; visit++) {
      now += 10_000;
      expect(cache.read(["/w"])[0]?.bytes).toBe(100);
    }
    expect(gate.state.calls).toBe(1);
    expect(cache.measuring()).toBe(false);
    now = 61_000;
    expect(cache.read(["/w"])[0]).toMatchObject({ bytes: 100, measuredAt: 0 });
    expect(cache.measuring()).toBe(true);
    await gate.releaseNext(250);
    expect(cache.read(["/w"])[0]).toMatchObject({ bytes: 250, measuredAt: 61_000 });
    expect(gate.state.calls).toBe(2);
  });

  test("refresh measures again on demand; paths asked meanwhile join the queue", async () => {
    const gate = gatedMeasure();
    const cache = new FolderSizeCache({ logger, measure: gate.measure });
    cache.read(["/x"]);
    await gate.releaseNext(1);
    const done = cache.refresh(["/x"]);
    void cache.refresh(["/y"]);
    expect(await gate.releaseNext(5)).toBe("/x");
    expect(await gate.releaseNext(7)).toBe("/y");
    await done;
    expect(cache.read(["/x"])[0]?.bytes).toBe(5);
  });

  test("a failing measurement is logged, leaves the folder unmeasured and is tried again", async () => {
    const lines: string[] = [];
    const warnLogger = new Logger({ level: "warn", console: false });
    warnLogger.warn = (message: string) => void lines.push(message);
    let fail = true;
    const cache = new FolderSizeCache({
      logger: warnLogger,
      measure: async (path) => {
        if (fail) throw new Error("EACCES");
        return { path, bytes: 3, files: 1, complete: true };
      },
    });
    cache.read(["/locked"]);
    await cache.settle(100);
    expect(lines.join("\n")).toContain("could not measure /locked");
    expect(cache.read(["/locked"])[0]?.measuredAt).toBeNull();
    await cache.settle(100);
    fail = false;
    cache.read(["/locked"]);
    await cache.settle(100);
    expect(cache.read(["/locked"])[0]?.bytes).toBe(3);
  });

  test("folders nobody asked for in a day are forgotten", async () => {
    let now = 0;
    const cache = new FolderSizeCache({
      logger,
      now: () => now,
      measure: async (path) => ({ path, bytes: 1, files: 1, complete: true }),
    });
    cache.read(["/old"]);
    await cache.settle(100);
    now = 25 * 60 * 60_000;
    cache.read(["/other"]);
    await cache.settle(100);
    expect(cache.read(["/old"])[0]?.measuredAt).toBeNull();
  });

  test("with the real walk: a folder's size and file count", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sage-size-cache-"));
    try {
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "a.txt"), "x".repeat(1000));
      writeFileSync(join(dir, "sub", "b.txt"), "y".repeat(500));
      const cache = new FolderSizeCache({ logger });
      cache.read([dir]);
      await cache.settle(2000);
      expect(cache.read([dir])[0]).toMatchObject({ bytes: 1500, files: 2, complete: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
