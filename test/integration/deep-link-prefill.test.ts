/**
 * `sage://new?prompt=...&agent=...` in the running Sage (the real backend in-process, real HTTP and
 * WebSocket): a new chat with that agent opens in every client with the prompt as its draft, and
 * nothing is sent to the model (the user reads the text and sends it). The hand-over a second launch
 * makes (`openUrlInRunning`) carries the draft back for the window's first page. Bad links are 4xx.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { MAX_LINK_PROMPT, parseDeepLink } from "../../src/desktop/deep-link.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import { openUrlInRunning } from "../../src/shell/single-instance.ts";
import { useBackend } from "../support/backend.ts";
import { TestSocket } from "../support/test-socket.ts";

const backend = useBackend();
let agentName: string;
let agentId: string;

beforeAll(() => {
  const agents = backend().running.backend.context.agents.list();
  const last = agents[agents.length - 1];
  if (!last) throw new Error("no agents");
  agentName = last.config.name;
  agentId = last.id;
});

const link = (params: Record<string, string>) => `sage://new?${new URLSearchParams(params)}`;

describe("parsing", () => {
  test("prompt and agent are read; an empty prompt is no prompt", () => {
    expect(parseDeepLink("sage://new?prompt=Summarise%20the%20README&agent=Writer")).toEqual({
      kind: "new",
      agent: "Writer",
      prompt: "Summarise the README",
    });
    expect(parseDeepLink("sage://new?prompt=")).toEqual({ kind: "new" });
    expect(parseDeepLink("sage:new?prompt=a%26b%3Dc")).toEqual({ kind: "new", prompt: "a&b=c" });
  });

  test("a prompt over the limit is refused", () => {
    expect(() => parseDeepLink(link({ prompt: "x".repeat(MAX_LINK_PROMPT + 1) }))).toThrow(/longer than/);
  });
});

describe("in the running Sage", () => {
  test("a new chat with that agent opens everywhere with the prompt as its draft, unsent", async () => {
    const socket = await TestSocket.connect(backend());
    const requestsBefore = backend().fake.requests.length;
    const prompt = "Summarise README.md\nin three bullet points & cite lines";
    const { status, body } = await backend().api<{ sessionId: string; draft?: string }>("/api/app/open-url", {
      json: { url: link({ prompt, agent: agentName }) },
    });
    expect(status).toBe(200);
    expect(body.draft).toBe(prompt);
    const opened = await socket.waitFor("app.open-session", (event) => event.sessionId === body.sessionId);
    expect(opened.draft).toBe(prompt);

    const session = await backend().api<SessionSummary>(`/api/sessions/${body.sessionId}`);
    expect(session.body.agentId).toBe(agentId);
    // Nothing was sent: no turn, no message, no model request.
    await Bun.sleep(300);
    expect(socket.events.some((event) => event.type === "turn.started")).toBe(false);
    expect(backend().fake.requests.length).toBe(requestsBefore);
    const messages = await backend().api<{ messages: unknown[] }>(`/api/sessions/${body.sessionId}/messages`);
    expect(messages.status).toBe(200);
    expect(messages.body.messages).toEqual([]);
    socket.close();
  });

  test("a link without a prompt carries no draft", async () => {
    const socket = await TestSocket.connect(backend());
    const { body } = await backend().api<{ sessionId: string; draft?: string }>("/api/app/open-url", {
      json: { url: "sage://new" },
    });
    expect(body.draft).toBeUndefined();
    const opened = await socket.waitFor("app.open-session", (event) => event.sessionId === body.sessionId);
    expect(opened.draft).toBeUndefined();
    socket.close();
  });

  test("a second launch's hand-over returns the draft for the window's first page", async () => {
    const record = {
      pid: process.pid,
      mode: "serve" as const,
      port: Number(new URL(backend().url).port),
      host: "127.0.0.1",
      token: backend().token,
      startedAt: Date.now(),
    };
    const opened = await openUrlInRunning(record, link({ prompt: "Plan the week" }));
    expect(opened).toMatchObject({ ok: true, draft: "Plan the week" });
    const unknownAgent = await openUrlInRunning(record, link({ prompt: "x", agent: "Nobody" }));
    expect(unknownAgent).toEqual({ ok: false, message: 'No agent named "Nobody".' });
  });

  test("bad links are refused with a 4xx and create no chat", async () => {
    const count = async () =>
      (await backend().api<{ sessions: SessionSummary[] }>("/api/sessions?limit=500")).body.sessions.length;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    for (const url of [
      link({ prompt: "x".repeat(MAX_LINK_PROMPT + 1) }),
      link({ prompt: "hi", agent: "No such agent" }),
      "sage://new/extra?prompt=hi",
      "https://example.com/?prompt=hi",
    ]) {
      const { status } = await backend().api("/api/app/open-url", { json: { url } });
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    expect(await count()).toBe(before);
  });
});
