import { expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import { newSession } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

test("a text turn streams over /ws and is stored", async () => {
  const sessionId = await newSession(app());
  const socket = await TestSocket.connect(app());
  socket.send({ type: "subscribe", sessionId, afterSeq: 0 });
  await socket.waitFor("subscribed");
  app().fake.enqueue({ reasoning: "Thinking it over.", text: ["Hello", " there", ", friend."] });
  socket.send({ type: "submit", sessionId, clientTurnId: "c1", text: "Say hello" });
  const ended = await socket.waitFor("turn.ended");
  expect(ended.status).toBe("completed");
  const deltas = socket.ofType("message.part.delta").map((e) => e.delta);
  expect(deltas.join("")).toContain("Hello there, friend.");
  const state = socket.transcript(sessionId);
  const assistant = state.order.flatMap((id) => state.parts[id]).filter((p) => p?.type === "text");
  expect(assistant.map((p) => (p?.type === "text" ? p.text : "")).join("|")).toBe(
    "Say hello|Hello there, friend.",
  );
  const reasoning = Object.values(state.parts)
    .flat()
    .find((p) => p.type === "reasoning");
  expect(reasoning?.type === "reasoning" && reasoning.text).toBe("Thinking it over.");
  // Stored: the messages API returns the same transcript.
  const { body } = await app().api<{
    messages: { info: { role: string }; parts: { type: string; text?: string }[] }[];
  }>(`/api/sessions/${sessionId}/messages`);
  expect(body.messages.map((m) => m.info.role)).toEqual(["user", "assistant"]);
  expect(body.messages[1]?.parts.find((p) => p.type === "text")?.text).toBe("Hello there, friend.");
  // The model received the user's text.
  const sent = app().fake.lastRequest?.body as { messages: { role: string; content: unknown }[] };
  expect(JSON.stringify(sent.messages.at(-1))).toContain("Say hello");
  socket.close();
});
