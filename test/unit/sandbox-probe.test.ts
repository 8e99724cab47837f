/**
 * The sandbox probe never blocks the server: it runs its trial programs asynchronously, so a request
 * to a server in the same process is answered while a (slow) probe is still running; a probe that
 * hangs is killed after its timeout; probing is done once per backend and shared by every caller.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probeBubblewrap } from "../../src/sandbox/bubblewrap.ts";
import { probeRun } from "../../src/sandbox/probe-run.ts";
import { startBackend } from "../support/backend.ts";

const scratch = mkdtempSync(join(tmpdir(), "sage-probe-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fake bwrap that takes `seconds` to fail with a namespace error, counting its runs in `counter`. */
function slowBwrap(name: string, seconds: number): { path: string; runs(): number } {
  const path = join(scratch, name);
  const counter = `${path}.runs`;
  writeFileSync(counter, "");
  writeFileSync(
    path,
    `#!/bin/sh\necho run >> '${counter}'\nsleep ${seconds}\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n`,
  );
  chmodSync(path, 0o755);
  return { path, runs: () => readFileSync(counter, "utf8").split("\n").filter(Boolean).length };
}

describe("probeRun", () => {
  test("reports success, an exit code with standard error, and a missing program", async () => {
    expect(await probeRun(["true"], 5000)).toEqual({ ok: true });
    const failed = await probeRun(["sh", "-c", "echo broken >&2; exit 3"], 5000);
    expect(failed).toEqual({ ok: false, error: "exited 3: broken" });
    const missing = await probeRun([join(scratch, "no-such-program")], 5000);
    expect(missing.ok).toBe(false);
  });

  test("a probe that hangs is killed after its timeout", async () => {
    const started = performance.now();
    const result = await probeRun(["sleep", "30"], 200);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result).toEqual({ ok: false, error: "was stopped (timeout)" });
  });
});

describe("the probe does not block", () => {
  test("a server in the same process answers while the probe runs", async () => {
    const bwrap = slowBwrap("slow-bwrap", 1);
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("pong") });
    try {
      let probeDone = false;
      const probe = probeBubblewrap([bwrap.path]).then((status) => {
        probeDone = true;
        return status;
      });
      const started = performance.now();
      const answer = await fetch(`http://127.0.0.1:${server.port}/`).then((response) => response.text());
      const elapsed = performance.now() - started;
      expect(answer).toBe("pong");
      expect(probeDone).toBe(false);
      expect(elapsed).toBeLessThan(500);
      const status = await probe;
      expect(status.mode).toBe("none");
      expect(status.reason).toContain("No permissions to create new namespace");
    } finally {
      server.stop(true);
    }
  });

  test("the backend probes once, in the background, and answers requests meanwhile", async () => {
    const bwrap = slowBwrap("slow-bwrap-app", 1);
    const app = await startBackend({ bwrapCandidates: [bwrap.path] });
    try {
      const started = performance.now();
      const sessions = await app.api<unknown[]>("/api/sessions");
      expect(sessions.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(500);
      // The probe started at boot and is still running (each of its two trials takes a second).
      expect(bwrap.runs()).toBe(1);
      const [first, second] = await Promise.all([
        app.api<{ mode: string; reason: string }>("/api/sandbox/status"),
        app.api<{ mode: string; reason: string }>("/api/sandbox/status"),
      ]);
      expect(first.body.mode).toBe("none");
      expect(first.body.reason).toContain("cannot create a sandbox");
      expect(second.body).toEqual(first.body);
      // Two trial variants (plain, --unshare-user), once for the whole backend.
      expect(bwrap.runs()).toBe(2);
      await app.api("/api/sandbox/status");
      expect(bwrap.runs()).toBe(2);
    } finally {
      await app.stop();
    }
  });
});
