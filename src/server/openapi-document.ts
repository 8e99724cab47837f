/**
 * GET /api/openapi (and /api/openapi/json): the OpenAPI document of the HTTP API, generated from the routes' TypeBox
 * schemas on the first request and cached. The generator (@elysiajs/openapi) is loaded only then: the
 * running app never pays for documentation nobody asked for. Hidden routes (detail.hide) and the
 * WebSocket are left out. Request bodies are listed as JSON only: the app's body parser answers 415 to
 * forms (src/server/body-limits.ts); each operation's `x-body-limit` is its largest body in bytes.
 * Every operation needs the per-launch token (src/server/security.ts): the document declares it as the
 * `token` bearer scheme (and `tokenQuery`, the `?token=` form GETs may use) and requires it everywhere.
 */
import { type AnyElysia, Elysia } from "elysia";

/** The document's security schemes: how a client presents the per-launch token. */
export const SECURITY_SCHEMES = {
  token: {
    type: "http",
    scheme: "bearer",
    description:
      "The per-launch token Sage prints at start (the ?token= part of its URL), sent as `Authorization: Bearer <token>`.",
  },
  tokenQuery: {
    type: "apiKey",
    in: "query",
    name: "token",
    description: "The same token as a query parameter; accepted on GET requests only (images, downloads).",
  },
} as const;

export function openApiRoute(info: { title: string; version: string }, root: () => AnyElysia) {
  let cached: unknown;
  const documentRoute = async () => {
    if (cached) return cached;
    const { toOpenAPISchema } = await import("@elysiajs/openapi");
    const { paths, components } = toOpenAPISchema(root(), {
      paths: ["/ws", "/api/openapi", "/api/openapi/json"],
    });
    onlyJsonBodies(paths);
    cached = {
      openapi: "3.1.0",
      info,
      paths,
      components: { ...components, securitySchemes: SECURITY_SCHEMES },
      security: [{ token: [] }, { tokenQuery: [] }],
    };
    return cached;
  };
  return new Elysia({ name: "openapi" })
    .get("/api/openapi", documentRoute, { detail: { hide: true } })
    .get("/api/openapi/json", documentRoute, { detail: { hide: true } });
}

/** The generator offers JSON, urlencoded and multipart for every object body; the app takes JSON. */
function onlyJsonBodies(paths: unknown): void {
  for (const methods of Object.values((paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const operation of Object.values(methods ?? {})) {
      const content = (operation as { requestBody?: { content?: Record<string, unknown> } })?.requestBody
        ?.content;
      if (!content?.["application/json"]) continue;
      for (const type of Object.keys(content)) if (type !== "application/json") delete content[type];
    }
  }
}
