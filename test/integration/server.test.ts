/**
 * The real backend (runBackend, as serve mode starts it) over real HTTP and WebSocket: health, the
 * access token, DNS-rebinding and cross-origin refusals, the UI's static files, the OpenAPI document,
 * bad WebSocket frames, and a log that never contains the token.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { VERSION } from "../../src/core/version.ts";
import { ApiErrorBody } from "../../src/shared/api-error.ts";
import { useBackend } from "../support/backend.ts";
import { ensureUiBuilt, UI_DIST } from "../support/build-artifacts.ts";
import { rawRequest, upgradeHeaders } from "../support/raw-http.ts";
import { TestSocket } from "../support/test-socket.ts";

/** Every response this file received over fetch: checked at the end for CORS headers. */
const seen: Response[] = [];

async function get(path: string, init: RequestInit & { auth?: boolean } = {}): Promise<Response> {
  const response = await server().http(path, init);
  seen.push(response);
  return response;
}

async function errorCode(response: Response): Promise<string> {
  expect(response.headers.get("content-type")).toContain("application/json");
  return ((await response.json()) as { error: { code: string } }).error.code;
}

beforeAll(async () => {
  await ensureUiBuilt();
}, 120_000);
const server = useBackend({ provider: false });

describe("health", () => {
  test("GET /api/health reports status, version, mode, paths and the database", async () => {
    const response = await get("/api/health");
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: "ok",
      version: VERSION,
      mode: "serve",
      compiled: false,
      dataDir: server().paths.home,
      logFile: join(server().paths.logs, "sage.log"),
      database: { path: server().paths.database, journalMode: "wal" },
      user: { id: "local" },
    });
    expect(health.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("the access token", () => {
  test("HTTP without a token -> 401 JSON for the API (the UI shell is public, see below)", async () => {
    for (const path of ["/api/health", "/api/sessions", "/api/openapi/json", "/api/settings"]) {
      const response = await get(path, { auth: false });
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe("unauthorized");
    }
  });

  test("HTTP with a wrong token -> 401", async () => {
    const response = await get("/api/health", { headers: { authorization: "Bearer not-the-token" } });
    expect(response.status).toBe(401);
  });

  test("WebSocket upgrade without a token -> 401, and the client cannot connect", async () => {
    const raw = await rawRequest(server().port, {
      path: "/ws",
      headers: upgradeHeaders(`127.0.0.1:${server().port}`),
    });
    expect(raw.status).toBe(401);
    await expect(TestSocket.open(`ws://127.0.0.1:${server().port}/ws`)).rejects.toThrow();
  });

  test("the token works via header and ?token=; a cookie with it does not", async () => {
    expect((await get("/api/health")).status).toBe(200);
    expect((await get(`/api/health?token=${server().token}`, { auth: false })).status).toBe(200);
    const cookie = `sage_token=${server().token}`;
    expect((await get("/api/health", { auth: false, headers: { cookie } })).status).toBe(401);
  });

  test("the UI shell is served without the token, sets no cookie, and carries the security headers", async () => {
    for (const path of ["/", `/?token=${server().token}`, "/s/some-chat", "/settings"]) {
      const page = await get(path, { auth: false });
      expect(page.status).toBe(200);
      expect(page.headers.get("set-cookie")).toBeNull();
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
      const csp = page.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      expect(scriptSrc).toContain("'self'");
      expect(scriptSrc).not.toContain("unsafe-inline");
      const html = await page.text();
      expect(html).toContain('<div id="root">');
      expect(html).not.toContain(server().token);
      // No inline script: the CSP forbids it (the boot code is /boot.js).
      expect(html).not.toMatch(/<script>(?!<\/script>)/);
    }
    const boot = await get("/boot.js", { auth: false });
    expect(boot.status).toBe(200);
    expect(boot.headers.get("content-type")).toContain("javascript");
  });

  test("odd spellings of an API path never reach the API without the token", async () => {
    for (const path of ["/%61pi/health", "/API/health", "//api/health", "/api/../api/health", "/ws/"]) {
      const response = await get(path, { auth: false });
      const body = await response.text();
      expect(body).not.toContain('"status"');
      expect([200, 400, 401, 404]).toContain(response.status);
    }
  });

  test("malformed percent-encoding in a UI path -> 400, and the server keeps answering", async () => {
    const response = await get("/assets/%E0%A4%A.js", { auth: false });
    expect(response.status).toBe(400);
    expect((await get("/api/health")).status).toBe(200);
  });

  test("API answers carry the framing and referrer headers too", async () => {
    const response = await get("/api/health");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const refused = await get("/api/health", { auth: false });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-frame-options")).toBe("DENY");
  });

  test("WebSocket with the token in the query connects and answers a ping", async () => {
    const client = await TestSocket.open(`ws://127.0.0.1:${server().port}/ws?token=${server().token}`);
    client.send({ type: "ping", t: 42 });
    expect(await client.next((e) => e.type === "pong")).toMatchObject({ type: "pong", t: 42 });
    client.close();
  });
});

describe("DNS rebinding and cross-origin requests", () => {
  test("Host: evil.example:PORT -> 421 for HTTP, even with the token", async () => {
    const raw = await rawRequest(server().port, {
      path: "/api/health",
      headers: { Host: `evil.example:${server().port}`, Authorization: `Bearer ${server().token}` },
    });
    expect(raw.status).toBe(421);
    expect(JSON.parse(raw.body).error.code).toBe("misdirected_request");
    expect(raw.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("Host: evil.example:PORT -> 421 for the WebSocket upgrade", async () => {
    const raw = await rawRequest(server().port, {
      path: `/ws?token=${server().token}`,
      headers: upgradeHeaders(`evil.example:${server().port}`),
    });
    expect(raw.status).toBe(421);
  });

  test("the same request with our own Host is served (the refusal is about the Host alone)", async () => {
    const raw = await rawRequest(server().port, {
      path: "/api/health",
      headers: { Host: `127.0.0.1:${server().port}`, Authorization: `Bearer ${server().token}` },
    });
    expect(raw.status).toBe(200);
    const upgrade = await rawRequest(server().port, {
      path: `/ws?token=${server().token}`,
      headers: upgradeHeaders(`localhost:${server().port}`),
    });
    expect(upgrade.status).toBe(101);
  });

  test("WebSocket upgrade with Origin http://evil.example -> 403; our own origin is allowed", async () => {
    const host = `127.0.0.1:${server().port}`;
    const foreign = await rawRequest(server().port, {
      path: `/ws?token=${server().token}`,
      headers: upgradeHeaders(host, { Origin: "http://evil.example" }),
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe("forbidden_origin");

    const own = await rawRequest(server().port, {
      path: `/ws?token=${server().token}`,
      headers: upgradeHeaders(host, { Origin: `http://${host}` }),
    });
    expect(own.status).toBe(101);

    const client = await TestSocket.open(`ws://${host}/ws?token=${server().token}`, {
      Origin: `http://${host}`,
    });
    client.send({ type: "ping", t: 1 });
    expect((await client.next()).type).toBe("pong");
    client.close();
    await expect(
      TestSocket.open(`ws://${host}/ws?token=${server().token}`, { Origin: "http://evil.example" }),
    ).rejects.toThrow();
  });

  test("POST with a foreign Origin -> 403 and the action does not happen", async () => {
    const before = server().shellCalls.activate;
    const response = await get("/api/app/activate", {
      method: "POST",
      headers: { origin: "http://evil.example" },
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden_origin");
    expect(server().shellCalls.activate).toBe(before);

    const own = await get("/api/app/activate", { method: "POST", headers: { origin: server().url } });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ shown: false });
    expect(server().shellCalls.activate).toBe(before + 1);
  });

  test("a CORS preflight gets no Access-Control-Allow-Origin", async () => {
    const response = await get("/api/health", {
      method: "OPTIONS",
      auth: false,
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe("the UI's static files", () => {
  const hashedAsset = () => {
    const file = readdirSync(join(UI_DIST, "assets")).find((name) => name.endsWith(".js"));
    if (!file) throw new Error("ui/dist/assets has no .js file");
    return `/assets/${file}`;
  };

  test("/ is index.html, text/html, revalidated", async () => {
    const response = await get("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toBe(await Bun.file(join(UI_DIST, "index.html")).text());
  });

  test("a hashed asset is served with its type and cached as immutable", async () => {
    const path = hashedAsset();
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(response.headers.get("cache-control")).toContain("max-age=31536000");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await response.arrayBuffer()).byteLength).toBe(Bun.file(join(UI_DIST, path)).size);
  });

  test("an unknown route without an extension gets index.html (SPA fallback)", async () => {
    for (const path of ["/some/route", "/sessions/abc123"]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  test("a missing file with an extension -> 404, not index.html", async () => {
    const response = await get("/missing.js");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<div id="root">');
  });

  test("an unknown API path -> 404 JSON, never the SPA", async () => {
    const response = await get("/api/nope");
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_found");
  });

  test("path traversal does not leave ui/dist", async () => {
    for (const path of ["/..%2f..%2fpackage.json", "/assets/..%2f..%2f..%2fpackage.json"]) {
      const response = await get(path);
      expect(response.status).toBe(404);
    }
  });
});

/** A JSON schema that allows any object: no fields, items, variants or reference to check against. */
function saysNothing(schema: Record<string, unknown>): boolean {
  const shaped = ["items", "anyOf", "oneOf", "allOf", "$ref", "const", "enum", "patternProperties"];
  if (shaped.some((key) => key in schema)) return false;
  if (Object.keys((schema.properties as object | undefined) ?? {}).length > 0) return false;
  // Exactly the empty object, or a map of declared values.
  if (schema.additionalProperties === false || typeof schema.additionalProperties === "object") return false;
  return schema.type === undefined || schema.type === "object";
}

describe("the API description and app routes", () => {
  test("the OpenAPI document at /api/openapi/json lists /api/health and not the socket", async () => {
    const response = await get("/api/openapi/json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { info: { version: string }; paths: Record<string, unknown> };
    expect(document.info.version).toBe(VERSION);
    expect(Object.keys(document.paths)).toContain("/api/health");
    expect(Object.keys(document.paths)).not.toContain("/ws");
  });

  test("/api/openapi serves the same document; every operation requires the token scheme", async () => {
    const response = await get("/api/openapi");
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      security?: Record<string, unknown>[];
      components: { securitySchemes?: Record<string, { type: string; scheme?: string; in?: string }> };
    };
    expect(document).toEqual(await (await get("/api/openapi/json")).json());
    expect(document.components.securitySchemes?.token).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.components.securitySchemes?.tokenQuery).toMatchObject({ type: "apiKey", in: "query" });
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(50);
    const unsecured = operations.filter(
      ({ operation }) => (operation.security ?? document.security ?? []).length === 0,
    );
    expect(unsecured.map(({ path, method }) => `${method} ${path}`)).toEqual([]);
    // And the server agrees: without the token the document itself is refused.
    expect((await get("/api/openapi", { auth: false })).status).toBe(401);
  });

  test("every operation declares a schema for its success answer and the one error body", async () => {
    type Answer = { content?: Record<string, { schema?: Record<string, unknown> }> };
    const document = (await (await get("/api/openapi/json")).json()) as {
      paths: Record<string, Record<string, { responses?: Record<string, Answer> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.components.schemas.Error).toEqual(JSON.parse(JSON.stringify(ApiErrorBody)));
    const problems: string[] = [];
    let files = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(operation.responses ?? {});
        const success = statuses.filter((status) => /^2\d\d$/.test(status));
        if (success.length !== 1) problems.push(`${name}: success answers ${success.join(",") || "none"}`);
        for (const status of success) {
          const content = operation.responses?.[status]?.content ?? {};
          const types = Object.keys(content);
          if (types.length === 0) problems.push(`${name}: ${status} has no content`);
          for (const type of types) {
            const schema = content[type]?.schema;
            if (!schema || Object.keys(schema).length === 0)
              problems.push(`${name}: ${status} ${type} no schema`);
            else if (type === "application/json" && saysNothing(schema))
              problems.push(`${name}: ${status} is any object (no fields declared)`);
            if (type !== "application/json") files++;
          }
        }
        for (const status of ["401", "4XX", "5XX"]) {
          const schema = operation.responses?.[status]?.content?.["application/json"]?.schema;
          if (schema?.$ref !== "#/components/schemas/Error") problems.push(`${name}: ${status} is not Error`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Downloads, exports and the change stream are documented by content type, not as JSON.
    expect(files).toBeGreaterThanOrEqual(6);
    const tree = document.paths["/api/agents/{id}/workspace/file"]?.get?.responses?.["200"]?.content;
    expect(tree?.["application/octet-stream"]?.schema).toEqual({ type: "string", format: "binary" });
  });

  test("error answers match the documented Error body", async () => {
    for (const [path, auth] of [
      ["/api/sessions/ses_missing", true],
      ["/api/no-such-route", true],
      ["/api/sessions", false],
    ] as const) {
      const response = await get(path, { auth });
      expect(response.status).toBeGreaterThanOrEqual(400);
      const body = await response.json();
      expect(Value.Check(ApiErrorBody, body)).toBe(true);
    }
  });

  test("the test-only crash route does not exist without test hooks", async () => {
    const response = await get("/api/app/debug/crash-worker", { method: "POST" });
    expect(response.status).toBe(404);
    const document = (await (await get("/api/openapi/json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).some((path) => path.includes("debug"))).toBe(false);
  });

  test("POST /api/app/quit asks the shell to quit", async () => {
    const before = server().shellCalls.quit;
    const response = await get("/api/app/quit", { method: "POST" });
    expect(await response.json()).toEqual({ quitting: true });
    await Bun.sleep(120);
    expect(server().shellCalls.quit).toBe(before + 1);
  });

  test("open-external refuses bad and non-web URLs with a clear 400", async () => {
    for (const url of ["not a url", "javascript:alert(1)", "file:///etc/passwd"]) {
      const response = await get("/api/app/open-external", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; field: string; message: string } };
      expect(body.error).toMatchObject({ code: "invalid", field: "url" });
    }
    const missing = await get("/api/app/open-external", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(400);
    expect(await errorCode(missing)).toBe("invalid");
  });
});

describe("WebSocket frames", () => {
  test("bad frames get an error event each and the socket stays usable", async () => {
    const client = await TestSocket.open(`ws://127.0.0.1:${server().port}/ws?token=${server().token}`);
    client.send("this is not json");
    const notJson = await client.next();
    expect(notJson).toMatchObject({ type: "error", code: "bad_frame" });

    client.send({ type: "teleport", sessionId: "s" });
    const unknownType = await client.next();
    expect(unknownType).toMatchObject({ type: "error", code: "bad_frame", ref: "teleport" });

    client.send({ type: "subscribe", sessionId: "s1" });
    const missingField = await client.next();
    expect(missingField).toMatchObject({ type: "error", code: "bad_frame", ref: "subscribe" });
    expect((missingField as { message: string }).message).toContain("subscribe");

    client.socket.send(new Uint8Array([1, 2, 3]));
    expect(await client.next()).toMatchObject({ type: "error", code: "bad_frame" });

    client.send({ type: "ping", t: 7 });
    expect(await client.next()).toMatchObject({ type: "pong", t: 7 });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  test("subscribing to an unknown session is an error event, not a disconnect", async () => {
    const client = await TestSocket.open(`ws://127.0.0.1:${server().port}/ws?token=${server().token}`);
    client.send({ type: "subscribe", sessionId: "no-such-session", afterSeq: 0 });
    expect(await client.next()).toMatchObject({ type: "error", code: "not_found", ref: "subscribe" });
    client.send({ type: "ping", t: 8 });
    expect(await client.next()).toMatchObject({ type: "pong", t: 8 });
    client.close();
  });
});

describe("after everything above", () => {
  test("no response carried Access-Control-Allow-Origin", () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const response of seen) expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("the log file was written and does not contain the token", () => {
    const text = server().logText();
    expect(text).toContain("serving on");
    expect(text).not.toContain(server().token);
  });
});
