/**
 * The one error-code table (src/server/error-codes.ts): every named error class in src/ is either mapped
 * or listed as deliberately unmapped, the table names no class that does not exist, and a command that
 * throws over the WebSocket gets the same code as the same error over HTTP.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DiskFullError, NotFoundError } from "../../src/core/errors.ts";
import { Logger } from "../../src/core/logger.ts";
import { ERROR_CODES, errorCode, INTERNAL_CODE, UNMAPPED_ERRORS } from "../../src/server/error-codes.ts";
import { errorJsonAs, errorResponse, mappedError } from "../../src/server/http-errors.ts";
import { type HubSocket, WebSocketHub } from "../../src/server/ws-hub.ts";
import type { SessionCommands } from "../../src/shared/client-messages.ts";
import type { EventLog } from "../../src/store/event-log.ts";

const SOURCE = join(import.meta.dir, "../../src");
/** Named errors that come from a dependency, not from src/ (the MCP SDK's protocol error). */
const FOREIGN = new Set(["McpError"]);
const logger = new Logger({ level: "error", console: false });

/** Every `readonly name = "...Error"` declared in src/ (the named error classes). */
function declaredErrorNames(): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(SOURCE, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".ts")) continue;
    const text = readFileSync(join(SOURCE, entry), "utf8");
    for (const match of text.matchAll(/readonly name = "(\w+Error)"/g)) names.add(match[1] as string);
  }
  return names;
}

function named(name: string, message = `a ${name}`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A hub whose `stop` command throws `error`; returns the error event's code for a stop frame. */
function wsCode(error: unknown): { code: string; message: string; ref?: string; sessionId: string } {
  const fail = () => {
    throw error;
  };
  const commands: SessionCommands = {
    canSubscribe: () => true,
    live: () => ({
      status: "idle",
      turnId: null,
      queued: [],
      approvals: {},
      questions: {},
      retry: null,
      todos: [],
    }),
    submit: fail,
    stop: fail,
    unqueue: fail,
    inject: fail,
    approve: fail,
    answer: fail,
  };
  const log: Pick<EventLog, "subscribe"> = { subscribe: () => () => {} };
  const hub = new WebSocketHub(log as EventLog, commands, logger);
  const sent: string[] = [];
  const socket: HubSocket = {
    send: (data) => {
      sent.push(data);
      return data.length;
    },
    getBufferedAmount: () => 0,
    close: () => {},
  };
  hub.open(socket);
  hub.message(socket, JSON.stringify({ type: "stop", sessionId: "ses_1" }));
  hub.dispose();
  expect(sent).toHaveLength(1);
  const event = JSON.parse(sent[0] as string) as {
    type: string;
    code: string;
    message: string;
    ref?: string;
    sessionId: string;
  };
  expect(event.type).toBe("error");
  return event;
}

describe("the error-code table", () => {
  const declared = declaredErrorNames();

  test("finds the named errors of src/ (the scan itself works)", () => {
    expect(declared.has("NotFoundError")).toBe(true);
    expect(declared.has("WorkspaceEscapeError")).toBe(true);
    expect(declared.size).toBeGreaterThan(40);
  });

  test("every named error class is mapped or deliberately unmapped, never both", () => {
    const undecided = [...declared].filter((name) => !(name in ERROR_CODES) && !UNMAPPED_ERRORS.has(name));
    expect(undecided).toEqual([]);
    const both = Object.keys(ERROR_CODES).filter((name) => UNMAPPED_ERRORS.has(name));
    expect(both).toEqual([]);
  });

  test("the tables name only errors that exist", () => {
    const stale = [...Object.keys(ERROR_CODES), ...UNMAPPED_ERRORS].filter(
      (name) => !declared.has(name) && !FOREIGN.has(name),
    );
    expect(stale).toEqual([]);
  });

  test("codes are snake_case and statuses are 4xx/5xx", () => {
    for (const [name, [status, code]] of Object.entries(ERROR_CODES)) {
      expect({ name, ok: /^[a-z]+(_[a-z]+)*$/.test(code) && status >= 400 && status < 600 }).toEqual({
        name,
        ok: true,
      });
    }
  });

  test("a name that is no error, or an Object prototype key, has no mapping", () => {
    expect(errorCode("Error")).toBe(INTERNAL_CODE);
    expect(errorCode("toString")).toBe(INTERNAL_CODE);
    expect(errorCode("constructor")).toBe(INTERNAL_CODE);
    expect(mappedError(named("hasOwnProperty"))).toBeUndefined();
  });
});

describe("HTTP and WebSocket agree", () => {
  test("every mapped error: HTTP status and code from the table, the same code over the WebSocket", async () => {
    for (const [name, [status, code]] of Object.entries(ERROR_CODES)) {
      const response = errorResponse(named(name), logger);
      const body = (await response.json()) as { error: { code: string; message: string } };
      const ws = wsCode(named(name));
      expect({ name, status: response.status, http: body.error.code, ws: ws.code }).toEqual({
        name,
        status,
        http: code,
        ws: code,
      });
      expect(ws.message).toBe(`a ${name}`);
    }
  });

  test("real error instances: NotFoundError and DiskFullError", async () => {
    const notFound = new NotFoundError("Session", "ses_1");
    expect(errorResponse(notFound, logger).status).toBe(404);
    expect(wsCode(notFound)).toMatchObject({
      code: "not_found",
      message: "Session not found: ses_1",
      ref: "stop",
      sessionId: "ses_1",
    });
    const full = new DiskFullError("/data/sage.db");
    expect(errorResponse(full, logger).status).toBe(507);
    expect(wsCode(full).code).toBe("disk_full");
  });

  test("a failure the server finds itself answers as the error of that name would (errorJsonAs)", async () => {
    for (const [name, message] of [
      ["ValidationError", "The request body is not valid JSON."],
      ["NotFoundError", "No such API route."],
    ] as const) {
      const own = errorJsonAs(name, message);
      const thrown = errorResponse(Object.assign(new Error(message), { name }), logger);
      expect({ status: own.status, body: await own.json() }).toEqual({
        status: thrown.status,
        body: await thrown.json(),
      });
    }
    expect(errorJsonAs("NotFoundError", "x").status).toBe(404);
    const unmapped = errorJsonAs("ShellStartError", "x");
    expect(unmapped.status).toBe(500);
    expect(((await unmapped.json()) as { error: { code: string } }).error.code).toBe(INTERNAL_CODE);
  });

  test("an unmapped error is internal on both paths", async () => {
    for (const error of [named("ShellStartError"), new TypeError("x is not a function"), "a string"]) {
      const response = errorResponse(error, logger);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(INTERNAL_CODE);
      expect(wsCode(error).code).toBe(INTERNAL_CODE);
    }
  });
});
