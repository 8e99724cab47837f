/**
 * Export and import of a chat with sub-agents (the delegate tool), over real HTTP after real turns (the
 * fake model routes requests by the sub-agent's name in its system prompt):
 * - Markdown: the parent's conversation, then a section per sub-agent's chat (a grandchild's too), each
 *   named by its delegate call; a plan-mode message is labelled;
 * - JSON: children nested with their messages (the grandchild under its parent), plan flags kept;
 * - import: the children come back as sub-agents' chats linked to the imported delegate calls (the
 *   cards name the new chats), not listed in the sidebar; an export without children still imports;
 *   a child whose call is missing is left out; a malformed child is refused before anything is written.
 */
import { describe, expect, test } from "bun:test";
import { EXPORT_CHILDREN_LIMIT, type SessionExport } from "../../src/sessions/export-format.ts";
import type { ToolPart } from "../../src/shared/parts.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import type { FakeReply, FakeRequest } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";
import { ended, openSession, partsOf, storedMessages } from "../support/session-steps.ts";

const scripts = new Map<string, FakeReply[]>();

function routeOf(request: FakeRequest): string {
  const system = JSON.stringify(request.body?.messages?.[0] ?? request.body?.system ?? "");
  return /You are working as \\"([^"\\]+)\\"/.exec(system)?.[1] ?? "parent";
}

function script(route: string, ...replies: FakeReply[]): void {
  scripts.set(route, [...(scripts.get(route) ?? []), ...replies]);
}

const app = useBackend({
  fallback: (request) => scripts.get(routeOf(request))?.shift() ?? { text: "(no script)" },
});

const sub = (name: string, task: string) => ({
  name: "delegate",
  arguments: { task, subagent: { name, instructions: `You are ${name}.` } },
});

async function exported(sessionId: string, format: "md" | "json"): Promise<string> {
  const response = await fetch(`${app().url}/api/sessions/${sessionId}/export?format=${format}`, {
    headers: { authorization: `Bearer ${app().token}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** A chat that delegated to Alpha (who delegated to Gamma) and to Beta; the user's message in plan mode off. */
let parentId = "";
async function delegatingChat(): Promise<string> {
  if (parentId) return parentId;
  script(
    "parent",
    {
      toolCalls: [
        { id: "d_a", ...sub("Alpha", "Survey the code") },
        { id: "d_b", ...sub("Beta", "Read docs") },
      ],
    },
    { text: "Both sub-agents reported." },
  );
  script(
    "Alpha",
    { toolCalls: [{ id: "d_g", ...sub("Gamma", "Count tests") }] },
    { text: "Alpha: 3 modules." },
  );
  script("Gamma", { text: "Gamma counted 12 tests." });
  script("Beta", { text: "Beta read the docs." });
  const session = await openSession(app());
  const clientTurnId = crypto.randomUUID();
  session.socket.send({
    type: "submit",
    sessionId: session.sessionId,
    clientTurnId,
    text: "Split the survey",
  });
  const started = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId);
  expect((await ended(session, started.turnId, 20_000)).status).toBe("completed");
  session.socket.close();
  parentId = session.sessionId;
  return parentId;
}

describe("export with sub-agents", () => {
  test("Markdown: a section per sub-agent's chat after the conversation, named by its call", async () => {
    const md = await exported(await delegatingChat(), "md");
    const conversationEnd = md.indexOf("Both sub-agents reported.");
    const alpha = md.indexOf("# Sub-agent chat: Alpha: Survey the code");
    const gamma = md.indexOf("# Sub-agent chat: Gamma: Count tests");
    const beta = md.indexOf("# Sub-agent chat: Beta: Read docs");
    expect(conversationEnd).toBeGreaterThan(0);
    // Call order, depth-first: Alpha, its Gamma, then Beta; all after the parent's conversation.
    expect(alpha).toBeGreaterThan(conversationEnd);
    expect(gamma).toBeGreaterThan(alpha);
    expect(beta).toBeGreaterThan(gamma);
    expect(md).toContain("_Its chat: see “Sub-agent chat: Alpha: Survey the code” below._");
    expect(md).toContain("_Sub-agent Gamma, working on a task delegated by “Alpha: Survey the code”._");
    expect(md.slice(gamma, beta)).toContain("Gamma counted 12 tests.");
    expect(md.slice(beta)).toContain("## Beta — ");
    expect(md.slice(beta)).toContain("Beta read the docs.");
  });

  test("JSON nests the children with their messages; import restores them linked to the new calls", async () => {
    const id = await delegatingChat();
    const data = JSON.parse(await exported(id, "json")) as SessionExport;
    expect(data.children?.map((c) => [c.title, c.depth, c.subagent?.name])).toEqual([
      ["Alpha: Survey the code", 1, "Alpha"],
      ["Beta: Read docs", 1, "Beta"],
    ]);
    const [alpha] = data.children ?? [];
    expect(alpha?.children?.map((c) => [c.title, c.depth])).toEqual([["Gamma: Count tests", 2]]);
    expect(alpha?.messages.map((m) => m.role)).toEqual(["user", "assistant", "assistant"]);
    const calls = data.messages.flatMap((m) => m.parts).filter((p) => p.type === "tool");
    expect(calls.map((p) => p.id)).toContain(alpha?.callPartId as string);
    expect(data.childrenOmitted).toBeUndefined();

    const imported = await app().api<SessionSummary>("/api/sessions/import", { json: data });
    expect(imported.status).toBe(200);
    const newId = imported.body.id;
    const delegateCards = partsOf(await storedMessages(app(), newId), "tool") as ToolPart[];
    expect(delegateCards).toHaveLength(2);
    const childOf = (card: ToolPart | undefined) => card?.output?.details?.childSessionId as string;
    const newAlpha = childOf(delegateCards[0]);
    expect(newAlpha).toBeTruthy();
    expect(newAlpha).not.toBe(alpha?.sessionId);
    expect(delegateCards[0]?.progress ?? "").not.toContain(alpha?.sessionId as string);
    const alphaSummary = await app().api<SessionSummary>(`/api/sessions/${newAlpha}`);
    expect(alphaSummary.body.parent).toEqual({
      sessionId: newId,
      partId: delegateCards[0]?.id as string,
      name: "Alpha",
    });
    expect((await storedMessages(app(), newAlpha)).map((m) => m.parts.map((p) => p.type))).toEqual(
      alpha?.messages.map((m) => m.parts.map((p) => p.type)),
    );
    // The grandchild hangs under the imported Alpha's own delegate call.
    const alphaCall = partsOf(await storedMessages(app(), newAlpha), "tool")[0] as ToolPart;
    const newGamma = childOf(alphaCall);
    const gamma = await app().api<SessionSummary>(`/api/sessions/${newGamma}`);
    expect(gamma.body.parent).toMatchObject({ sessionId: newAlpha, partId: alphaCall.id });
    expect(gamma.body.title).toBe("Gamma: Count tests");
    // Imported children are sub-agents' chats: not listed, and read-only.
    const list = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=200");
    expect(list.body.sessions.map((s) => s.id)).toContain(newId);
    expect(list.body.sessions.map((s) => s.id)).not.toContain(newAlpha);
    const refused = await app().api(`/api/sessions/${newAlpha}/regenerate`, {
      json: { messageId: (await storedMessages(app(), newAlpha))[0]?.info.id, clientTurnId: "x-1" },
    });
    expect(refused.status).toBe(409);
    // Exporting the import again gives the same tree.
    const again = JSON.parse(await exported(newId, "json")) as SessionExport;
    expect(again.children?.map((c) => [c.title, c.children?.map((g) => g.title) ?? []])).toEqual([
      ["Alpha: Survey the code", ["Gamma: Count tests"]],
      ["Beta: Read docs", []],
    ]);
  });

  test("plan-mode messages keep their flag through export and import", async () => {
    const session = await openSession(app());
    script("parent", { text: "Here is what I would do." });
    const clientTurnId = crypto.randomUUID();
    session.socket.send({
      type: "submit",
      sessionId: session.sessionId,
      clientTurnId,
      text: "Think first",
      options: { plan: true },
    });
    const started = await session.socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId);
    await ended(session, started.turnId);
    session.socket.close();
    expect(await exported(session.sessionId, "md")).toContain("## You (plan mode) — ");
    const data = JSON.parse(await exported(session.sessionId, "json")) as SessionExport;
    expect(data.messages[0]?.plan).toBe(true);
    expect(data.messages[1]?.plan).toBeUndefined();
    expect(data.children).toBeUndefined();
    const imported = await app().api<SessionSummary>("/api/sessions/import", { json: data });
    const [user] = await storedMessages(app(), imported.body.id);
    expect(user?.info.plan).toBe(true);
  });

  test("a child whose call is missing is left out; a malformed child is refused and nothing is written", async () => {
    const data = JSON.parse(await exported(await delegatingChat(), "json")) as SessionExport;
    const [alpha, beta] = data.children ?? [];
    const orphan = {
      ...(beta as NonNullable<typeof beta>),
      callPartId: "prt_not_there",
      sessionId: "ses_orphan",
    };
    const imported = await app().api<SessionSummary>("/api/sessions/import", {
      json: { ...data, children: [alpha, orphan] },
    });
    expect(imported.status).toBe(200);
    const cards = partsOf(await storedMessages(app(), imported.body.id), "tool") as ToolPart[];
    const alphaCard = await app().api<SessionSummary>(
      `/api/sessions/${cards[0]?.output?.details?.childSessionId as string}`,
    );
    expect(alphaCard.body.parent?.sessionId).toBe(imported.body.id);
    // Beta's card names no chat: not the original's Beta, which was not imported.
    expect(cards[1]?.output?.details?.childSessionId).toBeUndefined();
    expect(cards[1]?.progress ?? "").not.toContain(beta?.sessionId as string);
    expect(cards[1]?.output?.text).toBe("Beta read the docs.");

    const before = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=200");
    const bad = await app().api<{ error: { message: string } }>("/api/sessions/import", {
      json: { ...data, children: [{ ...alpha, depth: 0 }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("children");
    const tooMany = await app().api("/api/sessions/import", {
      json: { ...data, children: Array.from({ length: EXPORT_CHILDREN_LIMIT + 1 }, () => alpha) },
    });
    expect(tooMany.status).toBe(400);
    const after = await app().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=200");
    expect(after.body.sessions.length).toBe(before.body.sessions.length);
  });
});
