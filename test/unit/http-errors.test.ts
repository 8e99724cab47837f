/**
 * The one error mapping (src/server/http-errors.ts): named errors by name, file-system and SQLite failures
 * by code — with real errors (a database whose page limit is reached says SQLITE_FULL exactly as a full
 * disk does; writing to /dev/full gives ENOSPC) — and errors thrown while reading a body, which Elysia
 * wraps in its ParseError.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { ParseError } from "elysia";
import { ContentTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../../src/core/errors.ts";
import { Logger } from "../../src/core/logger.ts";
import { errorResponse, mappedError } from "../../src/server/http-errors.ts";
import { UnsafePathError } from "../../src/workspace/errors.ts";

const logger = new Logger({ level: "error", console: false });

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to throw");
}

async function answer(
  error: unknown,
): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  const response = errorResponse(error, logger);
  return {
    status: response.status,
    body: (await response.json()) as { error: { code: string; message: string } },
  };
}

describe("disk full", () => {
  test("SQLITE_FULL from SQLite is 507 disk_full", async () => {
    const db = new Database(":memory:");
    db.run("PRAGMA max_page_count = 2");
    db.run("CREATE TABLE t (x TEXT)");
    const error = caught(() => {
      for (let i = 0; i < 1000; i++) db.run("INSERT INTO t VALUES (?)", ["x".repeat(4000)]);
    });
    expect((error as { code?: string }).code).toBe("SQLITE_FULL");
    expect(await answer(error)).toEqual({
      status: 507,
      body: { error: { code: "disk_full", message: "The disk is full. Free some space and try again." } },
    });
  });

  test.skipIf(process.platform !== "linux")("ENOSPC from the file system is 507 disk_full", async () => {
    const error = caught(() => writeFileSync("/dev/full", "x"));
    expect((error as { code?: string }).code).toBe("ENOSPC");
    expect((await answer(error)).status).toBe(507);
  });
});

describe("named errors and file-system codes", () => {
  test.each([
    ["ValidationError", new ValidationError("bad"), 400, "invalid"],
    [
      "UnsafePathError",
      new UnsafePathError('Refused path "x": it contains a NUL byte.'),
      400,
      "invalid_path",
    ],
    ["ContentTooLargeError", new ContentTooLargeError("too big", 10), 413, "too_large"],
    [
      "UnsupportedMediaTypeError",
      new UnsupportedMediaTypeError("JSON please"),
      415,
      "unsupported_media_type",
    ],
    [
      "ENAMETOOLONG",
      Object.assign(new Error("ENAMETOOLONG: /very/long"), { code: "ENAMETOOLONG" }),
      400,
      "invalid_path",
    ],
    ["EACCES", Object.assign(new Error("EACCES: /root"), { code: "EACCES" }), 403, "permission_denied"],
  ] as const)("%s -> %d %s", async (_name, error, status, code) => {
    const result = await answer(error);
    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(code);
  });

  test("file-system messages (which name internal paths) are replaced by a fixed sentence", async () => {
    const error = Object.assign(new Error("EACCES: permission denied, open '/home/me/.secret'"), {
      code: "EACCES",
    });
    expect(JSON.stringify((await answer(error)).body)).not.toContain(".secret");
  });

  test("what the body reader throws is found inside Elysia's ParseError", async () => {
    const wrapped = new ParseError(
      new ContentTooLargeError("The request body is larger than the 1 MiB this route accepts.", 1),
    );
    expect(mappedError(wrapped)?.status).toBe(413);
    expect((await answer(wrapped)).body.error.message).toContain("1 MiB");
    expect(mappedError(new ParseError(new SyntaxError("Unexpected EOF")))).toBeUndefined();
  });

  test("anything else is a generic 500 that leaks nothing", async () => {
    const quiet = new Logger({ level: "error", console: false });
    const response = errorResponse(new Error("internal detail /home/me/x"), quiet);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("internal detail");
  });
});
