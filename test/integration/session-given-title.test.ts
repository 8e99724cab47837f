/**
 * A title given at POST /api/sessions is the user's (real HTTP and /ws, fake model server): it is kept
 * after the first turn, and no title request goes to the model for that session. A session created
 * without one still gets its title generated (the control that shows the title path ran meanwhile).
 */
import { expect, test } from "bun:test";
import type { SessionSummary } from "../../src/shared/session.ts";
import type { FakeRequest } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";
import { modelRequests, runTurn, type Subscribed } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

async function created(body: Record<string, unknown>): Promise<Subscribed & { summary: SessionSummary }> {
  const { status, body: summary } = await app().api<SessionSummary>("/api/sessions", { json: body });
  expect(status).toBe(200);
  const socket = await TestSocket.connect(app());
  socket.send({ type: "subscribe", sessionId: summary.id, afterSeq: 0 });
  await socket.waitFor("subscribed", (e) => e.sessionId === summary.id);
  return { sessionId: summary.id, socket, summary };
}

/** Title requests are the ones whose system prompt asks for a chat's name. */
function titleRequests(requests: FakeRequest[]): FakeRequest[] {
  return requests.filter((request) =>
    JSON.stringify(request.body?.messages ?? []).includes("name chat sessions"),
  );
}

test("a title given at creation is kept and no title request is sent for it", async () => {
  const from = app().fake.requests.length;
  const titled = await created({ title: "Quarterly numbers" });
  expect(titled.summary.title).toBe("Quarterly numbers");

  app().fake.enqueue({ text: "Here are the numbers." });
  await runTurn(titled, "Show me the quarterly numbers");

  // Control: an untitled session's first turn asks the model for a title. Once that title has arrived,
  // a title request for the first session (started earlier, after its own turn) would have arrived too.
  const untitled = await created({});
  app().fake.enqueue({ text: "Hello there." });
  await runTurn(untitled, "Say hello");
  await untitled.socket.waitFor("session.updated", (e) => e.session.title !== "");

  const titles = titleRequests(modelRequests(app(), from));
  expect(titles).toHaveLength(1);
  expect(JSON.stringify(titles[0]?.body?.messages)).toContain("Say hello");

  const after = await app().api<SessionSummary>(`/api/sessions/${titled.sessionId}`);
  expect(after.body.title).toBe("Quarterly numbers");
  expect(
    titled.socket.ofType("session.updated").filter((e) => e.session.title !== "Quarterly numbers"),
  ).toEqual([]);
  titled.socket.close();
  untitled.socket.close();
});

test("a blank title counts as none: the first turn names the session", async () => {
  const blank = await created({ title: "   " });
  expect(blank.summary.title).toBe("");
  app().fake.enqueue({ text: "Sure." });
  await runTurn(blank, "Plan a picnic");
  const named = await blank.socket.waitFor("session.updated", (e) => e.session.title !== "");
  expect(named.session.title).not.toBe("");
  blank.socket.close();
});
