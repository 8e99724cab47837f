/**
 * GET /api/openapi/json: the OpenAPI document of the HTTP API, generated from the routes' TypeBox
 * schemas on the first request and cached. The generator (@elysiajs/openapi) is loaded only then: the
 * running app never pays for documentation nobody asked for. Hidden routes (detail.hide) and the
 * WebSocket are left out.
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
      cached = { openapi: "3.1.0", info, paths, components };
      return cached;
    },
    { detail: { hide: true } },
  );
}
