/**
 * Access control for the local server (see DESIGN.md "Security model").
 *
 * Contract, for every HTTP request and WebSocket upgrade:
 * 1. The Host header must name us: a loopback name or IP with our port, or — only when bound to a
 *    non-loopback address — an IP literal with our port. Any other name is refused (DNS rebinding).
 * 2. WebSocket upgrades and state-changing methods with an Origin header must come from our own
 *    origin (or the dev server's, in `bun run dev`). Requests without Origin (curl, tests) pass this
 *    check but still need the token.
 * 3. The per-launch token must be present: `Authorization: Bearer`, the `sage_token` cookie, or a
 *    `token` query parameter. A page load with a valid `?token=` is answered with a redirect that sets
 *    the HttpOnly SameSite=Strict cookie and drops the token from the address bar.
 * Comparisons are constant-time. Nothing here ever sets Access-Control-Allow-Origin.
 */
import { isLoopbackHost } from "../core/args.ts";

export const TOKEN_COOKIE = "sage_token";

export interface SecurityConfig {
  token: string;
  /** The address the server is bound to. */
  bindHost: string;
  /** Set once listening. */
  port: number;
  /** Extra origins allowed (the Vite dev server). */
  extraOrigins: string[];
}

export type Verdict = { ok: true } | { ok: false; response: Response };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function checkRequest(request: Request, url: URL, config: SecurityConfig): Verdict {
  const host = request.headers.get("host") ?? "";
  if (!isAllowedHost(host, config)) {
    return deny(421, "misdirected_request", `This Sage server does not answer for host "${host}".`);
  }
  const upgrade = request.headers.get("upgrade")?.toLowerCase() === "websocket";
  const origin = request.headers.get("origin");
  if (origin && (upgrade || !SAFE_METHODS.has(request.method)) && !isAllowedOrigin(origin, host, config)) {
    return deny(403, "forbidden_origin", "Requests from another site are not allowed.");
  }
  const presented = presentedToken(request, url);
  if (!presented || !sameSecret(presented.value, config.token)) {
    return deny(401, "unauthorized", "Missing or wrong access token. Open the URL Sage printed at start.");
  }
  if (
    presented.via === "query" &&
    !upgrade &&
    request.method === "GET" &&
    !url.pathname.startsWith("/api/")
  ) {
    const clean = new URL(url);
    clean.searchParams.delete("token");
    return {
      ok: false,
      response: new Response(null, {
        status: 302,
        headers: {
          location: clean.pathname + clean.search + clean.hash,
          "set-cookie": `${TOKEN_COOKIE}=${config.token}; HttpOnly; SameSite=Strict; Path=/`,
          "cache-control": "no-store",
        },
      }),
    };
  }
  return { ok: true };
}

export function isAllowedHost(hostHeader: string, config: SecurityConfig): boolean {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match) return false;
  const name = (match[1] as string).toLowerCase();
  const port = Number(match[2] ?? 80);
  if (port !== config.port) return false;
  if (isLoopbackHost(name)) return true;
  if (isLoopbackHost(config.bindHost)) return false;
  return isIpLiteral(name) || name === config.bindHost.toLowerCase();
}

function isAllowedOrigin(origin: string, hostHeader: string, config: SecurityConfig): boolean {
  if (config.extraOrigins.includes(origin)) return true;
  try {
    const parsed = new URL(origin);
    return parsed.protocol === "http:" && parsed.host === hostHeader.toLowerCase();
  } catch {
    return false;
  }
}

function presentedToken(
  request: Request,
  url: URL,
): { value: string; via: "header" | "cookie" | "query" } | null {
  const auth = request.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) return { value: auth.slice(7).trim(), via: "header" };
  const query = url.searchParams.get("token");
  if (query) return { value: query, via: "query" };
  const cookie = request.headers.get("cookie");
  if (cookie) {
    for (const piece of cookie.split(";")) {
      const [name, ...rest] = piece.trim().split("=");
      if (name === TOKEN_COOKIE) return { value: rest.join("="), via: "cookie" };
    }
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  // Constant time for equal lengths (the token's length is not a secret). Not node:crypto's
  // timingSafeEqual: loading node:crypto costs ~10 MB of resident memory for this one comparison.
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.startsWith("[") && name.endsWith("]"));
}

function deny(status: number, code: string, message: string): Verdict {
  return {
    ok: false,
    response: new Response(JSON.stringify({ error: { code, message } }), {
      status,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    }),
  };
}

/** A fresh per-launch token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}
