/**
 * GET /api/openapi/json: the OpenAPI document of the HTTP API, generated from the routes' TypeBox
 * schemas on the first request and cached. The generator (@elysiajs/openapi) is loaded only then: the
 * running app never pays for documentation nobody asked for. Hidden routes (detail.hide) and the
 * WebSocket are left out. Request bodies are listed as JSON only: the app's body parser answers 415 to
 * forms (src/server/body-limits.ts); each operation's `x-body-limit` is its largest body in bytes.
 */
import { type AnyElysia, Elysia } from "elysia";

export function openApiRoute(info: { title: string; version: string }, root: () => AnyElysia) {
  let cached: unknown;
  return new Elysia({ name: "openapi" }).get(
    "/api/openapi/json",
    async () => {
      if (cached) return cached;
      const { toOpenAPISchema } = await import("@elysiajs/openapi");
      const { paths, components } = toOpenAPISchema(root(), { paths: ["/ws", "/api/openapi/json"] });
      onlyJsonBodies(paths);
      cached = { openapi: "3.1.0", info, paths, components };
      return cached;
    },
    { detail: { hide: true } },
  );
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
