import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-logger-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fileLogger(level: "debug" | "info" = "info"): Logger {
  const logger = new Logger({ level, console: false });
  logger.attachFile(join(dir, "logs"));
  return logger;
}

function logText(): string {
  return readFileSync(join(dir, "logs", "sage.log"), "utf8");
}

describe("Logger: file output", () => {
  test("writes timestamped, levelled, scoped lines to logs/sage.log, private to the user", () => {
    const logger = fileLogger();
    logger.info("hello", { n: 1 });
    logger.child("ws").warn("careful");
    const lines = logText().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO hello \{"n":1\}$/);
    expect(lines[1]).toMatch(/ WARN \[ws\] careful$/);
    expect(logger.filePath).toBe(join(dir, "logs", "sage.log"));
    expect(statSync(join(dir, "logs", "sage.log")).mode & 0o777).toBe(0o600);
  });

  test("debug lines reach the file only at debug level", () => {
    const quiet = fileLogger("info");
    quiet.debug("hidden");
    quiet.info("shown");
    expect(logText()).not.toContain("hidden");
    const verbose = fileLogger("debug");
    verbose.debug("now visible");
    expect(logText()).toContain("DEBUG now visible");
  });

  test("errors are written with name, message and stack", () => {
    const logger = fileLogger();
    const error = new TypeError("bad thing");
    logger.error("request failed", error);
    const text = logText();
    expect(text).toContain("ERROR request failed TypeError: bad thing");
    expect(text).toContain("logger.test.ts");
  });

  test("a logger without a file writes nothing and does not throw", () => {
    const logger = new Logger({ level: "debug", console: false });
    expect(() => logger.error("nowhere")).not.toThrow();
    expect(logger.filePath).toBeUndefined();
  });

  test("a removed log folder does not take the app down", () => {
    const logger = fileLogger();
    logger.info("first");
    rmSync(join(dir, "logs"), { recursive: true });
    expect(() => logger.info("second")).not.toThrow();
  });
});

describe("Logger: redaction", () => {
  const token = "tFvoKDRjUcMiWflumjbYaFrpsieBtWShqpYgMw2OMQw";

  test("a registered secret never reaches the file, in messages, data or errors", () => {
    const logger = fileLogger();
    logger.addSecret(token);
    logger.info(`opened with ${token}`, { token, nested: { url: `http://x/${token}/y` } });
    logger.error("failed", new Error(`bad token ${token}`));
    const text = logText();
    expect(text).not.toContain(token);
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(4);
  });

  test("children share the secrets both ways", () => {
    const parent = fileLogger();
    const child = parent.child("server");
    child.addSecret("child-registered-secret");
    parent.addSecret("parent-registered-secret");
    parent.info("child-registered-secret");
    child.info("parent-registered-secret");
    const text = logText();
    expect(text).not.toContain("registered-secret");
  });

  test("secrets shorter than 6 characters are not registered (they would mangle ordinary words)", () => {
    const logger = fileLogger();
    logger.addSecret("abc");
    logger.addSecret("");
    logger.addSecret(undefined);
    logger.addSecret(null);
    logger.info("abc def");
    expect(logText()).toContain("abc def");
  });

  test.each([
    ["a token query parameter", "GET /ws?token=s3cr3tvalue&x=1", "s3cr3tvalue", "?token=[redacted]&x=1"],
    [
      "an api_key parameter",
      "https://api.example/v1?api_key=AbCdEf123456",
      "AbCdEf123456",
      "api_key=[redacted]",
    ],
    ["a bearer header", "Authorization: Bearer abcdefgh12345678", "abcdefgh12345678", "Bearer [redacted]"],
    ["a loose bearer value", "sent bearer zyxwvuts9876.abc", "zyxwvuts9876.abc", "bearer [redacted]"],
    [
      "an OpenAI-style key",
      "key is sk-proj-abcdefghijklmnop",
      "sk-proj-abcdefghijklmnop",
      "key is [redacted]",
    ],
    ["an Anthropic-style key", "sk-ant-api03-abcdefghijkl", "sk-ant-api03-abcdefghijkl", "[redacted]"],
    ["a Google-style key", "AIzaSyA1234567890abcdefghijk", "AIzaSyA1234567890abcdefghijk", "[redacted]"],
    ["the token cookie", "cookie: sage_token=abcdef0123; theme=dark", "abcdef0123", "sage_token=[redacted];"],
  ])("patterns mask %s even when it was never registered", (_label, input, secret, expected) => {
    const logger = fileLogger();
    const redacted = logger.redact(input);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain(expected);
    logger.info(input);
    expect(logText()).not.toContain(secret);
  });

  test("ordinary text is left alone", () => {
    const logger = fileLogger();
    const text = "serving on http://127.0.0.1:4000 (UI: embedded (4 files)) skills=8 task-runner";
    expect(logger.redact(text)).toBe(text);
  });
});

describe("Logger: rotation", () => {
  const big = "x".repeat(5 * 1024 * 1024 + 10);

  test("a log over 5 MB is rolled to sage.1.log ... and at most three old files are kept", () => {
    const logs = join(dir, "logs");
    const logger = fileLogger();
    writeFileSync(join(logs, "sage.log"), big);
    writeFileSync(join(logs, "sage.1.log"), "one");
    writeFileSync(join(logs, "sage.2.log"), "two");
    writeFileSync(join(logs, "sage.3.log"), "three");
    logger.info("fresh start");
    expect(logText()).toMatch(/INFO fresh start\n$/);
    expect(logText().split("\n")).toHaveLength(2);
    expect(statSync(join(logs, "sage.1.log")).size).toBe(big.length);
    expect(readFileSync(join(logs, "sage.2.log"), "utf8")).toBe("one");
    expect(readFileSync(join(logs, "sage.3.log"), "utf8")).toBe("two");
    expect(existsSync(join(logs, "sage.4.log"))).toBe(false);
  });

  test("a small log is not rotated", () => {
    const logs = join(dir, "logs");
    const logger = fileLogger();
    writeFileSync(join(logs, "sage.log"), "earlier line\n");
    logger.info("next");
    expect(logText()).toStartWith("earlier line\n");
    expect(existsSync(join(logs, "sage.1.log"))).toBe(false);
  });

  test("a long-running logger keeps rotating without a restart", () => {
    const logs = join(dir, "logs");
    const logger = fileLogger();
    const chunk = "y".repeat(32 * 1024);
    for (let i = 0; i < 450; i++) logger.info(`line ${i}`, chunk);
    expect(existsSync(join(logs, "sage.1.log"))).toBe(true);
    expect(existsSync(join(logs, "sage.2.log"))).toBe(true);
    // The size is checked periodically, so the live file stays within a bounded overshoot.
    expect(statSync(join(logs, "sage.log")).size).toBeLessThan(12 * 1024 * 1024);
    expect(logText()).toContain("line 449");
  });
});
