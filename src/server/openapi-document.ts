/**
 * GET /api/openapi (and /api/openapi/json): the OpenAPI document of the HTTP API, generated from the routes' TypeBox
 * schemas on the first request and cached. The generator (@elysiajs/openapi) is loaded only then: the
 * running app never pays for documentation nobody asked for. Hidden routes (detail.hide) and the
 * WebSocket are left out. Request bodies are listed as JSON only: the app's body parser answers 415 to
 * forms (src/server/body-limits.ts); each operation's `x-body-limit` is its largest body in bytes.
 * Every operation needs the per-launch token (src/server/security.ts): the document declares it as the
 * `token` bearer scheme (and `tokenQuery`, the `?token=` form GETs may use) and requires it everywhere.
 * Answers: each route declares its success answer (src/server/responses.ts); errors come from the app's one
 * mapping (src/server/http-errors.ts), so the document adds them to every operation once, as the `Error`
 * component (ApiErrorBody): 4XX for refused requests (401 without the token), 5XX for failures.
 */
import { type AnyElysia, Elysia } from "elysia";
import { ApiErrorBody } from "../shared/api-error.ts";

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
    withErrorAnswers(paths);
    cached = {
      openapi: "3.1.0",
      info,
      paths,
      components: {
        ...components,
        schemas: { ...components.schemas, Error: ApiErrorBody },
        securitySchemes: SECURITY_SCHEMES,
      },
      security: [{ token: [] }, { tokenQuery: [] }],
    };
    return cached;
  };
  return new Elysia({ name: "openapi" })
    .get("/api/openapi", documentRoute, { detail: { hide: true } })
    .get("/api/openapi/json", documentRoute, { detail: { hide: true } });
}

const ERROR_REFERENCE = { $ref: "#/components/schemas/Error" };

/** Every operation can be refused (4XX, 401 without the token) or fail (5XX), always with the Error body. */
function withErrorAnswers(paths: unknown): void {
  const answer = (description: string) => ({
    description,
    content: { "application/json": { schema: ERROR_REFERENCE } },
  });
  for (const methods of Object.values((paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const operation of Object.values(methods ?? {})) {
      const target = operation as { responses?: Record<string, unknown> };
      target.responses = {
        ...target.responses,
        "401": answer("The access token is missing or wrong"),
        "4XX": answer("The request was refused (invalid, not found, conflict, too large ...)"),
        "5XX": answer("Sage failed to answer; the log has details"),
      };
    }
  }
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
