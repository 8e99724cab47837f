/**
 * The UI reads JSON answers only through the typed client (ui/src/lib/api-client.ts), whose answer types
 * come from the routes: no `api<Shape>(...)` with a hand-typed answer, no untyped `api(...)` whose answer
 * would be cast by hand, and no `fetch` of the API outside the few places that read no JSON answer (each
 * named below with why). A new hand-typed call fails here.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Glob } from "bun";

const UI = join(import.meta.dir, "..", "..", "ui", "src");

/** Files allowed to call fetch() themselves, and why none of them reads a JSON answer. */
const RAW_FETCH: Record<string, string> = {
  "lib/api.ts": "the one transport under the typed client (token header, 401, ApiError)",
  "lib/focus-report.ts": "a keepalive beacon that must outlive the page; its answer is not read",
  "lib/socket.ts": "the health probe reads only the status, with its own timeout, to tell gone from refused",
  "actions/save-file.ts": "downloads the bytes of a file or export",
  "components/workspace/workspace-api.ts": "reads a range of a workspace file's bytes",
};

function sources(): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  for (const path of new Glob("**/*.{ts,tsx}").scanSync(UI)) {
    files.push({ path: relative(UI, join(UI, path)), text: readFileSync(join(UI, path), "utf8") });
  }
  return files;
}

/** `api<...>(` with an explicit answer type; lib/api-client.ts passes the route's type through. */
const HAND_TYPED = /(?<!function )\bapi<(?!AnswerOf<)/;
/** `api(` without a type: its answer is `unknown`, so whoever reads it casts it by hand. */
const UNTYPED = /(?<!function )\bapi\(/;
/** Files allowed an untyped api() call, and why. */
const UNTYPED_API: Record<string, string> = {
  "bench/long-chat.ts": "reports to a test-only debug route, which the typed client does not list",
};
const FETCH = /\bfetch\(/;

function findHandTyped(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    text.split("\n").forEach((line, index) => {
      if (/^\s*(\*|\/\/)/.test(line)) return;
      if (HAND_TYPED.test(line)) found.push(`${path}:${index + 1} hand-typed answer: ${line.trim()}`);
      else if (UNTYPED.test(line) && !(path in UNTYPED_API) && path !== "lib/api.ts")
        found.push(`${path}:${index + 1} untyped api(): ${line.trim()}`);
      if (FETCH.test(line) && !(path in RAW_FETCH))
        found.push(`${path}:${index + 1} raw fetch: ${line.trim()}`);
    });
  }
  return found;
}

describe("UI HTTP calls", () => {
  test("answers are typed by the routes: no hand-typed api<T>() and no stray fetch()", () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    expect(findHandTyped(files)).toEqual([]);
  });

  test("the scan finds what it looks for (a hand-typed call, a raw fetch)", () => {
    expect(
      findHandTyped([
        { path: "components/x.ts", text: 'const a = api<{ tasks: Task[] }>("/api/scheduled-tasks");' },
        { path: "components/y.ts", text: '  const response = await fetch("/api/sessions");' },
        { path: "lib/api.ts", text: "response = await fetch(path, init);" },
        { path: "components/z.ts", text: " * a comment about api<T>() and fetch()" },
        { path: "components/w.ts", text: 'const b = (await api("/api/agents")) as Agents;' },
      ]),
    ).toEqual([
      'components/x.ts:1 hand-typed answer: const a = api<{ tasks: Task[] }>("/api/scheduled-tasks");',
      'components/y.ts:1 raw fetch: const response = await fetch("/api/sessions");',
      'components/w.ts:1 untyped api(): const b = (await api("/api/agents")) as Agents;',
    ]);
  });

  test("every file allowed a raw fetch still exists and uses it", () => {
    for (const path of Object.keys(RAW_FETCH)) {
      expect(FETCH.test(readFileSync(join(UI, path), "utf8")), path).toBe(true);
    }
    for (const path of Object.keys(UNTYPED_API)) {
      expect(UNTYPED.test(readFileSync(join(UI, path), "utf8")), path).toBe(true);
    }
  });
});
