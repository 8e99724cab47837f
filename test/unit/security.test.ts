import { describe, expect, test } from "bun:test";
import {
  checkRequest,
  checkToken,
  contentSecurityPolicy,
  isAllowedHost,
  newToken,
  type SecurityConfig,
  type Verdict,
} from "../../src/server/security.ts";

const TOKEN = "test-token-0123456789abcdef";
const PORT = 4123;
const config: SecurityConfig = { token: TOKEN, bindHost: "127.0.0.1", port: PORT, extraOrigins: [] };

interface Call {
  path?: string;
  method?: string;
  host?: string;
  headers?: Record<string, string>;
  config?: SecurityConfig;
}

function check(call: Call = {}): Verdict {
  const host = call.host ?? `127.0.0.1:${PORT}`;
  // A malformed Host makes no URL; the server then sees whatever URL Bun built, with that Host header.
  const path = call.path ?? "/api/health";
  const url = URL.parse(`http://${host}${path}`) ?? new URL(`http://127.0.0.1:${PORT}${path}`);
  const request = new Request(url, {
    method: call.method ?? "GET",
    headers: { host, ...call.headers },
  });
  // As the server does for everything that is not the UI shell: who may talk to us, then the token.
  const verdict = checkRequest(request, call.config ?? config);
  return verdict.ok ? checkToken(request, url, call.config ?? config) : verdict;
}

async function denial(verdict: Verdict): Promise<{ status: number; code: string }> {
  if (verdict.ok) throw new Error("expected a refusal");
  const body = (await verdict.response.json()) as { error: { code: string } };
  return { status: verdict.response.status, code: body.error.code };
}

const bearer = { authorization: `Bearer ${TOKEN}` };

describe("checkRequest: the token", () => {
  test("missing token -> 401", async () => {
    expect(await denial(check())).toEqual({ status: 401, code: "unauthorized" });
  });

  test("wrong token, same length or not -> 401", async () => {
    const sameLength = TOKEN.replace(/.$/, "X");
    expect(await denial(check({ headers: { authorization: `Bearer ${sameLength}` } }))).toMatchObject({
      status: 401,
    });
    expect(await denial(check({ headers: { authorization: "Bearer short" } }))).toMatchObject({
      status: 401,
    });
    expect(await denial(check({ path: `/api/health?token=${TOKEN}extra` }))).toMatchObject({ status: 401 });
  });

  test("accepted via Authorization: Bearer, or ?token= on a GET", () => {
    expect(check({ headers: bearer }).ok).toBe(true);
    expect(check({ path: `/api/health?token=${TOKEN}` }).ok).toBe(true);
  });

  test("an empty token, a prefix of the token or the token plus more -> 401 (the length check)", async () => {
    for (const presented of ["", TOKEN.slice(0, 1), TOKEN.slice(0, -1), `${TOKEN}x`]) {
      const viaHeader = check({ headers: { authorization: `Bearer ${presented}` } });
      expect(await denial(viaHeader)).toMatchObject({ status: 401 });
      const viaQuery = check({ path: `/api/health?token=${encodeURIComponent(presented)}` });
      expect(await denial(viaQuery)).toMatchObject({ status: 401 });
    }
  });

  test("a cookie is never a credential, whatever its name", async () => {
    for (const cookie of [`sage_token=${TOKEN}`, `token=${TOKEN}`, `theme=dark; sage_token=${TOKEN}`]) {
      expect(await denial(check({ headers: { cookie } }))).toMatchObject({ status: 401 });
    }
  });

  test("a Basic authorization header is not a token", async () => {
    const basic = { authorization: `Basic ${TOKEN}` };
    expect(await denial(check({ headers: basic }))).toMatchObject({ status: 401 });
  });

  test("?token= is not accepted on a state-changing request (it needs the header)", async () => {
    expect(await denial(check({ method: "POST", path: `/api/sessions?token=${TOKEN}` }))).toMatchObject({
      status: 401,
    });
    expect(check({ method: "POST", path: "/api/sessions", headers: bearer }).ok).toBe(true);
  });

  test("the WebSocket upgrade with ?token= is accepted", () => {
    expect(check({ path: `/ws?token=${TOKEN}`, headers: { upgrade: "websocket" } }).ok).toBe(true);
  });
});

describe("contentSecurityPolicy", () => {
  test("no inline script, no framing, connections only to ourselves", () => {
    const csp = contentSecurityPolicy(`127.0.0.1:${PORT}`);
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name as string, values];
      }),
    );
    expect(directives.get("script-src")).not.toContain("'unsafe-inline'");
    expect(directives.get("script-src")).not.toContain("'unsafe-eval'");
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("connect-src")).toEqual(["'self'", `ws://127.0.0.1:${PORT}`]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
  });
});

describe("checkRequest: the Host header (DNS rebinding)", () => {
  test.each([[`127.0.0.1:${PORT}`], [`localhost:${PORT}`], [`LOCALHOST:${PORT}`], [`[::1]:${PORT}`]])(
    "loopback %p with our port is served",
    (host) => {
      expect(check({ host, headers: bearer }).ok).toBe(true);
    },
  );

  test.each([
    [`evil.example:${PORT}`],
    ["127.0.0.1:80"],
    ["127.0.0.1"],
    [`127.0.0.1:${PORT + 1}`],
    [`192.168.1.5:${PORT}`],
    [`localhost.evil.example:${PORT}`],
  ])("host %p -> 421 even with the right token", async (host) => {
    expect(await denial(check({ host, headers: bearer }))).toEqual({
      status: 421,
      code: "misdirected_request",
    });
  });

  test.each([
    [""],
    ["[::1"],
    [`a b:${PORT}`],
    [`127.0.0.1:${PORT}:${PORT}`],
    ["127.0.0.1:99999999999999999999"],
    ["%zz"],
    [`127.0.0.1:${PORT}/x?`],
    [`127.0.0.1:${PORT}@evil.example`],
    [`:${PORT}`],
    [`[]:${PORT}`],
    [`\u00ff:${PORT}`],
  ])("malformed host %p -> 400 invalid_host", async (host) => {
    expect(await denial(check({ host, headers: bearer }))).toEqual({ status: 400, code: "invalid_host" });
  });

  test("bound to a LAN address: IP literals and the bound name pass, other names do not", () => {
    const lan: SecurityConfig = { ...config, bindHost: "0.0.0.0" };
    expect(isAllowedHost(`192.168.1.5:${PORT}`, lan)).toBe(true);
    expect(isAllowedHost(`[fe80::1]:${PORT}`, lan)).toBe(true);
    expect(isAllowedHost(`localhost:${PORT}`, lan)).toBe(true);
    expect(isAllowedHost(`evil.example:${PORT}`, lan)).toBe(false);
    expect(isAllowedHost("192.168.1.5:9", lan)).toBe(false);
    const named: SecurityConfig = { ...config, bindHost: "myhost.lan" };
    expect(isAllowedHost(`myhost.lan:${PORT}`, named)).toBe(true);
    expect(isAllowedHost(`other.lan:${PORT}`, named)).toBe(false);
  });
});

describe("checkRequest: the Origin header", () => {
  const ours = `http://127.0.0.1:${PORT}`;

  test("WebSocket upgrade from a foreign origin -> 403, even with the token", async () => {
    const headers = { ...bearer, upgrade: "websocket", origin: "http://evil.example" };
    expect(await denial(check({ path: "/ws", headers }))).toEqual({ status: 403, code: "forbidden_origin" });
  });

  test("WebSocket upgrade from our own origin is accepted", () => {
    expect(check({ path: "/ws", headers: { ...bearer, upgrade: "websocket", origin: ours } }).ok).toBe(true);
  });

  test("same host but another port, or https, is foreign", async () => {
    const headers = { ...bearer, upgrade: "websocket" };
    for (const origin of [`http://127.0.0.1:${PORT + 1}`, `https://127.0.0.1:${PORT}`, "null", "garbage"]) {
      expect(await denial(check({ path: "/ws", headers: { ...headers, origin } }))).toMatchObject({
        status: 403,
      });
    }
  });

  test("state-changing methods from a foreign origin -> 403; safe methods are not origin-checked", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const verdict = check({
        method,
        path: "/api/app/quit",
        headers: { ...bearer, origin: "http://evil.example" },
      });
      expect(await denial(verdict)).toMatchObject({ status: 403 });
    }
    expect(check({ headers: { ...bearer, origin: "http://evil.example" } }).ok).toBe(true);
    expect(check({ method: "POST", path: "/api/app/quit", headers: { ...bearer, origin: ours } }).ok).toBe(
      true,
    );
  });

  test("the host check comes first, then origin, then the token", async () => {
    expect(
      await denial(check({ host: "evil.example:1", headers: { origin: "http://evil.example" } })),
    ).toMatchObject({ status: 421 });
    expect(await denial(check({ method: "POST", headers: { origin: "http://evil.example" } }))).toMatchObject(
      { status: 403 },
    );
  });

  test("the dev server's origin is allowed only when configured", async () => {
    const headers = { ...bearer, upgrade: "websocket", origin: "http://localhost:5173" };
    expect(await denial(check({ path: "/ws", headers }))).toMatchObject({ status: 403 });
    const dev: SecurityConfig = { ...config, extraOrigins: ["http://localhost:5173"] };
    expect(check({ path: "/ws", headers, config: dev }).ok).toBe(true);
  });

  test("refusals never carry Access-Control-Allow-Origin", () => {
    for (const verdict of [
      check(),
      check({ host: "evil.example" }),
      check({ method: "POST", headers: { origin: "http://evil.example" } }),
      check({ path: `/api/health?token=${TOKEN}x` }),
    ]) {
      if (verdict.ok) throw new Error("expected a response");
      expect(verdict.response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("newToken", () => {
  test("32 random bytes, URL-safe, different every time", () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
