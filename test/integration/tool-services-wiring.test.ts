/**
 * web_fetch and the browser tools wired into real turns: the fake model calls them against pages
 * served on 127.0.0.1, the user approves with an `approve` frame, and the results reach the model.
 *
 * Fetching 127.0.0.1 needs the test-only override SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE=1, which the app
 * reads once at start-up from its environment: the file's backend gets it. A second app started without it
 * shows the default: private addresses refused. The browser runs headless (serve mode) and is closed
 * when the app stops.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS } from "../../src/app/agent-services.ts";
import type { ToolRunResult } from "../../src/shared/tools-api.ts";
import { startBackend, useBackend } from "../support/backend.ts";
import {
  ended,
  modelRequests,
  openSession,
  type Subscribed,
  submit,
  toolResults,
} from "../support/session-steps.ts";

const pages = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    const html = (body: string) =>
      new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
    const path = new URL(request.url).pathname;
    if (path === "/article") {
      return html(
        "<!doctype html><html><head><title>Local Article</title></head><body><main><h1>Otters</h1><p>Otters hold hands while they sleep.</p></main></body></html>",
      );
    }
    if (path === "/app") {
      return html(
        "<!doctype html><title>Browser Page</title><h1>Hello from the test page</h1><button>Press me</button>",
      );
    }
    return new Response("not found", { status: 404 });
  },
});
const origin = `http://127.0.0.1:${pages.port}`;

const app = useBackend({
  env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: undefined, [WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS]: "1" },
});
afterAll(() => {
  pages.stop(true);
});

/** Run a one-call turn, approving the call once; returns what the model got back for it. */
async function approvedCall(
  session: Subscribed,
  call: { id: string; name: string; arguments: Record<string, unknown> },
) {
  const from = app().fake.requests.length;
  app().fake.enqueue({ toolCalls: [call] }, { text: "Thanks." });
  const started = await submit(session, `Use ${call.name}`, undefined, 30_000);
  const request = await session.socket.waitFor(
    "approval.requested",
    (event) => event.tool === call.name,
    30_000,
  );
  session.socket.send({
    type: "approve",
    sessionId: session.sessionId,
    approvalId: request.approvalId,
    decision: "once",
  });
  const end = await ended(session, started.turnId, 60_000);
  expect(end.status).toBe("completed");
  const [result] = toolResults(modelRequests(app(), from)[1]);
  expect(result?.id).toBe(call.id);
  return { request, content: result?.content ?? "" };
}

describe("web_fetch in a turn", () => {
  test("asks (network), fetches the local page with the test override, and the model reads it", async () => {
    const session = await openSession(app());
    const { request, content } = await approvedCall(session, {
      id: "call_fetch",
      name: "web_fetch",
      arguments: { url: `${origin}/article` },
    });
    expect(request.detailKind).toBe("url");
    expect(request.detail).toBe(`${origin}/article`);
    expect(request.locality).toBe("this-computer");
    expect(content).toContain("Title: Local Article");
    expect(content).toContain("Otters hold hands while they sleep.");
    session.socket.close();
  });

  test("without the override, private addresses are refused (web_fetch and the browser)", async () => {
    const plain = await startBackend();
    try {
      const { body } = await plain.api<ToolRunResult>("/api/tools/web_fetch/run", {
        json: { input: { url: `${origin}/article` } },
      });
      expect(body.status).toBe("error");
      expect(body.error ?? "").toMatch(/private|local|loopback/i);
      expect(body.text).not.toContain("Otters");
      // The browser applies the same policy.
      const browsed = await plain.api<ToolRunResult>("/api/tools/browser_navigate/run", {
        json: { input: { url: `${origin}/app` } },
      });
      expect(browsed.body.status).toBe("error");
      expect(browsed.body.error ?? "").toContain("is on this computer (loopback)");
    } finally {
      await plain.stop();
    }
  });
});

describe("the browser in a turn", () => {
  test("browser_navigate opens the local page in the agent's own browser; shutdown closes it", async () => {
    const context = app().running.backend.context;
    const agentId = context.agents.defaultAgent().id;
    const session = await openSession(app());
    const { request, content } = await approvedCall(session, {
      id: "call_nav",
      name: "browser_navigate",
      arguments: { url: `${origin}/app` },
    });
    // Local addresses are allowed here (the test override): the approval says where the page is.
    expect(request.title).toBe(`Open ${origin}/app (a page on this computer)`);
    expect(request.locality).toBe("this-computer");
    expect(content).toContain("Opened");
    expect(content).toContain("Hello from the test page");
    expect(content).toContain("Press me");
    expect(context.agentServices.runningBrowsers()).toEqual([agentId]);
    const manager = context.agentServices.browser(agentId);
    expect(manager.headless).toBe(true);

    // A second call reuses the same browser (one manager per agent).
    const snapshot = await app().api<ToolRunResult>("/api/tools/browser_snapshot/run", {
      json: { input: {} },
    });
    expect(snapshot.body.status).toBe("completed");
    expect(snapshot.body.text).toContain("Hello from the test page");
    expect(manager.launchCount).toBe(1);
    session.socket.close();

    await app().running.stop();
    expect(manager.running).toBe(false);
    expect(context.agentServices.runningBrowsers()).toEqual([]);
  }, 90_000);
});
