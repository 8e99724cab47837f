/**
 * web_search through a real backend and the fake model, against local fakes of each provider that speak
 * its documented wire format and check what a real one checks (method, path, query parameters or JSON
 * body, the key's header): SearXNG, Brave, Tavily, Serper. Also: the tool is offered only once a provider
 * is chosen; a refused key, a SearXNG without JSON, a non-JSON answer, a missing key and a redirect are
 * clear tool errors.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  modelRequests,
  openSession,
  runTurn,
  toolResults,
} from "../support/session-steps.ts";

const KEY = "test-search-key-9921";

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

let server: ReturnType<typeof Bun.serve>;
const seen: Seen[] = [];
/** What the fake SearXNG does next: "ok", "forbidden" (json format disabled), "html", "redirect". */
let searxngMode = "ok";
/**
 * What the fake key-based providers do next: "ok", "rate" (429), "down" (503), "empty" (Brave's answer
 * without matches), "shape" (JSON of another API).
 */
let providerMode = "ok";

function keyOk(value: string | null): boolean {
  return value === KEY || value === `Bearer ${KEY}`;
}

async function fakeProviders(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.method === "POST" ? await request.json().catch(() => null) : null;
  seen.push({
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(request.headers),
    body,
  });
  const json = (value: unknown, status = 200) => Response.json(value, { status });
  if (url.pathname !== "/searx/search" && providerMode !== "ok") {
    if (providerMode === "rate") return json({ detail: { error: "Rate limit exceeded" } }, 429);
    if (providerMode === "down") return new Response("upstream unavailable", { status: 503 });
    // Brave's answer when nothing matched: no `web` section at all.
    if (providerMode === "empty") return json({ type: "search", query: { original: "x" } });
    return json({ message: "a different API", items: [] });
  }
  // SearXNG, mounted under a sub-path as instances often are.
  if (url.pathname === "/searx/search" && request.method === "GET") {
    if (searxngMode === "forbidden") return new Response("Forbidden", { status: 403 });
    if (searxngMode === "html") return new Response("<html><body>SearXNG</body></html>", { status: 200 });
    if (searxngMode === "redirect") return Response.redirect("http://192.168.1.1/", 302);
    if (url.searchParams.get("format") !== "json") return new Response("Forbidden", { status: 403 });
    return json({
      query: url.searchParams.get("q"),
      number_of_results: 2,
      results: [
        {
          url: "https://bun.sh/docs",
          title: "Bun <b>docs</b>",
          content: "Bun is a fast JavaScript runtime.",
          engine: "duckduckgo",
        },
        { url: "https://example.org/two", title: "Second", content: "Another page.", engine: "bing" },
        { url: "javascript:alert(1)", title: "Not a web page", content: "" },
      ],
      answers: [],
      suggestions: [],
    });
  }
  if (url.pathname === "/res/v1/web/search" && request.method === "GET") {
    if (!keyOk(request.headers.get("x-subscription-token"))) {
      return json({ type: "ErrorResponse", error: { code: "SUBSCRIPTION_TOKEN_INVALID", status: 422 } }, 401);
    }
    return json({
      type: "search",
      query: { original: url.searchParams.get("q") },
      web: {
        type: "search",
        results: [
          {
            title: "Brave result",
            url: "https://brave.example/a",
            description: "From <strong>Brave</strong>.",
          },
        ],
      },
    });
  }
  if (url.pathname === "/search" && request.method === "POST") {
    // Tavily (Authorization: Bearer) and Serper (X-API-KEY) share the path; the header tells them apart.
    if (request.headers.get("authorization")) {
      if (!keyOk(request.headers.get("authorization")))
        return json({ detail: { error: "Unauthorized" } }, 401);
      return json({
        query: (body as { query?: string })?.query,
        results: [
          { title: "Tavily result", url: "https://tavily.example/a", content: "From Tavily.", score: 0.9 },
        ],
        response_time: 0.5,
      });
    }
    if (!keyOk(request.headers.get("x-api-key")))
      return json({ message: "Unauthorized.", statusCode: 403 }, 403);
    return json({
      searchParameters: { q: (body as { q?: string })?.q, type: "search" },
      organic: [
        { title: "Serper result", link: "https://serper.example/a", snippet: "From Serper.", position: 1 },
      ],
    });
  }
  return new Response("not found", { status: 404 });
}

beforeAll(async () => {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: fakeProviders });
});
const app = useBackend();
beforeAll(async () => {
  configureAgent(app(), { approvals: { web_search: "allow" } });
});
afterAll(async () => {
  server.stop(true);
});

const base = () => `http://127.0.0.1:${server.port}`;

async function configure(provider: string, url: string, key?: string): Promise<void> {
  const patched = await app().api("/api/settings", {
    method: "PATCH",
    json: { webSearchProvider: provider, webSearchUrl: url },
  });
  expect(patched.status).toBe(200);
  if (key !== undefined) {
    const stored = await app().api("/api/settings/web-search/key", {
      method: "PUT",
      json: { provider, key },
    });
    expect(stored.status).toBe(200);
  }
}

/** One turn in which the model calls web_search; returns the tool result text and the tools offered. */
async function search(query: string, count?: number): Promise<{ result: string; offered: string[] }> {
  const session = await openSession(app());
  const from = app().fake.requests.length;
  app().fake.enqueue(
    {
      toolCalls: [
        { id: "call_search", name: "web_search", arguments: { query, ...(count ? { count } : {}) } },
      ],
    },
    { text: "done" },
  );
  const end = await runTurn(session, `search ${query}`);
  expect(end.status).toBe("completed");
  const requests = modelRequests(app(), from);
  const offered = (requests[0]?.body?.tools ?? []).map((tool) => (tool.function as { name: string }).name);
  return { result: toolResults(requests[1])[0]?.content ?? "", offered };
}

describe("web_search", () => {
  test("is not offered until a provider is chosen", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue({ text: "no search" });
    await runTurn(session, "hello");
    const offered = (modelRequests(app(), from)[0]?.body?.tools ?? []).map(
      (tool) => (tool.function as { name: string }).name,
    );
    expect(offered).toContain("web_fetch");
    expect(offered).not.toContain("web_search");
  });

  test("SearXNG: GET <instance>/search?format=json, results with title, URL and snippet", async () => {
    await configure("searxng", `${base()}/searx/`);
    seen.length = 0;
    const { result, offered } = await search("bun runtime");
    expect(offered).toContain("web_search");
    expect(seen[0]).toMatchObject({
      method: "GET",
      path: "/searx/search",
      query: { q: "bun runtime", format: "json" },
    });
    expect(result).toContain('2 results for "bun runtime" (SearXNG)');
    expect(result).toContain("1. Bun docs\n   https://bun.sh/docs\n   Bun is a fast JavaScript runtime.");
    expect(result).not.toContain("javascript:");
  });

  test("Brave: the key in X-Subscription-Token, count passed on", async () => {
    await configure("brave", base(), KEY);
    seen.length = 0;
    const { result } = await search("brave query", 3);
    expect(seen[0]).toMatchObject({
      method: "GET",
      path: "/res/v1/web/search",
      query: { q: "brave query", count: "3" },
    });
    expect(seen[0]?.headers["x-subscription-token"]).toBe(KEY);
    expect(result).toContain("1. Brave result\n   https://brave.example/a\n   From Brave.");
  });

  test("Tavily: POST JSON with a bearer key", async () => {
    await configure("tavily", base(), KEY);
    seen.length = 0;
    const { result } = await search("tavily query");
    expect(seen[0]).toMatchObject({
      method: "POST",
      path: "/search",
      body: { query: "tavily query", max_results: 8 },
    });
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(result).toContain("1. Tavily result\n   https://tavily.example/a\n   From Tavily.");
  });

  test("Serper: POST JSON with X-API-KEY", async () => {
    await configure("serper", base(), KEY);
    seen.length = 0;
    const { result } = await search("serper query");
    expect(seen[0]).toMatchObject({ method: "POST", path: "/search", body: { q: "serper query", num: 8 } });
    expect(seen[0]?.headers["x-api-key"]).toBe(KEY);
    expect(result).toContain("1. Serper result\n   https://serper.example/a\n   From Serper.");
  });

  test("the key is never returned; a refused key is a clear tool error", async () => {
    const state = await app().api<{ provider: string; hasKey: boolean }[]>("/api/settings/web-search");
    expect(state.body).toContainEqual({ provider: "serper", hasKey: true });
    expect(JSON.stringify(state.body)).not.toContain(KEY);
    await configure("brave", base(), "wrong-key");
    const { result } = await search("anything");
    expect(result).toContain("Brave Search answered HTTP 401: the Brave Search API key was refused");
  });

  test("a missing key, a SearXNG without JSON, a non-JSON answer and a redirect are clear errors", async () => {
    await configure("tavily", base(), "");
    expect((await search("x")).result).toContain("No Tavily API key is stored");

    await configure("searxng", `${base()}/searx`);
    searxngMode = "forbidden";
    expect((await search("x")).result).toContain("add `json` to `search.formats`");
    searxngMode = "html";
    expect((await search("x")).result).toContain("answered with something that is not JSON");
    searxngMode = "redirect";
    expect((await search("x")).result).toContain(
      "answered with a redirect, which web search does not follow",
    );
    searxngMode = "ok";

    await configure("searxng", "");
    expect((await search("x")).result).toContain("SearXNG needs its address");
  });

  test.each([
    [
      "tavily",
      "rate",
      "Tavily answered HTTP 429: Tavily says too many requests (rate limit or quota); try again later. Its answer:",
    ],
    [
      "serper",
      "down",
      "Serper answered HTTP 503: Serper had a server error; try again later. Its answer: upstream unavailable",
    ],
    ["brave", "shape", `Brave answered without its 'type: "search"' marker; is http://127.0.0.1:`],
    ["brave", "empty", 'No results for "x" (Brave Search). Try other words.'],
  ])("%s answering %s: a clear tool result", async (provider, mode, message) => {
    await configure(provider, base(), KEY);
    providerMode = mode;
    try {
      const { result } = await search("x");
      expect(result).toContain(message);
    } finally {
      providerMode = "ok";
    }
  });

  test("a provider that cannot be reached is a tool error naming it and its address", async () => {
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    const address = `http://127.0.0.1:${closed.port}`;
    closed.stop(true);
    await configure("tavily", address, KEY);
    const { result } = await search("x");
    expect(result).toContain(`Web search with Tavily failed: Could not connect to ${address}/search`);
  });

  test("a bad setting is refused by the settings API", async () => {
    const bad = await app().api("/api/settings", { method: "PATCH", json: { webSearchProvider: "google" } });
    expect(bad.status).toBe(400);
    const badKey = await app().api("/api/settings/web-search/key", {
      method: "PUT",
      json: { provider: "searxng", key: "x" },
    });
    expect(badKey.status).toBe(400);
  });
});
