/**
 * The "web_fetch may read local addresses" setting through a real turn over /ws: off (the default), a
 * fetch of a server on this computer is refused and the model is told why; on, the same fetch reads
 * the page; off again, refused again (the setting is read at each turn).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "./runtime-harness.ts";
import { configureAgent, modelRequests, openSession, runTurn, toolResults } from "./runtime-helpers.ts";

let app: TestApp;
let site: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  app = await startTestApp();
  configureAgent(app, { approvals: { web_fetch: "allow" } });
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
  await app.stop();
});

async function fetchLocal(): Promise<string> {
  const session = await openSession(app);
  const from = app.fake.requests.length;
  app.fake.enqueue(
    { toolCalls: [{ name: "web_fetch", arguments: { url: `http://127.0.0.1:${site.port}/docs` } }] },
    { text: "ok" },
  );
  expect((await runTurn(session, "Read my local docs")).status).toBe("completed");
  session.socket.close();
  return toolResults(modelRequests(app, from)[1])[0]?.content ?? "";
}

async function setLocal(value: boolean): Promise<void> {
  const { status } = await app.api("/api/settings", { method: "PATCH", json: { webFetchLocal: value } });
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
