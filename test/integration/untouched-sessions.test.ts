/**
 * Untouched chats do not pile up (real HTTP, /ws and SQLite file): POST /api/sessions/:id/leave removes
 * a session nobody used — every client hears session.removed — and keeps any the user used (a message,
 * a stopped or queued turn, a title, a pin); a restart removes untouched sessions the last run left and
 * purges sessions deleted longer ago than the undo window.
 */
import { describe, expect, test } from "bun:test";
import type { SessionSummary } from "../../src/shared/session.ts";
import { startBackend, useBackend } from "../support/backend.ts";
import { newSession, runTurn } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

async function leave(sessionId: string): Promise<{ status: number; body: { removed: boolean } }> {
  const { status, body } = await app().api<{ removed: boolean }>(`/api/sessions/${sessionId}/leave`, {
    method: "POST",
  });
  return { status, body };
}

async function listed(): Promise<string[]> {
  const { body } = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=500");
  return body.sessions.map((session) => session.id);
}

describe("leaving a chat", () => {
  test("an untouched chat is removed and every client hears so; leaving again is harmless", async () => {
    const watcher = await TestSocket.connect(app());
    const sessionId = await newSession(app());
    // A model pick alone does not make a chat used.
    const { providers } = app().running.backend.context;
    const provider = providers.list()[0];
    await app().api(`/api/sessions/${sessionId}`, {
      method: "PATCH",
      json: { model: { providerId: provider?.id, model: "fake-model" } },
    });
    expect(await leave(sessionId)).toEqual({ status: 200, body: { removed: true } });
    await watcher.waitFor("session.removed", (e) => e.sessionId === sessionId);
    expect(await listed()).not.toContain(sessionId);
    expect((await app().api(`/api/sessions/${sessionId}`)).status).toBe(404);
    expect(await leave(sessionId)).toEqual({ status: 200, body: { removed: false } });
    expect(await leave("ses_never_was")).toEqual({ status: 200, body: { removed: false } });
    watcher.close();
  });

  test("a chat with a message, a title or a pin is kept", async () => {
    const used = await newSession(app());
    const socket = await TestSocket.connect(app());
    socket.send({ type: "subscribe", sessionId: used, afterSeq: 0 });
    await socket.waitFor("subscribed", (e) => e.sessionId === used);
    app().fake.enqueue({ text: "Hi." });
    await runTurn({ sessionId: used, socket }, "Hello");
    socket.close();

    const titled = (await app().api<SessionSummary>("/api/sessions", { json: { title: "Plans" } })).body.id;
    const renamed = await newSession(app());
    await app().api(`/api/sessions/${renamed}`, { method: "PATCH", json: { title: "Later" } });
    const pinned = await newSession(app());
    await app().api(`/api/sessions/${pinned}`, { method: "PATCH", json: { pinned: true } });

    for (const id of [used, titled, renamed, pinned]) {
      expect((await leave(id)).body).toEqual({ removed: false });
    }
    expect(await listed()).toEqual(expect.arrayContaining([used, titled, renamed, pinned]));
  });

  test("a chat whose only turn was taken back (queued, then stopped) counts as used", async () => {
    const sessionId = await newSession(app());
    app().running.backend.context.sessionRepo.insertTurn({
      id: "trn_taken_back",
      sessionId,
      clientTurnId: "c_taken_back",
      status: "stopped",
      userMessageId: null,
    });
    expect((await leave(sessionId)).body).toEqual({ removed: false });
  });
});

test("a restart removes untouched sessions and purges long-deleted ones; used ones stay", async () => {
  const own = await startBackend({ fake: app().fake });
  const untouched = await newSession(own);
  const kept = (await own.api<SessionSummary>("/api/sessions", { json: { title: "Keep me" } })).body.id;
  const deletedLongAgo = (await own.api<SessionSummary>("/api/sessions", { json: { title: "Old" } })).body.id;
  const deletedJustNow = (await own.api<SessionSummary>("/api/sessions", { json: { title: "New" } })).body.id;
  await own.api(`/api/sessions/${deletedLongAgo}`, { method: "DELETE" });
  await own.api(`/api/sessions/${deletedJustNow}`, { method: "DELETE" });
  const db = own.running.backend.context.db;
  db.query("UPDATE sessions SET deleted_at = ? WHERE id = ?").run(
    Date.now() - 11 * 60 * 1000,
    deletedLongAgo,
  );
  await own.stop({ keepData: true });

  const again = await startBackend({ dataDir: own.dataDir, fake: app().fake });
  try {
    const ids = (await again.api<{ sessions: SessionSummary[] }>("/api/sessions")).body.sessions.map(
      (s) => s.id,
    );
    expect(ids).toEqual([kept]);
    const rows = again.running.backend.context.db.query("SELECT id FROM sessions ORDER BY id").all() as {
      id: string;
    }[];
    expect(rows.map((row) => row.id).sort()).toEqual([kept, deletedJustNow].sort());
    // The recently deleted one can still be restored.
    expect((await again.api(`/api/sessions/${deletedJustNow}/restore`, { method: "POST" })).status).toBe(200);
    expect(untouched).not.toBe(kept);
  } finally {
    await again.stop();
  }
});
