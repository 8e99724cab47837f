/**
 * withoutLimits (src/shared/schema-limits.ts): the same fields and types without length, count, pattern
 * or range bounds; optional fields stay optional (TypeBox's symbol keys kept); the original is unchanged.
 */
import { describe, expect, test } from "bun:test";
import { Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { McpServerAsRead, McpServerInput } from "../../src/shared/mcp.ts";
import { withoutLimits } from "../../src/shared/schema-limits.ts";

const Form = T.Object({
  name: T.String({ minLength: 1, maxLength: 5, pattern: "^[a-z]+$" }),
  tags: T.Array(T.String({ maxLength: 3 }), { maxItems: 2 }),
  count: T.Integer({ minimum: 1, maximum: 10 }),
  note: T.Optional(T.String({ maxLength: 2 })),
  kind: T.Union([T.Literal("a"), T.Literal("b")]),
});

describe("withoutLimits", () => {
  test("accepts values beyond the bounds, with the same types", () => {
    const loose = withoutLimits(Form);
    const big = { name: "Far Too Long", tags: ["long tag", "b", "c"], count: 500, note: "longer", kind: "a" };
    expect(Value.Check(Form, big)).toBe(false);
    expect(Value.Check(loose, big)).toBe(true);
    expect(Value.Check(loose, { ...big, note: undefined })).toBe(true);
    const { note: _left, ...withoutNote } = big;
    expect(Value.Check(loose, withoutNote)).toBe(true);
  });

  test("still refuses the wrong types, missing fields and unknown literals", () => {
    const loose = withoutLimits(Form);
    const good = { name: "x", tags: [], count: 1, kind: "b" };
    expect(Value.Check(loose, good)).toBe(true);
    expect(Value.Check(loose, { ...good, count: 1.5 })).toBe(false);
    expect(Value.Check(loose, { ...good, tags: [1] })).toBe(false);
    expect(Value.Check(loose, { ...good, kind: "c" })).toBe(false);
    const { name: _gone, ...noName } = good;
    expect(Value.Check(loose, noName)).toBe(false);
  });

  test("leaves the original schema as it was", () => {
    const before = JSON.stringify(Form);
    withoutLimits(Form);
    expect(JSON.stringify(Form)).toBe(before);
    expect(Value.Check(Form, { name: "toolong", tags: [], count: 1, kind: "a" })).toBe(false);
  });

  test("an MCP server as read from another tool's file: McpServerInput's fields, no bounds", () => {
    const server = {
      name: "a-name-much-longer-than-the-forty-characters-a-form-allows",
      transport: "stdio",
      command: "npx",
      args: Array.from({ length: 300 }, () => "x"),
      env: [],
      headers: [],
      enabled: true,
      startup: "lazy",
      initTimeoutSec: 30,
      callTimeoutSec: 300,
      trustReadOnly: false,
    };
    expect(Value.Check(McpServerInput, server)).toBe(false);
    expect(Value.Check(McpServerAsRead, server)).toBe(true);
    expect(Value.Check(McpServerAsRead, { ...server, transport: "pigeon" })).toBe(false);
    expect(Object.keys(McpServerAsRead.properties)).toEqual(Object.keys(McpServerInput.properties));
  });
});
