/**
 * Request bodies are bounded before anything parses them. Elysia would read any body whole and parse
 * it (`request.json()`): a 100 MB JSON body took ~1.26 GB of memory before validation refused it, and a
 * 100,000-deep one overflowed the stack (500). Instead:
 *
 * - Bun itself refuses bodies over MAX_REQUEST_BODY_BYTES (413), declared or chunked, before any of
 *   our code runs (`serve.maxRequestBodySize`).
 * - Every route has a body limit: DEFAULT_BODY_LIMIT, or its own, declared next to the route with
 *   `detail: { ...bodyLimit(bytes) }` (an `x-body-limit` the OpenAPI document shows).
 * - One parse hook (`boundedBodyParser`) runs for every route that takes a body: a Content-Length over
 *   the route's limit is refused at once (ContentTooLargeError, 413); otherwise the body is read as a
 *   stream and reading stops at the limit (chunked bodies too). Then:
 *   - JSON (`application/json`, `*+json`, or no Content-Type): nesting deeper than MAX_NESTING_DEPTH
 *     and text that is not UTF-8 or not JSON are a ValidationError (400) with what is wrong;
 *   - anything else (forms, multipart, text, XML ...) is UnsupportedMediaTypeError (415): every such
 *     route takes JSON.
 * - Routes that stream their own body (`parse: "none"`: attachments, skill .zip upload) get only the
 *   Content-Length check here; they count what they read themselves (see their handlers).
 * Errors thrown here reach the app's onError wrapped in Elysia's ParseError; http-errors.ts unwraps them.
 */
import type { AnyElysia } from "elysia";
import { ContentTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../core/errors.ts";
import { MAX_NESTING_DEPTH, nestingExceeds } from "../core/nesting.ts";
import { formatBytes } from "../shared/byte-size.ts";

export const MiB = 1024 * 1024;

/** Limit of a route that declares none: plenty for any settings or agent object. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;
/** Room for multipart boundaries and part headers on top of an upload's own limit. */
export const MULTIPART_FRAMING_BYTES = 64 * 1024;
/** Bun's own cap on any request body: the largest route limit (attachments). */
export const MAX_REQUEST_BODY_BYTES = 200 * MiB + MULTIPART_FRAMING_BYTES;

/** The `detail` entry declaring a route's own body limit (spread it into the route's detail). */
export function bodyLimit(bytes: number): { "x-body-limit": number } {
  if (bytes > MAX_REQUEST_BODY_BYTES) throw new Error(`A route's body limit exceeds the server's (${bytes})`);
  return { "x-body-limit": bytes };
}

export interface BodyPolicy {
  limit: number;
  /** The handler reads the request body itself (`parse: "none"`). */
  streamed: boolean;
}

const DEFAULT_POLICY: BodyPolicy = { limit: DEFAULT_BODY_LIMIT, streamed: false };

/** Finds the policy of the route a request is for (by method and URL path, as the router does). */
export type PolicyLookup = (method: string, pathname: string) => BodyPolicy;

/** Each route's policy, read from the finished app's routes (their `detail` and `parse`). */
export function bodyPolicies(app: AnyElysia): PolicyLookup {
  const routes: { method: string; pattern: RegExp; policy: BodyPolicy }[] = [];
  for (const route of app.routes) {
    const hooks = route.hooks as { detail?: Record<string, unknown>; parse?: unknown } | undefined;
    const declared = hooks?.detail?.["x-body-limit"];
    const parse = hooks?.parse;
    const parsers = Array.isArray(parse) ? parse : parse === undefined ? [] : [parse];
    const streamed = parsers.some((entry) => entry === "none" || (entry as { fn?: unknown })?.fn === "none");
    routes.push({
      method: route.method,
      pattern: routePattern(route.path),
      policy: { limit: typeof declared === "number" ? declared : DEFAULT_BODY_LIMIT, streamed },
    });
  }
  return (method, pathname) => {
    const path = trimSlash(pathname);
    return (
      routes.find((route) => route.method === method && route.pattern.test(path))?.policy ?? DEFAULT_POLICY
    );
  };
}

/** "/api/skills/:name/file" -> /^\/api\/skills\/[^/]+\/file$/ (a trailing slash is optional, as in the router). */
function routePattern(path: string): RegExp {
  const source = trimSlash(path)
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? "[^/]+"
        : segment === "*"
          ? ".*"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/**
 * The app's one body parser (an Elysia parse hook). `policies` is called on the first request, once the
 * app holds all its routes. Returns the parsed JSON, null for a streamed route, or undefined for "no
 * body" (Elysia then leaves the body empty, or refuses it when the route requires one).
 */
export function boundedBodyParser(policies: () => PolicyLookup) {
  let lookup: PolicyLookup | undefined;
  return async ({ request }: { request: Request }, contentType: string): Promise<unknown> => {
    lookup ??= policies();
    const policy = lookup(request.method, pathnameOf(request.url));
    const declared = Number(request.headers.get("content-length") ?? Number.NaN);
    if (declared > policy.limit) throw tooLarge(policy.limit);
    if (policy.streamed) return null;
    if (!request.body || declared === 0) return undefined;

    const media = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    if (media !== "" && media !== "application/json" && !media.endsWith("+json")) {
      await request.body.cancel().catch(() => {});
      throw new UnsupportedMediaTypeError(
        `This route takes JSON (Content-Type: application/json), not ${media}.`,
      );
    }
    const bytes = await readBodyWithin(request.body, policy.limit);
    if (bytes.length === 0) return undefined;
    return parseJsonBytes(bytes);
  };
}

/**
 * The whole body, or ContentTooLargeError as soon as it passes `limit` (what was read is dropped at
 * once and the rest is never read: the client's upload is cancelled).
 */
export async function readBodyWithin(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      chunks.length = 0;
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The path of a request URL without parsing the whole URL ("http://h:1/a/b?x" -> "/a/b"). */
function pathnameOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const end = url.search(/[?#]/);
  return url.slice(start, end === -1 ? undefined : end);
}

/** JSON from request bytes, with the nesting checked first; a ValidationError says what is wrong. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  if (nestingExceeds(bytes)) {
    throw new ValidationError(`The request body nests deeper than ${MAX_NESTING_DEPTH} levels.`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError("The request body is not UTF-8 text.");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : "";
    throw new ValidationError(`The request body is not valid JSON (${detail}).`);
  }
}

function tooLarge(limit: number): ContentTooLargeError {
  return new ContentTooLargeError(
    `The request body is larger than the ${formatBytes(limit)} this route accepts.`,
    limit,
  );
}
