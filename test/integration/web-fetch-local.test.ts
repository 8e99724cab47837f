/**
 * The "web_fetch and the browser may open local addresses" setting through real turns over /ws: off (the
 * default), a fetch of a server on this computer is refused and the model is told why; on, the same
 * fetch reads the page; off again, refused again (the setting is read at each turn). The browser: off,
 * browser_navigate to the server is refused without an approval prompt; on, the prompt says the page is
 * on this computer and the page opens.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  modelRequests,
  openSession,
  runTurn,
  submit,
  toolResults,
} from "../support/session-steps.ts";

let site: ReturnType<typeof Bun.serve>;

const app = useBackend();
beforeAll(async () => {
  configureAgent(app(), { approvals: { web_fetch: "allow" } });
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response("<title>Local docs</title><p>Served from this computer.</p>", {
        headers: { "content-type": "text/html" },
      }),
  });
});
afterAll(async () => {
  site.stop(true);
});

async function fetchLocal(): Promise<string> {
  const session = await openSession(app());
  const from = app().fake.requests.length;
  app().fake.enqueue(
    { toolCalls: [{ name: "web_fetch", arguments: { url: `http://127.0.0.1:${site.port}/docs` } }] },
    { text: "ok" },
  );
  expect((await runTurn(session, "Read my local docs")).status).toBe("completed");
  session.socket.close();
  return toolResults(modelRequests(app(), from)[1])[0]?.content ?? "";
}

async function setLocal(value: boolean): Promise<void> {
  const { status } = await app().api("/api/settings", { method: "PATCH", json: { webFetchLocal: value } });
  expect(status).toBe(200);
}

test("off by default: refused, with the reason for the model", async () => {
  const result = await fetchLocal();
  expect(result).not.toContain("Served from this computer.");
  expect(result.toLowerCase()).toMatch(/local|private/);
});

test("on: the page is read; off again: refused again", async () => {
  await setLocal(true);
  expect(await fetchLocal()).toContain("Served from this computer.");
  await setLocal(false);
  expect(await fetchLocal()).not.toContain("Served from this computer.");
});

test("the browser: refused without a prompt while off; on, the prompt says 'this computer'", async () => {
  const url = `http://127.0.0.1:${site.port}/docs`;
  const navigate = { toolCalls: [{ name: "browser_navigate", arguments: { url } }] };

  const off = await openSession(app());
  let from = app().fake.requests.length;
  app().fake.enqueue(navigate, { text: "ok" });
  expect((await runTurn(off, "Open my local docs")).status).toBe("completed");
  expect(off.socket.ofType("approval.requested")).toHaveLength(0);
  const refused = toolResults(modelRequests(app(), from)[1])[0]?.content ?? "";
  expect(refused).toContain(`Refused to open ${url} is on this computer`);
  off.socket.close();

  await setLocal(true);
  try {
    const on = await openSession(app());
    from = app().fake.requests.length;
    app().fake.enqueue(navigate, { text: "ok" });
    const started = await submit(on, "Open my local docs");
    const request = await on.socket.waitFor("approval.requested", undefined, 30_000);
    expect(request.title).toBe(`Open ${url} (a page on this computer)`);
    expect(request.locality).toBe("this-computer");
    on.socket.send({
      type: "approve",
      sessionId: on.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
    expect((await ended(on, started.turnId, 60_000)).status).toBe("completed");
    expect(toolResults(modelRequests(app(), from)[1])[0]?.content).toContain("Served from this computer.");
    on.socket.close();
  } finally {
    await setLocal(false);
    await app().running.backend.context.agentServices.dispose();
  }
}, 90_000);
