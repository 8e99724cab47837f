/**
 * Access control for the local server (see DESIGN.md "Security model" and SECURITY.md).
 *
 * Contract, for every HTTP request and WebSocket upgrade:
 * 1. The Host header must name us: a loopback name or IP with our port, or — only when bound to a
 *    non-loopback address — an IP literal with our port. Any other name is refused (421: DNS
 *    rebinding); a header that is not a host name at all (empty, spaces, "%", "@", a second port) 400.
 * 2. WebSocket upgrades and state-changing methods with an Origin header must come from our own
 *    origin (or the dev server's, in `bun run dev`). Requests without Origin (curl, tests) pass this
 *    check but still need the token.
 * 3. Everything but the UI shell needs the per-launch token (`checkToken`): `Authorization: Bearer`, or a `token`
 *    query parameter on a GET / WebSocket upgrade (for <img src>, EventSource and the socket, which
 *    cannot send headers). No cookie is ever set or read: cookies are not scoped by port, so every other
 *    server on 127.0.0.1 that the browser visits would receive it. The page keeps the token in
 *    origin-scoped storage (ui/public/boot.js), which another port cannot read.
 * 4. The UI shell (index.html, its hashed assets, icons: whatever `serveUi` answers) is public: it holds
 *    no data and no secret, and a reload must load it before the page can present the token. The
 *    server asks `serveUi` first and requires the token for everything it does not answer, so an odd
 *    spelling of an API path can only ever get the shell, never data (deny by default).
 * Comparisons are constant-time. Nothing here ever sets Access-Control-Allow-Origin.
 */
import { isLoopbackHost } from "../core/args.ts";

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

/** A host name, IPv4 or bracketed IPv6 literal, and an optional port: anything else is malformed (400). */
const HOST_SYNTAX = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::(\d{1,5}))?$/;

/** Rules 1 and 2: who may talk to us at all. */
export function checkRequest(request: Request, config: SecurityConfig): Verdict {
  const host = request.headers.get("host") ?? "";
  if (!HOST_SYNTAX.test(host)) {
    const shown = host.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
    return deny(400, "invalid_host", `The Host header "${shown}" is not a host name with a port.`);
  }
  if (!isAllowedHost(host, config)) {
    return deny(421, "misdirected_request", `This Sage server does not answer for host "${host}".`);
  }
  const upgrade = request.headers.get("upgrade")?.toLowerCase() === "websocket";
  const origin = request.headers.get("origin");
  if (origin && (upgrade || !SAFE_METHODS.has(request.method)) && !isAllowedOrigin(origin, host, config)) {
    return deny(403, "forbidden_origin", "Requests from another site are not allowed.");
  }
  return { ok: true };
}

/** Rule 3: the token, presented as a header (or a query parameter where no header can be sent). */
export function checkToken(request: Request, url: URL, config: SecurityConfig): Verdict {
  const upgrade = request.headers.get("upgrade")?.toLowerCase() === "websocket";
  const presented = presentedToken(request, url, upgrade);
  if (!presented || !sameSecret(presented, config.token)) {
    return deny(401, "unauthorized", "Missing or wrong access token. Open the URL Sage printed at start.");
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

function presentedToken(request: Request, url: URL, upgrade: boolean): string | null {
  const auth = request.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  if (upgrade || request.method === "GET" || request.method === "HEAD") return url.searchParams.get("token");
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

/**
 * Headers for every response: no framing by other pages (clickjacking), no Referer (URLs of images and
 * the socket may carry the token), no type sniffing.
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/**
 * The UI's Content-Security-Policy: scripts only from our own files (no inline script: the page's boot
 * code is /boot.js), connections only to ourselves (the socket named by its ws: origin for engines
 * whose 'self' does not cover ws:), never framed. Inline styles stay allowed (Solid's style bindings,
 * KaTeX and mermaid's SVG); 'wasm-unsafe-eval' lets the highlighter compile its regex engine.
 */
export function contentSecurityPolicy(hostHeader: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${hostHeader}`,
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh per-launch token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}
