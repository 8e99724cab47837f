/**
 * The model picked for one session (PATCH /api/sessions/:id {model}) over real HTTP and /ws: turns of
 * that session go to it (including the title and other sessions staying on the agent's default), null
 * goes back to the default, a provider that disappears falls back to the default instead of failing,
 * and bad picks are refused with a clear message.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import type { Provider } from "../../src/shared/provider.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import { useBackend } from "../support/backend.ts";
import { configureAgent, modelRequests, openSession, runTurn } from "../support/session-steps.ts";

let second: Provider;

const app = useBackend();
beforeAll(async () => {
  // A second provider on the same fake server, so requests tell the providers apart by model name.
  second = await app().running.backend.context.providers.create({
    name: "Second",
    kind: "openai-compatible",
    baseUrl: app().fake.url,
    apiKey: "test-key-0001",
    models: [{ id: "second-large", tools: true }, { id: "second-small" }],
    defaultModel: "second-large",
    isDefault: false,
  });
});

async function pick(sessionId: string, model: unknown) {
  return app().api<SessionSummary & { error?: { message: string; field?: string } }>(
    `/api/sessions/${sessionId}`,
    { method: "PATCH", json: { model } },
  );
}

/** The model names of the agent requests made while `run` ran. */
async function modelsUsed(run: () => Promise<unknown>): Promise<string[]> {
  const from = app().fake.requests.length;
  await run();
  return modelRequests(app(), from).map((r) => String(r.body?.model));
}

describe("a model picked for a session", () => {
  test("its turns go to the picked model; other sessions keep the agent's default", async () => {
    const session = await openSession(app());
    const other = await openSession(app());
    const picked = await pick(session.sessionId, { providerId: second.id, model: "second-small" });
    expect(picked.status).toBe(200);
    expect(picked.body.model).toEqual({ providerId: second.id, model: "second-small" });
    // Clients hear about it (the sidebar and an open chat show the choice).
    const updated = await session.socket.waitFor(
      "session.updated",
      (e) => e.sessionId === session.sessionId && e.session.model !== undefined,
    );
    expect(updated.session.model?.model).toBe("second-small");

    app().fake.enqueue({ text: "from the small one" });
    expect(await modelsUsed(() => runTurn(session, "hello"))).toEqual(["second-small"]);
    app().fake.enqueue({ text: "from the default" });
    expect(await modelsUsed(() => runTurn(other, "hello"))).toEqual(["fake-model"]);

    // Kept with the session.
    const listed = await app().api<SessionSummary>(`/api/sessions/${session.sessionId}`);
    expect(listed.body.model).toEqual({ providerId: second.id, model: "second-small" });

    // null: back to the agent's default.
    expect((await pick(session.sessionId, null)).body.model).toBeUndefined();
    app().fake.enqueue({ text: "default again" });
    expect(await modelsUsed(() => runTurn(session, "and now?"))).toEqual(["fake-model"]);
    session.socket.close();
    other.socket.close();
  });

  test("the agent's own model and fast model are not asked of another provider", async () => {
    configureAgent(app(), { model: "fake-model", fastModel: "fake-model" });
    try {
      const session = await openSession(app(), { titled: false });
      await pick(session.sessionId, { providerId: second.id, model: "second-large" });
      app().fake.enqueue({ text: "an answer" });
      const from = app().fake.requests.length;
      await runTurn(session, "first question");
      // The title is made after the turn, by the picked provider's model (it has no fast model).
      await session.socket.waitFor("session.updated", (e) => e.session.title !== "");
      const used = app()
        .fake.requests.slice(from)
        .filter((r) => r.path === "/v1/chat/completions")
        .map((r) => String(r.body?.model));
      expect(used).toEqual(["second-large", "second-large"]);
      session.socket.close();
    } finally {
      configureAgent(app(), { model: undefined, fastModel: undefined });
    }
  });

  test("when the picked provider is deleted, the session falls back to the default", async () => {
    const doomed = await app().running.backend.context.providers.create({
      name: "Doomed",
      kind: "openai-compatible",
      baseUrl: app().fake.url,
      apiKey: "test-key-0001",
      models: [{ id: "doomed-model" }],
      defaultModel: "doomed-model",
      isDefault: false,
    });
    const session = await openSession(app());
    expect((await pick(session.sessionId, { providerId: doomed.id, model: "doomed-model" })).status).toBe(
      200,
    );
    await app().running.backend.context.providers.delete(doomed.id);
    app().fake.enqueue({ text: "still answering" });
    expect(await modelsUsed(() => runTurn(session, "are you there?"))).toEqual(["fake-model"]);
    session.socket.close();
  });
});

describe("bad picks", () => {
  test("an unknown provider is refused with a message naming the field; nothing changes", async () => {
    const session = await openSession(app());
    const refused = await pick(session.sessionId, { providerId: "prv_nope", model: "x" });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.field).toBe("model");
    expect(refused.body.error?.message).toContain("provider");
    expect(
      (await app().api<SessionSummary>(`/api/sessions/${session.sessionId}`)).body.model,
    ).toBeUndefined();
    session.socket.close();
  });

  test.each([
    ["an empty model name", { providerId: "prv_x", model: "" }],
    ["a missing provider id", { model: "fake-model" }],
    ["a string instead of an object", "fake-model"],
  ])("%s is refused by the schema", async (_, model) => {
    const session = await openSession(app());
    const refused = await pick(session.sessionId, model);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    session.socket.close();
  });

  test("a session that does not exist is a 404", async () => {
    expect((await pick("ses_missing", null)).status).toBe(404);
  });
});
