/**
 * MCP against real servers from npm (pinned devDependencies), in real turns of the app with the fake
 * model: @modelcontextprotocol/server-everything over stdio and over Streamable HTTP (started here as a
 * local process), @modelcontextprotocol/server-filesystem over stdio; plus the hand-written fixture for
 * what the public servers cannot show on demand (cancellation reaching the server, a crash, list_changed).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventOf } from "../../src/shared/events.ts";
import type {
  McpAgentPrompts,
  McpAgentResources,
  McpPromptText,
  McpResourceContents,
} from "../../src/shared/mcp.ts";
import { useBackend } from "../support/backend.ts";
import {
  ended,
  modelRequests,
  openSession,
  type Subscribed,
  submit,
  toolResults,
  workspaceRoot,
} from "../support/session-steps.ts";
import {
  addServer,
  bunServer,
  EVERYTHING,
  entry,
  FILESYSTEM,
  isAlive,
  RAW_SERVER,
  restart,
  useServers,
  waitForState,
  waitUntil,
} from "./mcp-helpers.ts";

let httpServer: Bun.Subprocess | undefined;
let httpPort = 0;

const app = useBackend();
beforeAll(async () => {
  await addServer(app(), bunServer("everything", EVERYTHING, ["stdio"], { initTimeoutSec: 20 }));
  await addServer(app(), bunServer("files", FILESYSTEM, ["."], { initTimeoutSec: 20 }));
  await addServer(app(), bunServer("raw", RAW_SERVER, ["ok"]));
  // server-everything's Streamable HTTP transport, as its own process on a free port.
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  httpPort = probe.port ?? 0;
  probe.stop(true);
  httpServer = Bun.spawn([process.execPath, EVERYTHING, "streamableHttp"], {
    env: { ...process.env, PORT: String(httpPort) },
    stdout: "pipe",
    stderr: "pipe",
  });
  await waitForHttp(`http://127.0.0.1:${httpPort}/mcp`);
  await addServer(app(), {
    name: "remote",
    transport: "http",
    url: `http://127.0.0.1:${httpPort}/mcp`,
    initTimeoutSec: 10,
  });
  await useServers(app(), ["everything", "files", "raw", "remote"]);
}, 60_000);

afterAll(async () => {
  httpServer?.kill();
});

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** Wait for the approval request of `tool` (one not in `seen`) and grant it once. */
async function approveOnce(
  session: Subscribed,
  tool: string,
  timeoutMs: number,
  seen: EventOf<"approval.requested">[] = [],
): Promise<EventOf<"approval.requested">> {
  const request = await session.socket.waitFor(
    "approval.requested",
    (event) => event.tool === tool && !seen.includes(event),
    timeoutMs,
  );
  session.socket.send({
    type: "approve",
    sessionId: session.sessionId,
    approvalId: request.approvalId,
    decision: "once",
  });
  return request;
}

/** One turn in which the model calls `call`; every approval is granted once. Returns the tool result text. */
async function callInTurn(
  session: Subscribed,
  call: { id: string; name: string; arguments: Record<string, unknown> },
): Promise<{ content: string; end: EventOf<"turn.ended">; approvals: EventOf<"approval.requested">[] }> {
  const from = app().fake.requests.length;
  app().fake.enqueue({ toolCalls: [call] }, { text: "Thanks." });
  const approvals: EventOf<"approval.requested">[] = [];
  const started = await submit(session, `Use ${call.name}`, undefined, 60_000);
  const approve = async () => {
    approvals.push(await approveOnce(session, call.name, 60_000, approvals));
  };
  const endPromise = ended(session, started.turnId, 90_000);
  await Promise.race([approve(), endPromise]);
  const end = await endPromise;
  const result = toolResults(modelRequests(app(), from)[1]).find((item) => item.id === call.id);
  return { content: result?.content ?? "", end, approvals };
}

describe("server-everything over stdio", () => {
  test("starts lazily with the first turn, is healthy, and lists tools, resources and prompts", async () => {
    expect((await entry(app(), "everything")).status.state).toBe("stopped");
    const session = await openSession(app());
    const { content, approvals } = await callInTurn(session, {
      id: "call_echo",
      name: "mcp__everything__echo",
      arguments: { message: "hello from Sage" },
    });
    // MCP tools ask by default, with the server named in the prompt.
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.title).toContain('MCP server "everything"');
    expect(content).toContain("hello from Sage");
    const health = await entry(app(), "everything");
    expect(health.status.state).toBe("ready");
    expect(health.status.serverInfo?.name).toBe("mcp-servers/everything");
    expect(health.status.pid).toBeGreaterThan(0);
    expect(health.status.initMs).toBeGreaterThan(0);
    expect(health.status.counts.tools).toBeGreaterThan(5);
    expect(health.status.counts.resources).toBeGreaterThan(0);
    expect(health.status.counts.prompts).toBeGreaterThan(0);
    expect(health.status.usedBy).toEqual([app().running.backend.context.agents.defaultAgent().config.name]);
    session.socket.close();
  }, 90_000);

  test("get-sum adds; the Tools page lists the MCP tools with their schemas; the audit log has the call", async () => {
    const session = await openSession(app());
    const { content } = await callInTurn(session, {
      id: "call_sum",
      name: "mcp__everything__get-sum",
      arguments: { a: 2, b: 40 },
    });
    expect(content).toContain("42");
    const { body } = await app().api<{
      tools: {
        name: string;
        source: string;
        server?: string;
        kind: string;
        parameters: { properties?: Record<string, unknown> };
      }[];
    }>("/api/tools");
    const sum = body.tools.find((tool) => tool.name === "mcp__everything__get-sum");
    expect(sum?.source).toBe("mcp");
    expect(sum?.server).toBe("everything");
    expect(sum?.kind).toBe("mcp");
    expect(Object.keys(sum?.parameters.properties ?? {})).toEqual(["a", "b"]);
    const audit = await app().api<{ entries: { tool: string; decision: string; status: string }[] }>(
      "/api/audit?tool=mcp__everything__get-sum",
    );
    expect(audit.body.entries[0]).toMatchObject({ decision: "approved-once", status: "completed" });
    session.socket.close();
  }, 60_000);

  test("invalid arguments are refused by the schema before the server sees them", async () => {
    const session = await openSession(app());
    const { content, approvals } = await callInTurn(session, {
      id: "call_bad",
      name: "mcp__everything__get-sum",
      arguments: { a: "two" },
    });
    expect(approvals).toHaveLength(0);
    expect(content).toMatch(/Invalid arguments for mcp__everything__get-sum/);
    session.socket.close();
  }, 60_000);

  test("a long-running tool shows progress on the tool card", async () => {
    const session = await openSession(app());
    const { content } = await callInTurn(session, {
      id: "call_long",
      name: "mcp__everything__trigger-long-running-operation",
      arguments: { duration: 1, steps: 4 },
    });
    expect(content).toContain("Long running operation completed");
    const progress = session.socket.events.filter((event) => event.type === "tool.progress");
    expect(progress.map((event) => (event as EventOf<"tool.progress">).text).join("")).toContain(
      "progress 4/4",
    );
    session.socket.close();
  }, 60_000);

  test("an image result reaches the model and is saved for the tool card", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    const { content, end } = await callInTurn(session, {
      id: "call_img",
      name: "mcp__everything__get-tiny-image",
      arguments: {},
    });
    expect(end.status).toBe("completed");
    expect(content).toMatch(/\[image image\/png, saved as \.sage\/tool-output\/.+\.png\]/);
    expect(JSON.stringify(modelRequests(app(), from)[1]?.body?.messages)).toContain("image");
    session.socket.close();
  }, 60_000);
});

describe("resources and prompts (server-everything)", () => {
  test("the agent's resources are listed and read (text and binary)", async () => {
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { body } = await app().api<McpAgentResources>(`/api/mcp/agents/${agentId}/resources`);
    const everything = body.resources.filter((resource) => resource.server === "everything");
    expect(everything.length).toBeGreaterThan(0);
    const text = everything.find((resource) => resource.mimeType?.startsWith("text/"));
    expect(text).toBeDefined();
    const read = await app().api<McpResourceContents>("/api/mcp/servers/everything/resources/read", {
      json: { uri: text?.uri },
    });
    expect(read.status).toBe(200);
    expect(read.body.contents[0]?.text?.length).toBeGreaterThan(0);
    const missing = await app().api<{ error: { code: string; message: string } }>(
      "/api/mcp/servers/everything/resources/read",
      { json: { uri: "demo://no/such/resource" } },
    );
    expect(missing.status).toBe(502);
    expect(missing.body.error.code).toBe("mcp_server");
  }, 30_000);

  test("prompts are listed as /server:prompt with their arguments and expand to text", async () => {
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { body } = await app().api<McpAgentPrompts>(`/api/mcp/agents/${agentId}/prompts`);
    const args = body.prompts.find((prompt) => prompt.command === "everything:args-prompt");
    expect(args?.arguments).toEqual([
      { name: "city", description: "Name of the city", required: true },
      { name: "state", required: false },
    ]);
    const expanded = await app().api<McpPromptText>("/api/mcp/servers/everything/prompts/get", {
      json: { name: "args-prompt", arguments: { city: "Lisbon" } },
    });
    expect(expanded.body.text).toBe("What's weather in Lisbon?");
  }, 30_000);
});

describe("sampling", () => {
  test("the server's request is shown in the chat; allowed, the agent's model answers it", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_sample",
            name: "mcp__everything__trigger-sampling-request",
            arguments: { prompt: "Say hi", maxTokens: 40 },
          },
        ],
      },
      { text: "sampled hello from the model" },
      { text: "Done." },
    );
    const started = await submit(session, "sample please", undefined, 30_000);
    await approveOnce(session, "mcp__everything__trigger-sampling-request", 30_000);
    const question = await session.socket.waitFor("question.asked", () => true, 30_000);
    const prompt = question.questions[0]?.prompt ?? "";
    expect(prompt).toContain(
      'The MCP server "everything" asks to use this chat\'s model (at most 40 tokens)',
    );
    expect(prompt).toContain("Instructions: You are a helpful test server.");
    expect(prompt).toContain("Say hi");
    expect(question.questions[0]?.options).toEqual(["Allow", "Deny"]);
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      answers: { sampling: "Allow" },
    });
    const end = await ended(session, started.turnId, 60_000);
    expect(end.status).toBe("completed");
    const requests = modelRequests(app(), from);
    // The sampling request went to the agent's model with the server's system prompt.
    expect(JSON.stringify(requests[1]?.body?.messages)).toContain("You are a helpful test server.");
    const result = toolResults(requests[2]).find((item) => item.id === "call_sample");
    expect(result?.content).toContain("sampled hello from the model");
    session.socket.close();
  }, 60_000);

  test("declined, the server gets an error and the model reads it", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_sample_no",
            name: "mcp__everything__trigger-sampling-request",
            arguments: { prompt: "Nope" },
          },
        ],
      },
      { text: "Understood." },
    );
    const started = await submit(session, "sample again", undefined, 30_000);
    await approveOnce(session, "mcp__everything__trigger-sampling-request", 30_000);
    const question = await session.socket.waitFor("question.asked", () => true, 30_000);
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: question.questionId,
      answers: { sampling: "Deny" },
    });
    await ended(session, started.turnId, 60_000);
    const result = toolResults(modelRequests(app(), from)[1]).find((item) => item.id === "call_sample_no");
    expect(result?.content).toContain("The user declined the sampling request.");
    session.socket.close();
  }, 60_000);
});

describe("server-filesystem", () => {
  test("reads a file in the agent's workspace", async () => {
    const root = workspaceRoot(app());
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "notes.txt"), "otters hold hands\n");
    const session = await openSession(app());
    const { content } = await callInTurn(session, {
      id: "call_read",
      name: "mcp__files__read_text_file",
      arguments: { path: join(root, "notes.txt") },
    });
    expect(content).toContain("otters hold hands");
    session.socket.close();
  }, 90_000);
});

describe("server-everything over Streamable HTTP", () => {
  test("echo and get-sum through the HTTP transport", async () => {
    const session = await openSession(app());
    const echoed = await callInTurn(session, {
      id: "call_http_echo",
      name: "mcp__remote__echo",
      arguments: { message: "over http" },
    });
    expect(echoed.content).toContain("over http");
    const summed = await callInTurn(session, {
      id: "call_http_sum",
      name: "mcp__remote__get-sum",
      arguments: { a: 5, b: 6 },
    });
    expect(summed.content).toContain("11");
    const health = await entry(app(), "remote");
    expect(health.status).toMatchObject({ state: "ready", transport: "http" });
    session.socket.close();
  }, 90_000);
});

describe("Stop, crash and list changes (fixture server)", () => {
  test("Stop cancels a running call and the cancellation reaches the server", async () => {
    const session = await openSession(app());
    app().fake.enqueue({
      toolCalls: [{ id: "call_slow", name: "mcp__raw__slow", arguments: { seconds: 30 } }],
    });
    const started = await submit(session, "slow please", undefined, 30_000);
    await approveOnce(session, "mcp__raw__slow", 30_000);
    await session.socket.waitFor("tool.progress", () => true, 10_000);
    const stopAt = Date.now();
    session.socket.send({ type: "stop", sessionId: session.sessionId });
    const end = await ended(session, started.turnId, 10_000);
    expect(end.status).toBe("stopped");
    expect(Date.now() - stopAt).toBeLessThan(3000);
    await waitUntil(
      () =>
        app()
          .running.backend.context.mcp.status("raw")
          .stderrTail.some((line) => /^cancelled /.test(line)),
      5000,
      "the server to log the cancellation",
    );
    session.socket.close();
  }, 60_000);

  test("kill -9 of the server: the panel shows the error, it restarts, the next call works", async () => {
    await restart(app(), "raw");
    const before = await waitForState(app(), "raw", "ready");
    const pid = before.status.pid as number;
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
    const failed = await waitForState(app(), "raw", "error", 5000);
    expect(failed.status.lastError).toMatch(/exited \(killed by SIGKILL\) unexpectedly/);
    expect(failed.status.nextRestartAt).toBeGreaterThan(Date.now() - 1000);
    const back = await waitForState(app(), "raw", "ready", 10_000);
    expect(back.status.restarts).toBe(1);
    expect(back.status.pid).not.toBe(pid);
    const run = await app().api<{ status: string; text: string }>("/api/tools/mcp__raw__ping/run", {
      json: { input: {} },
    });
    expect(run.body).toMatchObject({ status: "completed" });
    expect(run.body.text).toMatch(/^pong \d+/);
  }, 30_000);

  test("a tool of a server that is down says which server and why", async () => {
    await addServer(app(), bunServer("crashy", RAW_SERVER, ["crash-on-call"]));
    await useServers(app(), ["raw", "crashy"]);
    const session = await openSession(app());
    const { content, end } = await callInTurn(session, {
      id: "call_crash",
      name: "mcp__crashy__ping",
      arguments: {},
    });
    expect(end.status).toBe("completed");
    expect(content).toMatch(
      /The MCP server "crashy" stopped during the call to ping: the server exited \(exit code 9\)/,
    );
    expect(content).toContain("crashing on purpose");
    session.socket.close();
  }, 60_000);

  test("tools/list_changed refreshes the tool list", async () => {
    const before = (await entry(app(), "raw")).status.tools.map((tool) => tool.name);
    expect(before).not.toContain("extra");
    const run = await app().api<{ status: string }>("/api/tools/mcp__raw__add_tool/run", {
      json: { input: {} },
    });
    expect(run.body.status).toBe("completed");
    await waitUntil(
      () =>
        app()
          .running.backend.context.mcp.status("raw")
          .tools.some((tool) => tool.name === "extra"),
      5000,
      "the new tool to be listed",
    );
  }, 30_000);
});
