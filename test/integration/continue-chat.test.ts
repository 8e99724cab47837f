/**
 * "Continue in a new chat" (POST /api/sessions/:id/continue): a new session with the same agent and
 * model pick, whose first message is a summary of the old chat linking back to it, with the open todo
 * items moved along. The model then sees the summary and none of the old messages. A failed summary
 * creates nothing.
 */
import { describe, expect, test } from "bun:test";
import type { TodoItem } from "../../src/shared/events.ts";
import type { CompactionPart } from "../../src/shared/parts.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import { useBackend } from "../support/backend.ts";
import {
  conversationText,
  modelRequests,
  openSession,
  runTurn,
  type Subscribed,
  storedMessages,
} from "../support/session-steps.ts";

const app = useBackend({ contextWindow: 20_000 });

/** A chat with two exchanges and a todo list (one item done, two open). */
async function workedChat(): Promise<Subscribed> {
  const session = await openSession(app());
  app().fake.enqueue(
    {
      toolCalls: [
        {
          name: "todo",
          arguments: {
            todos: [
              { text: "Parse the config", status: "done" },
              { text: "Write the migration", status: "in_progress" },
              { text: "Update the docs", status: "pending" },
            ],
          },
        },
      ],
    },
    { text: "The config is parsed; the migration is next." },
  );
  await runTurn(session, "Move the app to the new config format");
  app().fake.enqueue({ text: "It uses YAML." });
  await runTurn(session, "Which format is the new config?");
  return session;
}

async function continueChat(sessionId: string) {
  return app().api<SessionSummary & { error?: { code: string; message: string } }>(
    `/api/sessions/${sessionId}/continue`,
    { method: "POST" },
  );
}

describe("continue in a new chat", () => {
  test("creates a session seeded with a summary that links back, with the open todos", async () => {
    const old = await workedChat();
    const { body: oldSession } = await app().api<SessionSummary>(`/api/sessions/${old.sessionId}`);
    // The chat's own model pick goes along.
    const providerId = app().running.backend.context.providers.list()[0]?.id ?? "";
    await app().api(`/api/sessions/${old.sessionId}`, {
      method: "PATCH",
      json: { model: { providerId, model: "fake-model" } },
    });
    const before = await storedMessages(app(), old.sessionId);
    const from = app().fake.requests.length;
    app().fake.enqueue({ text: "SUMMARY: moving the app to YAML config; migration in progress." });
    const { status, body } = await continueChat(old.sessionId);
    expect(status).toBe(200);
    expect(body.id).not.toBe(old.sessionId);
    expect(body.title).toBe("Test (continued)");
    expect(body.agentId).toBe(oldSession.agentId);
    expect(body.model).toEqual({ providerId, model: "fake-model" });

    // The summary request saw the old chat and was not streamed.
    const summaryRequest = modelRequests(app(), from)[0];
    expect(summaryRequest?.body?.stream).not.toBe(true);
    expect(conversationText(summaryRequest)).toContain("Move the app to the new config format");

    const messages = await storedMessages(app(), body.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.info.kind).toBe("summary");
    const part = messages[0]?.parts[0] as CompactionPart;
    expect(part).toMatchObject({ type: "compaction", mode: "summary", fromSessionId: old.sessionId });
    expect(part.summary).toStartWith("SUMMARY: moving the app to YAML config");
    expect(part.summary).toContain("> Which format is the new config?");
    expect(part.summary).toContain("- [in_progress] Write the migration");
    expect(part.summary).not.toContain("Parse the config");
    expect(part.replacedCount).toBe(before.length);

    const todos = JSON.parse(
      app().running.backend.context.sessionRepo.getSession(body.id).todos,
    ) as TodoItem[];
    expect(todos.map((t) => t.text)).toEqual(["Write the migration", "Update the docs"]);
    // The old chat is unchanged.
    expect(await storedMessages(app(), old.sessionId)).toEqual(before);

    // The model sees the summary and nothing of the old chat.
    const next = await openSession(app(), { titled: false });
    next.socket.send({ type: "subscribe", sessionId: body.id, afterSeq: 0 });
    await next.socket.waitFor("subscribed", (e) => e.sessionId === body.id);
    const later = app().fake.requests.length;
    app().fake.enqueue({ text: "Continuing with the migration." });
    const end = await runTurn({ sessionId: body.id, socket: next.socket }, "Go on");
    expect(end.status).toBe("completed");
    const request = conversationText(modelRequests(app(), later)[0]);
    expect(request).toContain("SUMMARY: moving the app to YAML config");
    expect(request).not.toContain("It uses YAML.");
    expect(request).toContain("Go on");
    old.socket.close();
    next.socket.close();
  });

  test("a failed summary creates nothing and says why (502)", async () => {
    const old = await workedChat();
    const { body: list } = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=500");
    app().fake.enqueue({ error: { status: 400, message: "no summaries today" } });
    const { status, body } = await continueChat(old.sessionId);
    expect(status).toBe(502);
    expect(body.error?.code).toBe("summary_failed");
    expect(body.error?.message).toContain("no summaries today");
    const { body: after } = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=500");
    expect(after.sessions.length).toBe(list.sessions.length);
    old.socket.close();
  });

  test("an empty chat cannot be continued (400); an unknown one is a 404", async () => {
    const empty = await openSession(app());
    expect((await continueChat(empty.sessionId)).status).toBe(400);
    expect((await continueChat("ses_unknown")).status).toBe(404);
    empty.socket.close();
  });
});
