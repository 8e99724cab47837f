/**
 * The built UI (ui/dist), served by the server: from the folder on disk when running from source, or
 * from files embedded in the executable when compiled (scripts/build.ts generates the embedding module).
 *
 * Contract: correct content types; files under /assets/ (content-hashed by Vite) are cached forever
 * (immutable); everything else, index.html included, is revalidated; any other GET that is not an API
 * or WebSocket path and has no file extension gets index.html (SPA fallback). Every answer carries the
 * caller's `headers` (security headers; the CSP for HTML). A path that is not valid percent-encoding
 * gets a 400, never an exception.
 *
 * The executable embeds text assets gzip-compressed (scripts/build.ts; the UI is ~3x smaller so): they
 * are sent as they are, with `content-encoding: gzip`, to a client that accepts gzip (every browser
 * and webview), and decompressed on the way to one that does not.
 */
import { existsSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";

export interface UiAsset {
  body: Blob;
  /** "gzip" when `body` holds the file gzip-compressed. */
  encoding?: "gzip";
}

export interface UiAssets {
  /** A file by URL path ("/index.html", "/assets/x.js"), or undefined. */
  file(path: string): UiAsset | undefined;
  /** Where the files come from, for /api/health and logs. */
  describe(): string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

export function diskAssets(dir: string): UiAssets {
  return {
    file(path) {
      const full = normalize(join(dir, path));
      if (!full.startsWith(dir) || !existsSync(full) || !statSync(full).isFile()) return undefined;
      return { body: Bun.file(full) };
    },
    describe: () => `folder ${dir}`,
  };
}

/**
 * `files` maps "index.html" / "assets/x.js" to the path Bun gives an embedded file; the names in
 * `gzipped` are embedded gzip-compressed.
 */
export function embeddedAssets(
  files: Record<string, string>,
  gzipped: ReadonlySet<string> = new Set(),
): UiAssets {
  return {
    file(path) {
      const name = path.replace(/^\/+/, "");
      const embedded = files[name];
      if (!embedded) return undefined;
      return gzipped.has(name)
        ? { body: Bun.file(embedded), encoding: "gzip" }
        : { body: Bun.file(embedded) };
    },
    describe: () => `embedded (${Object.keys(files).length} files)`,
  };
}

/** Answer a GET for the UI, or undefined when the path is not ours to answer. */
export function serveUi(
  assets: UiAssets,
  pathname: string,
  method: string,
  headers: Record<string, string> = {},
  acceptEncoding = "",
): Response | undefined {
  if (method !== "GET" && method !== "HEAD") return undefined;
  if (pathname === "/api" || pathname.startsWith("/api/") || pathname === "/ws") return undefined;
  let path: string;
  try {
    path = pathname === "/" ? "/index.html" : decodeURIComponent(pathname);
  } catch {
    return new Response("Bad request: the path is not valid percent-encoding.", {
      status: 400,
      headers: { ...headers, "content-type": TYPES[".txt"] as string },
    });
  }
  const file = path.includes("\0") ? undefined : assets.file(path);
  if (file) {
    const immutable = path.startsWith("/assets/");
    return assetResponse(file, acceptEncoding, {
      ...headers,
      "content-type": contentType(path),
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
  }
  if (extname(path) !== "") return undefined;
  const index = assets.file("/index.html");
  if (!index) return missingUi();
  return assetResponse(index, acceptEncoding, {
    ...headers,
    "content-type": TYPES[".html"] as string,
    "cache-control": "no-cache",
  });
}

/** Whether an Accept-Encoding header allows gzip (not refused with q=0). */
export function acceptsGzip(acceptEncoding: string): boolean {
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [coding, ...params] = part.trim().split(";");
    if (coding?.trim() !== "gzip" && coding?.trim() !== "*") continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function assetResponse(asset: UiAsset, acceptEncoding: string, headers: Record<string, string>): Response {
  if (asset.encoding !== "gzip") return new Response(asset.body, { headers });
  const varied = { ...headers, vary: "accept-encoding" };
  if (acceptsGzip(acceptEncoding)) {
    return new Response(asset.body, { headers: { ...varied, "content-encoding": "gzip" } });
  }
  return new Response(asset.body.stream().pipeThrough(new DecompressionStream("gzip")), { headers: varied });
}

function missingUi(): Response {
  return new Response(
    "<!doctype html><title>Sage</title><p>The Sage UI has not been built. Run <code>bun run build:ui</code>.</p>",
    { status: 503, headers: { "content-type": TYPES[".html"] as string } },
  );
}
