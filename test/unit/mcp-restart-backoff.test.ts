/** When a crashed MCP server is started again (src/mcp/restart-backoff.ts). */
import { describe, expect, test } from "bun:test";
import { MAX_AUTO_RESTARTS, RESTART_DELAYS_MS, RestartBackoff } from "../../src/mcp/restart-backoff.ts";

describe("RestartBackoff", () => {
  test("the production delays: 1, 2, 5, 10, 30 s, five tries", () => {
    expect(RESTART_DELAYS_MS).toEqual([1000, 2000, 5000, 10_000, 30_000]);
    expect(MAX_AUTO_RESTARTS).toBe(5);
  });

  test("each try waits its delay, runs once, and counts; then no more tries", async () => {
    const backoff = new RestartBackoff([5, 10]);
    let runs = 0;
    const before = Date.now();
    expect(backoff.schedule(() => runs++)).toBe(5);
    expect(backoff.pending).toBe(true);
    expect(backoff.count).toBe(1);
    expect(backoff.nextAt).toBeGreaterThanOrEqual(before + 5);
    await Bun.sleep(30);
    expect(runs).toBe(1);
    expect(backoff.pending).toBe(false);
    expect(backoff.nextAt).toBeUndefined();
    expect(backoff.schedule(() => runs++)).toBe(10);
    await Bun.sleep(40);
    expect(runs).toBe(2);
    expect(backoff.schedule(() => runs++)).toBeUndefined();
    expect(backoff.pending).toBe(false);
    expect(backoff.count).toBe(2);
  });

  test("cancel drops the scheduled try but keeps the count; reset starts counting again", async () => {
    const backoff = new RestartBackoff([5]);
    let runs = 0;
    backoff.schedule(() => runs++);
    backoff.cancel();
    expect(backoff.pending).toBe(false);
    expect(backoff.nextAt).toBeUndefined();
    await Bun.sleep(20);
    expect(runs).toBe(0);
    expect(backoff.count).toBe(1);
    expect(backoff.schedule(() => runs++)).toBeUndefined();
    backoff.reset();
    expect(backoff.count).toBe(0);
    expect(backoff.schedule(() => runs++)).toBe(5);
    await Bun.sleep(20);
    expect(runs).toBe(1);
  });

  test("no delays at all: never schedules", () => {
    const backoff = new RestartBackoff([]);
    expect(backoff.schedule(() => {})).toBeUndefined();
    expect(backoff.count).toBe(0);
  });
});
