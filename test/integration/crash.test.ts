/**
 * Crash safety with the compiled executable: kill -9 in the middle of a streaming turn, start again on
 * the same data dir. The partial reply is stored, the turn is marked interrupted (a turn.ended event
 * in the log), everything earlier is intact, and a client resuming with its last seq gets exactly the
 * events it missed. A kill during a slow stream (events sent but not yet committed to SQLite, held by the
 * event journal) loses none of them.
 */
import { expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { resolvePaths } from "../../src/core/paths.ts";
import { EPHEMERAL_EVENTS } from "../../src/shared/events.ts";
import type { Message } from "../../src/shared/parts.ts";
import { applyEvent, emptyTranscript, loadMessages } from "../../src/shared/transcript.ts";
import { journalPathFor } from "../../src/store/event-journal.ts";
import { eventually, textOf, transcriptCore } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";
import { type RunningExecutable, useExecutable } from "./executable-app.ts";

const executable = useExecutable("sage-crash-");

async function messagesOf(
  exe: RunningExecutable,
  sessionId: string,
): Promise<{ messages: Message[]; lastSeq: number }> {
  const { status, body } = await exe.api<{ messages: Message[]; lastSeq: number }>(
    `/api/sessions/${sessionId}/messages?limit=1000`,
  );
  expect(status).toBe(200);
  return body;
}

test("kill -9 mid-turn: the partial reply survives, the turn is interrupted, resume gets exactly what was missed", async () => {
  const { fake, launch } = executable();
  const first = await launch();
  const { body: session } = await first.api<{ id: string }>("/api/sessions", { json: {} });
  await first.api(`/api/sessions/${session.id}`, { method: "PATCH", json: { title: "Crash" } });
  const socket = await TestSocket.connect(first);
  socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await socket.waitFor("subscribed");

  // An earlier turn that completes, with a tool call.
  fake.enqueue(
    { text: "Looking.", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
    { text: "The earlier answer is complete." },
  );
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "earlier", text: "First task" });
  const earlier = await socket.waitFor("turn.started", (e) => e.clientTurnId === "earlier");
  expect((await socket.waitFor("turn.ended", (e) => e.turnId === earlier.turnId)).status).toBe("completed");
  const before = await messagesOf(first, session.id);
  expect(before.messages).toHaveLength(3);

  // The turn that will be cut short by the kill.
  const words = Array.from({ length: 400 }, (_, i) => `word${i} `);
  fake.enqueue({ reasoning: "Planning a long reply.", text: words, tokenDelayMs: 15 });
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "doomed", text: "Second task" });
  const doomed = await socket.waitFor("turn.started", (e) => e.clientTurnId === "doomed");
  await eventually(
    () =>
      socket.ofType("message.part.delta").filter((e) => e.delta.startsWith("word")).length >= 30
        ? true
        : undefined,
    15_000,
    "30 text deltas",
  );
  first.process.child.kill("SIGKILL");
  expect(await first.process.exited(5000)).not.toBe(0);
  const seen = socket.transcript(session.id);
  socket.close();
  const seenText = seen.order
    .map((id) => seen.messages[id])
    .filter((m) => m?.turnId === doomed.turnId && m.role === "assistant")
    .map((m) => (seen.parts[m?.id ?? ""] ?? []).map((p) => (p.type === "text" ? p.text : "")).join(""))
    .join("");
  expect(seenText.length).toBeGreaterThan(0);

  // Start again on the same data dir.
  const second = await launch(undefined, Number(new URL(first.url).port));
  const after = await messagesOf(second, session.id);

  // Everything earlier is intact.
  expect(after.messages.slice(0, 3)).toEqual(before.messages);
  // The partial reply is stored (at least all the client saw), marked interrupted, never "streaming".
  const partial = after.messages.find((m) => m.info.turnId === doomed.turnId && m.info.role === "assistant");
  expect(partial?.info.status).toBe("interrupted");
  const storedText = textOf(partial);
  expect(storedText.startsWith(seenText)).toBe(true);
  expect(words.join("").startsWith(storedText)).toBe(true);
  expect(storedText.length).toBeLessThan(words.join("").length);
  expect(partial?.parts.find((p) => p.type === "reasoning")).toMatchObject({
    text: "Planning a long reply.",
  });
  expect(after.messages.every((m) => m.info.status !== "streaming")).toBe(true);
  const { body: summary } = await second.api<{ status: string }>(`/api/sessions/${session.id}`);
  expect(summary.status).toBe("idle");

  // A client resuming after its last seq gets exactly the missing events, ending with the interruption.
  const resumed = await TestSocket.connect(second);
  resumed.send({ type: "subscribe", sessionId: session.id, afterSeq: seen.lastSeq });
  const subscribed = await resumed.waitFor("subscribed");
  expect(subscribed.lastSeq).toBe(after.lastSeq);
  const missed = resumed.events.filter((e) => e.sessionId === session.id && !EPHEMERAL_EVENTS.has(e.type));
  expect(missed.map((e) => e.seq)).toEqual(
    Array.from({ length: after.lastSeq - seen.lastSeq }, (_, i) => seen.lastSeq + i + 1),
  );
  const turnEnded = missed.find((e) => e.type === "turn.ended");
  expect(turnEnded).toMatchObject({ turnId: doomed.turnId, status: "interrupted" });
  for (const event of missed) applyEvent(seen, event);
  const stored = emptyTranscript();
  loadMessages(stored, after.messages, after.lastSeq);
  expect(transcriptCore(seen)).toEqual(transcriptCore(stored));
  expect(seen.status).toBe("interrupted");

  // The session carries on: a new turn runs and sees the partial reply in its history.
  const requestsBefore = fake.requests.length;
  fake.enqueue({ text: "Picking up where we stopped." });
  resumed.send({ type: "submit", sessionId: session.id, clientTurnId: "after", text: "Continue" });
  const next = await resumed.waitFor("turn.started", (e) => e.clientTurnId === "after");
  expect((await resumed.waitFor("turn.ended", (e) => e.turnId === next.turnId)).status).toBe("completed");
  expect(JSON.stringify(fake.requests[requestsBefore]?.body?.messages)).toContain(storedText.trim());
  // The same clientTurnId after the restart is still recognised as a duplicate.
  resumed.send({ type: "submit", sessionId: session.id, clientTurnId: "doomed", text: "Second task" });
  resumed.send({ type: "ping", t: 9 });
  await resumed.waitFor("pong", (e) => e.t === 9);
  await Bun.sleep(100);
  expect(resumed.ofType("turn.started").filter((e) => e.clientTurnId === "doomed")).toHaveLength(0);
  resumed.close();

  // A clean stop leaves no turn running and exits 0.
  second.process.child.kill("SIGTERM");
  expect(await second.process.exited(10_000)).toBe(0);
}, 240_000);

test("kill -9 while a tool runs: after restart the call is interrupted everywhere, never 'running'", async () => {
  const { fake, launch, seededDir } = executable();
  const dir = await seededDir("sage-crash-tool-");
  const first = await launch(dir);
  const { body: session } = await first.api<{ id: string }>("/api/sessions", { json: {} });
  const socket = await TestSocket.connect(first);
  socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await socket.waitFor("subscribed");
  fake.enqueue({
    toolCalls: [{ id: "call_slow", name: "shell", arguments: { command: "echo sleeping-now; sleep 20" } }],
  });
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "slow-tool", text: "Run it" });
  await socket.waitFor("turn.started", (e) => e.clientTurnId === "slow-tool");
  const approval = await socket.waitFor("approval.requested", () => true, 15_000);
  socket.send({
    type: "approve",
    sessionId: session.id,
    approvalId: approval.approvalId,
    decision: "once",
  });
  await socket.waitFor("tool.progress", (e) => e.text.includes("sleeping-now"), 15_000);
  first.process.child.kill("SIGKILL");
  expect(await first.process.exited(5000)).not.toBe(0);
  const seen = socket.transcript(session.id);
  socket.close();
  const toolIn = (state: typeof seen) =>
    Object.values(state.parts)
      .flat()
      .find((part) => part?.type === "tool" && part.callId === "call_slow");
  expect(toolIn(seen)).toMatchObject({ status: "running" }); // what the open window showed

  const second = await launch(dir, Number(new URL(first.url).port));
  const after = await messagesOf(second, session.id);
  const stored = after.messages.flatMap((m) => m.parts).find((p) => p.type === "tool");
  expect(stored).toMatchObject({ type: "tool", callId: "call_slow", status: "error" });
  expect(stored?.type === "tool" ? stored.error : "").toContain("Interrupted");
  expect(after.messages.every((m) => m.info.status !== "streaming")).toBe(true);
  const { body: summary } = await second.api<{ status: string }>(`/api/sessions/${session.id}`);
  expect(summary.status).toBe("idle");

  // A window that stayed open resumes after its last seq: the call stops showing as running.
  const resumed = await TestSocket.connect(second);
  resumed.send({ type: "subscribe", sessionId: session.id, afterSeq: seen.lastSeq });
  await resumed.waitFor("subscribed");
  for (const event of resumed.events)
    if (event.sessionId === session.id && !EPHEMERAL_EVENTS.has(event.type)) applyEvent(seen, event);
  expect(toolIn(seen)).toMatchObject({ status: "error" });
  expect(seen.status).toBe("interrupted");
  // A window that opens now (stored messages, then live from their seq) agrees.
  const fresh = emptyTranscript();
  loadMessages(fresh, after.messages, after.lastSeq);
  expect(toolIn(fresh)).toMatchObject({ status: "error" });
  expect(transcriptCore(seen)).toEqual(transcriptCore(fresh));
  resumed.close();
  second.process.child.kill("SIGTERM");
  expect(await second.process.exited(10_000)).toBe(0);
}, 120_000);

test("kill -9 during a slow stream loses nothing that was sent: every event a client received is stored (the journal held the uncommitted ones)", async () => {
  const { fake, launch, seededDir } = executable();
  const dir = await seededDir("sage-crash-slow-");
  const journal = journalPathFor(resolvePaths({}, dir).database);
  const first = await launch(dir);
  const { body: session } = await first.api<{ id: string }>("/api/sessions", { json: {} });
  await first.api(`/api/sessions/${session.id}`, { method: "PATCH", json: { title: "Slow" } });
  const socket = await TestSocket.connect(first);
  socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await socket.waitFor("subscribed");
  // One token every 20 ms: each is its own batch, sent long before the next SQLite commit.
  const words = Array.from({ length: 600 }, (_, i) => `slow${i} `);
  fake.enqueue({ text: words, tokenDelayMs: 20 });
  socket.send({ type: "submit", sessionId: session.id, clientTurnId: "slow", text: "Go slowly" });
  const turn = await socket.waitFor("turn.started", (e) => e.clientTurnId === "slow");
  await eventually(
    () => (socket.ofType("message.part.delta").length >= 60 ? true : undefined),
    20_000,
    "60 deltas",
  );
  // Killed right as a token arrives: the events since the last commit are in the journal only.
  const last = socket.events.at(-1)?.seq ?? 0;
  await socket.waitFor("message.part.delta", (e) => e.seq > last, 5000, true);
  first.process.child.kill("SIGKILL");
  expect(await first.process.exited(5000)).not.toBe(0);
  const seen = socket.events.filter(
    (e) => e.sessionId === session.id && !EPHEMERAL_EVENTS.has(e.type) && e.seq > 0,
  );
  const seenText = seen.map((e) => (e.type === "message.part.delta" ? e.delta : "")).join("");
  socket.close();
  // The window was open: sent events were waiting for their commit when the process died.
  expect(statSync(journal).size).toBeGreaterThan(0);

  const second = await launch(dir, Number(new URL(first.url).port));
  // The journal was stored and emptied at start.
  expect(existsSync(journal) ? statSync(journal).size : 0).toBe(0);
  const replay = await TestSocket.connect(second);
  replay.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await replay.waitFor("subscribed");
  const stored = new Map(
    replay.events.filter((e) => e.sessionId === session.id && e.seq > 0).map((e) => [e.seq, e]),
  );
  // Every event the first client received is stored, byte for byte (window: 0 events on kill -9).
  for (const event of seen) expect(stored.get(event.seq)).toEqual(event);
  expect(await replay.waitFor("turn.ended", (e) => e.turnId === turn.turnId)).toMatchObject({
    status: "interrupted",
  });
  const after = await messagesOf(second, session.id);
  const partial = after.messages.find((m) => m.info.turnId === turn.turnId && m.info.role === "assistant");
  const storedText = textOf(partial);
  expect(seenText.length).toBeGreaterThan(0);
  expect(storedText.startsWith(seenText)).toBe(true);
  expect(words.join("").startsWith(storedText)).toBe(true);
  replay.close();
  // A clean exit commits everything and leaves no journal behind.
  second.process.child.kill("SIGTERM");
  expect(await second.process.exited(10_000)).toBe(0);
  expect(existsSync(journal)).toBe(false);
}, 120_000);
