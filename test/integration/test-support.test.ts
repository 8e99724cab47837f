/**
 * The test support itself: `useBackend` (per-test backends in `each` mode, data dirs removed on stop
 * unless kept, a restart on a kept dir), `api()` (JSON, text and methods) and `TestSocket` (waitFor
 * sees earlier events, `fresh` does not, `next` takes each event once, timeouts say what arrived).
 */
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { startBackend, type TestBackend, useBackend } from "../support/backend.ts";
import { newSession, openSession, runTurn, storedMessages, textOf } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

describe("useBackend with each", () => {
  const backend = useBackend({ provider: false }, { each: true });
  const seen: TestBackend[] = [];

  test("a test gets a running backend with no provider when asked", async () => {
    seen.push(backend());
    const { status, body } = await backend().api<{ providers: unknown[] }>("/api/providers");
    expect(status).toBe(200);
    expect(body.providers).toEqual([]);
  });

  test("the next test gets a new one; the last one's data dir is gone", () => {
    const [previous] = seen;
    expect(previous).toBeDefined();
    expect(backend()).not.toBe(previous as TestBackend);
    expect(backend().dataDir).not.toBe(previous?.dataDir);
    expect(existsSync(previous?.dataDir ?? "")).toBe(false);
  });
});

describe("api()", () => {
  const backend = useBackend();

  test("JSON answers are parsed, other answers come back as text, json makes a POST", async () => {
    const health = await backend().api<{ status: string }>("/api/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect(health.text).toStartWith("{");

    const created = await backend().api<{ id: string }>("/api/sessions", { json: {} });
    expect(created.status).toBe(200);
    expect(created.body.id).toStartWith("ses_");

    const page = await backend().api<string>("/", { headers: { accept: "text/html" } });
    expect(typeof page.body).toBe("string");
    expect(page.body).toBe(page.text);

    const wrongMethod = await backend().api(`/api/sessions/${created.body.id}`, { method: "PUT", json: {} });
    expect(wrongMethod.status).toBeGreaterThanOrEqual(400);
  });

  test("without the token the API refuses", async () => {
    const response = await backend().http("/api/sessions", { auth: false });
    expect(response.status).toBe(401);
  });
});

test("stop({ keepData }) keeps the data dir; a backend started on it sees the same data", async () => {
  const first = await startBackend();
  const sessionId = await newSession(first);
  // A titled session (an untouched one is cleared at start-up).
  expect(
    (await first.api(`/api/sessions/${sessionId}`, { method: "PATCH", json: { title: "Kept" } })).status,
  ).toBe(200);
  await first.stop({ keepData: true });
  expect(existsSync(first.dataDir)).toBe(true);
  const second = await startBackend({ dataDir: first.dataDir });
  try {
    expect((await second.api(`/api/sessions/${sessionId}`)).status).toBe(200);
  } finally {
    await second.stop();
  }
});

describe("useBackend with a fallback", () => {
  const asked: string[] = [];
  const backend = useBackend({
    fallback: (request) => {
      asked.push(request.path);
      return { text: "from the fallback" };
    },
  });

  test("the backend's own fake answers with it once nothing is queued", async () => {
    const session = await openSession(backend());
    expect((await runTurn(session, "hello")).status).toBe("completed");
    const messages = await storedMessages(backend(), session.sessionId);
    expect(textOf(messages.at(-1))).toBe("from the fallback");
    expect(asked.length).toBe(1);
    session.socket.close();
  });
});

describe("TestSocket", () => {
  const backend = useBackend({ provider: false });

  test("waitFor sees earlier events, fresh waits for a new one, next takes each event once", async () => {
    const socket = await TestSocket.connect(backend());
    try {
      socket.send({ type: "ping", t: 1 });
      socket.send({ type: "ping", t: 2 });
      expect(await socket.next((e) => e.type === "pong")).toMatchObject({ type: "pong", t: 1 });
      expect(await socket.next((e) => e.type === "pong")).toMatchObject({ type: "pong", t: 2 });
      expect(await socket.waitFor("pong")).toMatchObject({ t: 1 });

      const fresh = socket.waitFor("pong", () => true, 2000, true);
      socket.send({ type: "ping", t: 3 });
      expect(await fresh).toMatchObject({ t: 3 });

      socket.send("not json");
      expect(await socket.next((e) => e.type === "error")).toMatchObject({ code: "bad_frame" });
      await expect(socket.waitFor("turn.ended", () => true, 50)).rejects.toThrow(
        /timed out waiting for turn.ended; got pong, pong, pong, error/,
      );
      await expect(socket.next((e) => e.type === "pong", 50)).rejects.toThrow(
        /no matching event within 50 ms/,
      );
    } finally {
      socket.close();
    }
  });

  test("open() rejects when the server refuses the upgrade (no token)", async () => {
    await expect(TestSocket.open(`ws://127.0.0.1:${backend().port}/ws`)).rejects.toThrow();
  });
});
