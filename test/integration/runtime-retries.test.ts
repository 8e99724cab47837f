/**
 * Automatic retries are one attempt in the transcript, not one message per try (issue 11, part 4):
 * after `error:500` or a stream cut mid-answer, the chat, the stored page, the Markdown and JSON
 * exports and the next model request hold the answer once; the failed attempts stay in the database
 * (marked superseded) and the visible message lists their errors in `attempts`. While the turn backs
 * off the user sees one message with the error; when every attempt fails, one message with the final
 * error, and Retry (regenerate) still works.
 */
import { describe, expect, test } from "bun:test";
import type { Message } from "../../src/shared/parts.ts";
import { useBackend } from "../support/backend.ts";
import {
  conversationText,
  ended,
  eventually,
  modelRequests,
  openSession,
  runTurn,
  type Subscribed,
  storedMessages,
  submit,
  textOf,
} from "../support/session-steps.ts";

const app = useBackend();

const serverError = { error: { status: 500, retryAfterSeconds: 0 } };

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

async function exported(sessionId: string, format: "md" | "json"): Promise<string> {
  const response = await fetch(`${app().url}/api/sessions/${sessionId}/export?format=${format}`, {
    headers: { authorization: `Bearer ${app().token}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** Every assistant row of the session in the database, any branch, oldest first. */
function storedAssistantRows(sessionId: string): { id: string; superseded_by: string | null }[] {
  return app()
    .running.backend.context.db.query(
      "SELECT id, superseded_by FROM messages WHERE session_id = ? AND role = 'assistant' ORDER BY created_at, rowid",
    )
    .all(sessionId) as { id: string; superseded_by: string | null }[];
}

/** The visible (active-order) messages of the socket's live transcript. */
function liveMessages(session: Subscribed): Message[] {
  const state = session.socket.transcript(session.sessionId);
  return state.order.map((id) => ({ info: state.messages[id], parts: state.parts[id] ?? [] }) as Message);
}

/** The next turn's model request, as text. */
async function nextRequest(session: Subscribed): Promise<string> {
  const from = app().fake.requests.length;
  app().fake.enqueue({ text: "Next turn answered." });
  expect((await runTurn(session, "And now?")).status).toBe("completed");
  const [request] = modelRequests(app(), from);
  return conversationText(request);
}

describe("a retried step is one message", () => {
  test("error:500 twice, then the answer: one assistant message that says it was retried twice", async () => {
    const session = await openSession(app());
    const answer = "The answer after two retries.";
    app().fake.enqueue(serverError, serverError, { text: answer });
    expect((await runTurn(session, "Hello")).status).toBe("completed");

    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => [m.info.role, m.info.status])).toEqual([
      ["user", "completed"],
      ["assistant", "completed"],
    ]);
    const final = messages[1] as Message;
    expect(textOf(final)).toBe(answer);
    expect(final.parts.some((p) => p.type === "error")).toBe(false);
    expect(final.info.versions).toBeUndefined();
    const attempts = final.info.attempts ?? [];
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ code: "server_error" });
      expect(attempt.message).toContain("500");
      expect(attempt.at).toBeGreaterThanOrEqual(final.info.createdAt - 60_000);
    }
    expect((attempts[0]?.at ?? 0) <= (attempts[1]?.at ?? 0)).toBe(true);

    // The live view built from the events shows the same single message.
    const live = liveMessages(session);
    expect(live.map((m) => m.info.id)).toEqual(messages.map((m) => m.info.id));
    expect(live[1]?.info.attempts).toEqual(attempts);

    // The failed attempts are kept, marked as superseded (each by the attempt that replaced it).
    const rows = storedAssistantRows(session.sessionId);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.superseded_by)).toEqual([rows[1]?.id, final.info.id, null]);
    expect(attempts.map((a) => a.messageId)).toEqual([rows[0]?.id, rows[1]?.id]);
    const summary = await app().api<{ messageCount: number }>(`/api/sessions/${session.sessionId}`);
    expect(summary.body.messageCount).toBe(2);

    const markdown = await exported(session.sessionId, "md");
    expect(count(markdown, answer)).toBe(1);
    expect(count(markdown, "## Sage")).toBe(1);
    expect(markdown).toContain("Retried 2 times");
    const json = await exported(session.sessionId, "json");
    expect(count(json, answer)).toBe(1);
    const body = JSON.parse(json) as { messages: { role: string; attempts?: unknown[] }[] };
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(body.messages[1]?.attempts).toHaveLength(2);
    // Imported back, the answer still says it was retried twice (the attempts' messages were not exported).
    const imported = await app().api<{ id: string }>("/api/sessions/import", { json: body });
    expect(imported.status).toBe(200);
    const copy = await storedMessages(app(), imported.body.id);
    expect(copy.map((m) => m.info.role)).toEqual(["user", "assistant"]);
    expect(copy[1]?.info.attempts?.map((a) => [a.code, a.messageId])).toEqual([
      ["server_error", undefined],
      ["server_error", undefined],
    ]);

    const request = await nextRequest(session);
    expect(count(request, answer)).toBe(1);
    expect(request).not.toContain("server error");
    session.socket.close();
  });

  test("a stream cut mid-answer: the partial sentence is kept in the database but shown, exported and sent once", async () => {
    const session = await openSession(app());
    const sentence = "Alpha beta gamma delta epsilon.";
    // Events: the role chunk, "Alpha ", "beta ", then the reset. Paced, so "Alpha " is read before the
    // reset (a reset may drop bytes the client has not read yet: "beta " may or may not arrive).
    app().fake.enqueue({ text: sentence, cutAfterChunks: 3, tokenDelayMs: 40 }, { text: sentence });
    expect((await runTurn(session, "Explain")).status).toBe("completed");

    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.role)).toEqual(["user", "assistant"]);
    const final = messages[1] as Message;
    expect(textOf(final)).toBe(sentence);
    expect(final.info.attempts?.map((a) => a.code)).toEqual(["stream_cut"]);
    expect(final.info.attempts?.[0]?.message).toContain("broke off");

    const live = liveMessages(session);
    expect(live.map((m) => m.info.id)).toEqual(messages.map((m) => m.info.id));
    expect(count(live.map(textOf).join("\n"), "Alpha")).toBe(1);

    // The partial attempt is still stored, with the text that streamed and its error, for the record.
    const [superseded] = storedAssistantRows(session.sessionId);
    expect(superseded?.superseded_by).toBe(final.info.id);
    const [partial] = app().running.backend.context.sessionRepo.messagesById([superseded?.id ?? ""]);
    const streamed = session.socket
      .ofType("message.part.delta")
      .filter((e) => e.messageId === superseded?.id)
      .map((e) => e.delta)
      .join("");
    expect(streamed.startsWith("Alpha ")).toBe(true);
    expect(textOf(partial)).toBe(streamed);
    expect(partial?.info.supersededBy).toBe(final.info.id);
    expect(partial?.parts.map((p) => p.type)).toEqual(["text", "error"]);
    // Search finds the sentence once, in the message the chat shows.
    const { body: found } = await app().api<{ hits: { sessionId: string; messageId: string | null }[] }>(
      `/api/sessions/search?q=${encodeURIComponent("Alpha")}`,
    );
    expect(found.hits.filter((h) => h.sessionId === session.sessionId).map((h) => h.messageId)).toEqual([
      final.info.id,
    ]);

    expect(count(await exported(session.sessionId, "md"), "Alpha")).toBe(1);
    expect(count(await exported(session.sessionId, "json"), "Alpha")).toBe(1);
    const request = await nextRequest(session);
    expect(count(request, "Alpha")).toBe(1);
    expect(request).not.toContain("broke off");
    session.socket.close();
  });

  test("while it backs off, the chat shows one message with the error, not a growing stack", async () => {
    const session = await openSession(app());
    app().fake.enqueue(serverError, { error: { status: 429, retryAfterSeconds: 60 } });
    const started = await submit(session, "Hello");
    await session.socket.waitFor("turn.retrying", (e) => e.attempt === 2);
    const state = session.socket.transcript(session.sessionId);
    const visible = liveMessages(session).filter((m) => m.info.role === "assistant");
    expect(visible).toHaveLength(1);
    const current = visible[0] as Message;
    expect(current.parts.filter((p) => p.type === "error").map((p) => p.type === "error" && p.code)).toEqual([
      "rate_limited",
    ]);
    expect(current.info.attempts?.map((a) => a.code)).toEqual(["server_error"]);
    expect(state.retry).toMatchObject({ attempt: 2, delayMs: 60_000 });

    // Stop during the wait: the attempt that failed last stays, with the earlier one listed.
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    expect((await ended(session, started.turnId)).status).toBe("stopped");
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.id)).toEqual(liveMessages(session).map((m) => m.info.id));
    expect(messages.map((m) => m.info.role)).toEqual(["user", "assistant"]);
    expect(messages[1]?.info.attempts).toHaveLength(1);
    session.socket.close();
  });

  test("every attempt fails: one message with the final error and four earlier attempts; Retry still works", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(serverError, serverError, serverError, serverError, serverError);
    const end = await runTurn(session, "Try hard");
    expect(end.status).toBe("error");
    expect(modelRequests(app(), from)).toHaveLength(5);

    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => [m.info.role, m.info.status])).toEqual([
      ["user", "completed"],
      ["assistant", "error"],
    ]);
    const failed = messages[1] as Message;
    expect(failed.parts.filter((p) => p.type === "error")).toHaveLength(1);
    expect(failed.info.attempts).toHaveLength(4);
    expect(count(await exported(session.sessionId, "md"), "server error (500)")).toBe(1);

    // Retry (the error's button) regenerates the answer: a second version beside the failed one, not a sixth.
    app().fake.enqueue({ text: "Worked on the retry." });
    const clientTurnId = crypto.randomUUID();
    const { status } = await app().api(`/api/sessions/${session.sessionId}/regenerate`, {
      json: { messageId: messages[0]?.info.id, clientTurnId },
    });
    expect(status).toBe(200);
    const started = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId);
    expect((await ended(session, started.turnId)).status).toBe("completed");
    const after = await storedMessages(app(), session.sessionId);
    expect(after.map((m) => m.info.role)).toEqual(["user", "assistant"]);
    expect(textOf(after[1])).toBe("Worked on the retry.");
    expect(after[1]?.info.versions).toEqual({ index: 2, count: 2 });
    const live = liveMessages(session);
    expect(live.map((m) => m.info.id)).toEqual(after.map((m) => m.info.id));
    expect(live[1]?.info.versions).toEqual({ index: 2, count: 2 });
    const { body } = await app().api<{ siblings: string[] }>(
      `/api/sessions/${session.sessionId}/messages/${failed.info.id}/versions`,
    );
    expect(body.siblings).toEqual([failed.info.id, after[1]?.info.id]);
    session.socket.close();
  });

  test("a session stored before this change (a failed attempt per message, in a row) still loads", async () => {
    const session = await openSession(app());
    const repo = app().running.backend.context.sessionRepo;
    const base = { sessionId: session.sessionId, turnId: null, kind: "normal" as const };
    const ids = ["msg_old_user", "msg_old_err1", "msg_old_err2", "msg_old_ok"];
    ids.forEach((id, index) => {
      repo.insertMessage({
        ...base,
        id,
        role: index === 0 ? "user" : "assistant",
        parentId: index === 0 ? null : (ids[index - 1] as string),
        status: index === 1 || index === 2 ? "error" : "completed",
        createdAt: Date.now() + index,
      });
      repo.savePart(
        session.sessionId,
        id,
        0,
        index === 1 || index === 2
          ? { id: `prt_${id}`, type: "error", code: "server_error", message: "Old 500.", retryable: true }
          : { id: `prt_${id}`, type: "text", text: index === 0 ? "Old question" : "Old answer" },
      );
    });
    const messages = await storedMessages(app(), session.sessionId);
    expect(messages.map((m) => m.info.id)).toEqual(ids);
    expect(messages.every((m) => m.info.attempts === undefined && m.info.supersededBy === undefined)).toBe(
      true,
    );
    expect(count(await exported(session.sessionId, "md"), "Old answer")).toBe(1);
    await eventually(() => (app().fake.pendingReplies === 0 ? true : undefined));
    session.socket.close();
  });
});
