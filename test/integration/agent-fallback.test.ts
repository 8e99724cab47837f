/**
 * Deleting an agent keeps its chats usable: the next turn of such a session runs with the default
 * agent (its instructions, not the deleted agent's), against the fake model over the real socket.
 */
import { expect, test } from "bun:test";
import type { Agent } from "../../src/shared/agent.ts";
import { useBackend } from "../support/backend.ts";
import { conversationText, modelRequests, runTurn } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

test("a session of a deleted agent continues with the default agent", async () => {
  const defaultAgent = app().running.backend.context.agents.defaultAgent();
  app().running.backend.context.agents.update(defaultAgent.id, {
    ...defaultAgent.config,
    systemPrompt: "DEFAULT-AGENT-MARKER",
  });
  const created = await app().api<Agent>("/api/agents", {
    json: { name: "Short-lived", systemPrompt: "DELETED-AGENT-MARKER" },
  });
  expect(created.status).toBe(200);
  const session = await app().api<{ id: string }>("/api/sessions", { json: { agentId: created.body.id } });
  await app().api(`/api/sessions/${session.body.id}`, { method: "PATCH", json: { title: "Kept" } });

  const socket = await TestSocket.connect(app());
  socket.send({ type: "subscribe", sessionId: session.body.id, afterSeq: 0 });
  await socket.waitFor("subscribed", (event) => event.sessionId === session.body.id);
  const subscribed = { sessionId: session.body.id, socket };

  app().fake.enqueue({ text: "First." });
  const before = modelRequests(app()).length;
  expect((await runTurn(subscribed, "Hello")).status).toBe("completed");
  expect(conversationText(modelRequests(app(), before)[0])).toContain("DELETED-AGENT-MARKER");

  expect((await app().api(`/api/agents/${created.body.id}`, { method: "DELETE" })).status).toBe(200);

  app().fake.enqueue({ text: "Second." });
  const after = modelRequests(app()).length;
  expect((await runTurn(subscribed, "Still there?")).status).toBe("completed");
  const request = conversationText(modelRequests(app(), after)[0]);
  expect(request).toContain("DEFAULT-AGENT-MARKER");
  expect(request).not.toContain("DELETED-AGENT-MARKER");
  socket.close();
});
