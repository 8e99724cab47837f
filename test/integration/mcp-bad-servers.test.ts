/**
 * Bad MCP server configurations, each against the real app: every one ends in the health panel's
 * `error` state with a clear message within its init timeout, and the app (and a turn of an agent that
 * uses them all) keeps working. Servers are the hand-written fixture (test/fixtures/mcp/raw-server.ts)
 * and local HTTP servers started here.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import { conversationText, modelRequests, openSession, runTurn } from "../support/session-steps.ts";
import {
  addServer,
  bunServer,
  entry,
  RAW_SERVER,
  restart,
  useServers,
  waitForState,
  waitUntil,
} from "./mcp-helpers.ts";

const unauthorized = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () => new Response("no", { status: 401, headers: { "www-authenticate": 'Bearer realm="test"' } }),
});
// A port that was free a moment ago: nothing listens there.
const closedPort = (() => {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  return port;
})();

const app = useBackend();
afterAll(async () => {
  unauthorized.stop(true);
});

async function expectError(name: string, pattern: RegExp, budgetMs: number) {
  const started = Date.now();
  await restart(app(), name);
  const found = await waitForState(app(), name, "error", budgetMs);
  expect(Date.now() - started).toBeLessThan(budgetMs);
  expect(found.status.lastError ?? "").toMatch(pattern);
  return found;
}

describe("bad MCP server configurations end in a clear error", () => {
  test("a command that is not installed", async () => {
    await addServer(app(), {
      name: "missing",
      transport: "stdio",
      command: "sage-no-such-command-xyz",
      initTimeoutSec: 2,
    });
    await expectError("missing", /"sage-no-such-command-xyz" was not found on the PATH/, 3000);
  });

  test("a binary path that does not exist", async () => {
    await addServer(app(), {
      name: "nobinary",
      transport: "stdio",
      command: "/nonexistent/bin/server",
      initTimeoutSec: 2,
    });
    await expectError("nobinary", /"\/nonexistent\/bin\/server" was not found/, 3000);
  });

  test("a server that exits at once (exit code and its last stderr line)", async () => {
    await addServer(app(), bunServer("exits", RAW_SERVER, ["exit"], { initTimeoutSec: 5 }));
    const found = await expectError(
      "exits",
      /exited during start-up \(exit code 3\).*stderr: "fatal: missing API key"/,
      5000,
    );
    expect(found.status.stderrTail).toContain("fatal: missing API key");
  });

  test("a server that prints garbage on stdout", async () => {
    await addServer(app(), bunServer("garbage", RAW_SERVER, ["garbage"], { initTimeoutSec: 2 }));
    await expectError(
      "garbage",
      /did not answer "initialize" within 2 s.*not MCP.*hello, I am not MCP/,
      4000,
    );
  });

  test("a server that never answers initialize", async () => {
    await addServer(app(), bunServer("hangs", RAW_SERVER, ["hang"], { initTimeoutSec: 2 }));
    await expectError("hangs", /did not answer "initialize" within 2 s/, 4000);
  });

  test("an HTTP URL that refuses connections", async () => {
    await addServer(app(), {
      name: "refused",
      transport: "http",
      url: `http://127.0.0.1:${closedPort}/mcp`,
      initTimeoutSec: 2,
    });
    await expectError("refused", /connection refused/, 4000);
  });

  test("an HTTP server that answers 401", async () => {
    await addServer(app(), {
      name: "needsauth",
      transport: "http",
      url: `http://127.0.0.1:${unauthorized.port}/mcp`,
      initTimeoutSec: 2,
    });
    await expectError("needsauth", /HTTP 401.*authorization/, 4000);
  });

  test("tools with invalid schemas are skipped and named; the others work", async () => {
    await addServer(app(), bunServer("badschema", RAW_SERVER, ["invalid-schema"]));
    await restart(app(), "badschema");
    const found = await waitForState(app(), "badschema", "ready");
    const skipped = found.status.skippedTools.map((tool) => tool.name).sort();
    expect(skipped).toEqual(["broken_ref", "broken_type"]);
    expect(found.status.tools.map((tool) => tool.name)).toContain("ping");
    const run = await app().api<{ status: string; text: string }>("/api/tools/mcp__badschema__ping/run", {
      json: { input: {} },
    });
    expect(run.body.status).toBe("completed");
    expect(run.body.text).toMatch(/^pong \d+/);
  });

  test("a tool call that gets no answer is cancelled after the call timeout, with the server named", async () => {
    await addServer(app(), bunServer("stalls", RAW_SERVER, ["ok"], { callTimeoutSec: 1 }));
    await restart(app(), "stalls");
    const started = Date.now();
    const run = await app().api<{ status: string; error?: string }>("/api/tools/mcp__stalls__stall/run", {
      json: { input: {} },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.body.status).toBe("error");
    expect(run.body.error).toBe(
      'The MCP server "stalls" did not answer stall within 1 s; the call was cancelled.',
    );
    // The server received the cancellation and stays usable.
    await waitUntil(
      () =>
        app()
          .running.backend.context.mcp.status("stalls")
          .stderrTail.some((line) => line.startsWith("cancelled")),
      3000,
      "the server to log the cancellation",
    );
    const ping = await app().api<{ status: string }>("/api/tools/mcp__stalls__ping/run", {
      json: { input: {} },
    });
    expect(ping.body.status).toBe("completed");
  });

  test("a server set to start with Sage starts without a turn", async () => {
    await addServer(app(), bunServer("eager", RAW_SERVER, ["ok"], { startup: "eager" }));
    const ready = await waitForState(app(), "eager", "ready", 10_000);
    expect(ready.status.usedBy).toEqual([]);
  });

  test("the app keeps working: a turn of an agent using every broken server completes", async () => {
    await useServers(app(), [
      "missing",
      "exits",
      "hangs",
      "refused",
      "needsauth",
      "badschema",
      "not-configured",
    ]);
    const health = await app().api("/api/health");
    expect(health.status).toBe(200);
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue({ text: "Done." });
    // Failed servers are not retried within a minute: the turn does not wait for them again.
    const started = Date.now();
    const end = await runTurn(session, "Hello", undefined, 15_000);
    expect(end.status).toBe("completed");
    expect(Date.now() - started).toBeLessThan(5000);
    const [request] = modelRequests(app(), from);
    const conversation = conversationText(request);
    expect(conversation).toContain('The MCP server \\"missing\\" is not available');
    expect(conversation).toContain("not configured in Settings");
    const toolNames = (request?.body?.tools ?? []).map((tool) => (tool.function as { name?: string })?.name);
    expect(toolNames).toContain("mcp__badschema__ping");
    expect((await entry(app(), "badschema")).status.state).toBe("ready");
    session.socket.close();
  });
});
