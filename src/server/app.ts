/**
 * The HTTP + WebSocket application: access control first, then the local user's identity, then one
 * plugin per feature, the WebSocket hub at /ws, the OpenAPI document at /api/openapi, and the UI.
 */
import { type AnyElysia, Elysia } from "elysia";
import type { AppContext } from "../app/context.ts";
import { bodyPolicies, boundedBodyParser, MAX_REQUEST_BODY_BYTES } from "./body-limits.ts";
import { errorJsonAs, errorResponse, internalError, mappedError } from "./http-errors.ts";
import { openApiRoute } from "./openapi-document.ts";
import {
  COMMON_HEADERS,
  checkRequest,
  checkToken,
  contentSecurityPolicy,
  type SecurityConfig,
} from "./security.ts";
import { serveUi, type UiAssets } from "./ui-assets.ts";
import type { HubSocket, WebSocketHub } from "./ws-hub.ts";

export interface ServerDeps {
  app: AppContext;
  security: SecurityConfig;
  ui: UiAssets;
  hub: WebSocketHub;
  /** Feature plugins (see routes/index.ts). */
  plugins: AnyElysia[];
}

export function createServer(deps: ServerDeps) {
  // The document generator reads the finished app's routes when first asked (see openapi-document.ts).
  let root: AnyElysia | undefined;
  const { app, security, ui, hub } = deps;
  let server = new Elysia({
    name: "sage",
    serve: { maxRequestBodySize: MAX_REQUEST_BODY_BYTES },
    websocket: { idleTimeout: 60, sendPings: true, maxPayloadLength: 16 * 1024 * 1024 },
  })
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, COMMON_HEADERS);
      const verdict = checkRequest(request, security);
      if (!verdict.ok) return withHeaders(verdict.response, COMMON_HEADERS);
      const url = URL.parse(request.url);
      if (!url) {
        return withHeaders(
          errorJsonAs("ValidationError", "The request's URL cannot be read."),
          COMMON_HEADERS,
        );
      }
      // The UI shell is public; whatever it does not answer needs the token (see security.ts).
      const page = serveUi(
        ui,
        url.pathname,
        request.method,
        {
          ...COMMON_HEADERS,
          "content-security-policy": contentSecurityPolicy(request.headers.get("host") ?? ""),
        },
        request.headers.get("accept-encoding") ?? "",
      );
      if (page) return page;
      const auth = checkToken(request, url, security);
      if (!auth.ok) return withHeaders(auth.response, COMMON_HEADERS);
    })
    .onError(({ code, error }) => {
      if (code === "VALIDATION" && error.type === "response") {
        // A handler answered outside its declared response schema: a bug here, not in the request.
        app.logger.error("response does not match its schema", { summary: error.message.slice(0, 2000) });
        return internalError();
      }
      if (code === "VALIDATION") {
        const first = error.all[0];
        const where = first && "path" in first && first.path ? ` (${first.path.replace(/^\//, "")})` : "";
        const summary = first && "summary" in first && first.summary ? first.summary : error.message;
        return errorJsonAs("ValidationError", `${summary}${where}`);
      }
      if (code === "NOT_FOUND") return errorJsonAs("NotFoundError", "No such API route.");
      // What the body parser threw (too large, too deep, not JSON) is inside Elysia's ParseError.
      if (code === "PARSE" && !mappedError(error))
        return errorJsonAs("ValidationError", "The request body is not valid JSON.");
      return errorResponse(error, app.logger);
    })
    .onParse(boundedBodyParser(() => bodyPolicies(root as AnyElysia)))
    .derive({ as: "global" }, () => ({ user: app.user }))
    .use(openApiRoute({ title: "Sage local API", version: app.version }, () => root as AnyElysia));
  for (const plugin of deps.plugins) server = server.use(plugin);
  const finished = server.ws("/ws", {
    open: (ws) => hub.open(socketOf(ws.raw)),
    message: (ws, message) => hub.message(socketOf(ws.raw), message),
    drain: (ws) => hub.drain(socketOf(ws.raw)),
    close: (ws) => hub.close(socketOf(ws.raw)),
  });
  root = finished;
  return finished;
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** Bun's ServerWebSocket has getBufferedAmount() at runtime (1.4.5); its type declarations lack it. */
function socketOf(raw: object): HubSocket {
  return raw as HubSocket;
}

export type SageServer = ReturnType<typeof createServer>;
