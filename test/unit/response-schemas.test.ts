/**
 * Declared answers (src/server/responses.ts) inside the real app wiring (createServer): a strict schema
 * drops fields it does not name, a schema without limits (withoutLimits) passes a value beyond them, a
 * handler that answers outside its schema gets a logged 500 in the one error shape (never a 400 blaming
 * the request), a Response (file, stream) is never checked, and the OpenAPI document shows each kind.
 */
import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { Elysia, t } from "elysia";
import type { AppContext } from "../../src/app/context.ts";
import { Logger } from "../../src/core/logger.ts";
import { createServer } from "../../src/server/app.ts";
import { fileAnswer } from "../../src/server/responses.ts";
import type { WebSocketHub } from "../../src/server/ws-hub.ts";
import { ApiErrorBody } from "../../src/shared/api-error.ts";
import { withoutLimits } from "../../src/shared/schema-limits.ts";

class CapturingLogger extends Logger {
  readonly errors: string[] = [];
  override error(message: string, data?: unknown): void {
    this.errors.push(`${message} ${JSON.stringify(data)}`);
  }
}

const AsRead = withoutLimits(
  t.Object({ name: t.String({ maxLength: 3 }), list: t.Array(t.Number(), { maxItems: 1 }) }),
);

const logger = new CapturingLogger({ level: "error", console: false });
const TOKEN = "token-for-response-schema-tests";
let answer: unknown = { name: "ok", extra: "dropped" };

const plugin = new Elysia({ name: "fixture", prefix: "/api/fixture" })
  .get("/strict", () => answer as { name: string }, { response: t.Object({ name: t.String() }) })
  .get("/as-read", () => ({ name: "longer than three", list: [1, 2], more: true }), { response: AsRead })
  .get("/file", () => new Response("raw bytes", { headers: { "content-type": "application/zip" } }), {
    detail: fileAnswer("A zip", { "application/zip": "binary" }),
  });

const server = createServer({
  app: { logger, user: { id: "local", name: "Local" }, version: "0.0.0-test" } as unknown as AppContext,
  security: { token: TOKEN, bindHost: "127.0.0.1", port: 4567, extraOrigins: [] },
  ui: { file: () => undefined, describe: () => "none" },
  hub: {} as WebSocketHub,
  plugins: [plugin],
});

function get(path: string): Promise<Response> {
  return server.handle(
    new Request(`http://localhost${path}`, {
      headers: { host: "127.0.0.1:4567", authorization: `Bearer ${TOKEN}` },
    }),
  );
}

describe("declared answers", () => {
  test("a strict schema answers only the fields it names", async () => {
    answer = { name: "ok", extra: "dropped" };
    const response = await get("/api/fixture/strict");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "ok" });
  });

  test("an answer outside its schema is a logged 500 in the error shape, not a 400", async () => {
    answer = { name: 42 };
    const before = logger.errors.length;
    const response = await get("/api/fixture/strict");
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(Value.Check(ApiErrorBody, body)).toBe(true);
    expect((body as ApiErrorBody).error.code).toBe("internal");
    expect(logger.errors.slice(before).join("\n")).toContain("response does not match its schema");
  });

  test("a schema without limits passes values beyond them, still without unnamed fields", async () => {
    const response = await get("/api/fixture/as-read");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "longer than three", list: [1, 2] });
  });

  test("a Response (file, stream) is sent as it is", async () => {
    const response = await get("/api/fixture/file");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(await response.text()).toBe("raw bytes");
  });

  test("the document shows a strict schema's fields, a loose one's fields without limits, and a file's type", async () => {
    const document = (await (await get("/api/openapi/json")).json()) as {
      paths: Record<
        string,
        { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }
      >;
    };
    const schemaOf = (path: string, type = "application/json") =>
      document.paths[path]?.get.responses["200"]?.content[type]?.schema;
    expect(schemaOf("/api/fixture/strict")).toMatchObject({ properties: { name: { type: "string" } } });
    const asRead = schemaOf("/api/fixture/as-read") as { properties: Record<string, object> };
    expect(asRead.properties.name).toEqual({ type: "string" });
    expect(asRead.properties.list).toEqual({ type: "array", items: { type: "number" } });
    expect(schemaOf("/api/fixture/file", "application/zip")).toEqual({ type: "string", format: "binary" });
  });
});
