/**
 * A full disk during a streaming turn, with the compiled executable on a real 4 MB tmpfs data folder
 * (the test runs as root; without mount rights it is skipped, saying so). The disk fills while the
 * fake model streams: the turn ends with status "error" and a "disk is full" reason and error part that
 * every window receives, the server keeps answering, and once space is freed the session goes on.
 * The same path runs everywhere in-process with SQLite's own SQLITE_FULL (`PRAGMA max_page_count`).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EPHEMERAL_EVENTS, type ServerEvent } from "../../src/shared/events.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { startBackend } from "../support/backend.ts";
import { eventually, newSession } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";
import { launchExecutable, type RunningExecutable, seedDataDir } from "./executable-app.ts";

const mountPoint = mkdtempSync(join(tmpdir(), "sage-full-disk-"));
const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", mountPoint]);
const canMount = mounted.exitCode === 0;
if (!canMount)
  console.warn(`disk-full test skipped: cannot mount a tmpfs (${mounted.stderr.toString().trim()})`);

/** Events that take a seq of their own in the log (not replies to the client, not ephemeral ones). */
const isStored = (type: ServerEvent["type"]) =>
  !EPHEMERAL_EVENTS.has(type) && type !== "subscribed" && type !== "session.live" && type !== "pong";

let fake: FakeModel;
let app: RunningExecutable | undefined;
const filler = join(mountPoint, "filler");

beforeAll(async () => {
  fake = await startFakeModel({ apiKey: "test-key-0001" });
});
afterAll(async () => {
  await app?.process.stop();
  await fake.stop();
  if (canMount) Bun.spawnSync(["umount", "-l", mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Write zeros until the file system says ENOSPC; returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, "w");
  let written = 0;
  try {
    for (const size of [256 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

test.skipIf(!canMount)(
  "the disk fills during a streaming turn: the turn ends with a clear 'disk full' error, the server lives on",
  async () => {
    await seedDataDir(mountPoint, fake);
    app = await launchExecutable(mountPoint);
    const { body: session } = await app.api<{ id: string }>("/api/sessions", { json: {} });
    const socket = await TestSocket.connect(app);
    socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
    await socket.waitFor("subscribed");

    fake.enqueue({ text: { repeat: "lorem ipsum dolor sit amet ", count: 2_000_000 } });
    socket.send({ type: "submit", sessionId: session.id, clientTurnId: "doomed", text: "Write a lot" });
    const started = await socket.waitFor("turn.started", (e) => e.clientTurnId === "doomed", 15_000);
    await eventually(
      () => (socket.ofType("message.part.delta").length >= 5 ? true : undefined),
      15_000,
      "streaming deltas",
    );
    expect(fillDisk(filler)).toBeGreaterThan(0);

    const ended = await socket.waitFor("turn.ended", (e) => e.turnId === started.turnId, 30_000);
    expect(ended.status).toBe("error");
    expect(ended.reason).toContain("The disk is full");
    expect(ended.reason).toContain(join(mountPoint, "sage.db"));
    const errorPart = socket
      .ofType("message.part.updated")
      .map((e) => e.part)
      .find((part) => part.type === "error");
    expect(errorPart).toMatchObject({ type: "error", code: "disk_full" });
    // The session is idle again, and the server answers.
    await socket.waitFor("session.updated", (e) => e.session.status === "idle", 10_000);
    expect((await app.api("/api/health")).status).toBe(200);
    // A new turn while the disk is still full is refused with the same words, not a silent failure.
    socket.send({ type: "submit", sessionId: session.id, clientTurnId: "while-full", text: "Again" });
    const refused = await socket.waitFor("error", (e) => e.ref === "submit", 10_000);
    expect(refused).toMatchObject({ code: "disk_full" });
    expect(refused.message).toContain("The disk is full");

    // Space again: the session goes on, and the events kept in memory were written.
    rmSync(filler);
    fake.enqueue({ text: "Back on track." });
    socket.send({ type: "submit", sessionId: session.id, clientTurnId: "after", text: "Go on" });
    const next = await socket.waitFor("turn.started", (e) => e.clientTurnId === "after", 15_000);
    expect((await socket.waitFor("turn.ended", (e) => e.turnId === next.turnId, 15_000)).status).toBe(
      "completed",
    );
    const resumed = await TestSocket.connect(app);
    resumed.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
    await resumed.waitFor("subscribed");
    const replayed = resumed.ofType("turn.ended").find((e) => e.turnId === started.turnId);
    expect(replayed?.reason).toContain("The disk is full");
    const seqs = resumed.events
      .filter((e) => e.sessionId === session.id && isStored(e.type))
      .map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    resumed.close();
    socket.close();
    app.process.child.kill("SIGTERM");
    expect(await app.process.exited(15_000)).toBe(0);
  },
  120_000,
);

test("in-process, SQLite says SQLITE_FULL mid-stream: the turn ends with disk_full and the next one runs", async () => {
  const local = await startBackend({ fake });
  try {
    const { db } = local.running.backend.context;
    const sessionId = await newSession(local);
    const socket = await TestSocket.connect(local);
    socket.send({ type: "subscribe", sessionId, afterSeq: 0 });
    await socket.waitFor("subscribed");
    fake.enqueue({ text: { repeat: "lorem ipsum dolor sit amet ", count: 2_000_000 } });
    socket.send({ type: "submit", sessionId, clientTurnId: "capped", text: "Write a lot" });
    const started = await socket.waitFor("turn.started", (e) => e.clientTurnId === "capped");
    await eventually(
      () => (socket.ofType("message.part.delta").length >= 5 ? true : undefined),
      15_000,
      "streaming deltas",
    );
    const { page_count } = db.query("PRAGMA page_count").get() as { page_count: number };
    db.run(`PRAGMA max_page_count = ${page_count}`);
    const ended = await socket.waitFor("turn.ended", (e) => e.turnId === started.turnId, 30_000);
    expect(ended.status).toBe("error");
    expect(ended.reason).toContain("The disk is full");
    db.run("PRAGMA max_page_count = 1073741823");
    fake.enqueue({ text: "Fine again." });
    socket.send({ type: "submit", sessionId, clientTurnId: "after", text: "Go on" });
    const next = await socket.waitFor("turn.started", (e) => e.clientTurnId === "after");
    expect((await socket.waitFor("turn.ended", (e) => e.turnId === next.turnId)).status).toBe("completed");
    socket.close();
  } finally {
    await local.stop();
  }
}, 60_000);
