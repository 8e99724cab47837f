/** What remembered approval patterns cover (src/sandbox/approval-scopes.ts), case by case. */
import { describe, expect, test } from "bun:test";
import { patternCovers, simpleProgram } from "../../src/sandbox/approval-scopes.ts";

describe("simpleProgram", () => {
  test.each([
    ["git status", "git"],
    ["  ls -la  ", "ls"],
    ['git commit -m "a message"', "git"],
    ["rg TODO src", "rg"],
  ])("%p is a simple command of %p", (command, program) => {
    expect(simpleProgram(command)).toBe(program);
  });

  test.each([
    "echo a; rm -rf ~",
    "echo a && id",
    "echo a || id",
    "cat x | sh",
    "echo $(id)",
    "echo `id`",
    "echo a > ~/.bashrc",
    "cat < /etc/passwd",
    "echo a\nid",
    "ls \\\nid",
    "FOO=1 ls",
    "./run.sh",
    "/usr/bin/ls",
    "bash -c 'id'",
    "sh x",
    "env ls",
    "sudo ls",
    "xargs rm",
    "python3 -c 'print(1)'",
    "python3.12 x.py",
    "node -e 1",
    "find . -exec rm {} +",
    "",
  ])("%p offers no program scope", (command) => {
    expect(simpleProgram(command)).toBeUndefined();
  });
});

describe("patternCovers", () => {
  const files = (...paths: string[]) => ({ kind: "files" as const, paths });
  test("folder: inside at any depth, never the folder itself, a sibling with the same prefix or outside", () => {
    expect(patternCovers("folder:/w/src", files("/w/src/a.ts"))).toBe(true);
    expect(patternCovers("folder:/w/src", files("/w/src/deep/b.ts", "/w/src/c.ts"))).toBe(true);
    expect(patternCovers("folder:/w/src", files("/w/srcx/a.ts"))).toBe(false);
    expect(patternCovers("folder:/w/src", files("/w/src"))).toBe(false);
    expect(patternCovers("folder:/w/src", files("/w/src/a.ts", "/w/other.ts"))).toBe(false);
    expect(patternCovers("folder:/w/src", files())).toBe(false);
  });

  test("file: exactly that file, for every path of the call", () => {
    expect(patternCovers("file:/w/a.md", files("/w/a.md"))).toBe(true);
    expect(patternCovers("file:/w/a.md", files("/w/a.md", "/w/b.md"))).toBe(false);
    expect(patternCovers("file:/w/a.md", files("/w/a.md.bak"))).toBe(false);
  });

  test("command and program", () => {
    const command = (text: string) => ({ kind: "command" as const, command: text });
    expect(patternCovers("command:ls", command("ls"))).toBe(true);
    expect(patternCovers("command:ls", command("ls -la"))).toBe(false);
    expect(patternCovers("program:ls", command("ls -la"))).toBe(true);
    expect(patternCovers("program:ls", command("ls; id"))).toBe(false);
    expect(patternCovers("program:ls", command("lsblk"))).toBe(false);
  });

  test("'*' covers everything; unknown patterns and kinds that do not fit cover nothing", () => {
    expect(patternCovers("*", { kind: "other" })).toBe(true);
    expect(patternCovers("host:example.com", { kind: "host", host: "example.com" })).toBe(true);
    expect(patternCovers("host:example.com", { kind: "host", host: "example.com:8080" })).toBe(false);
    expect(patternCovers("file:/w/a", { kind: "command", command: "/w/a" })).toBe(false);
    expect(patternCovers("everything", { kind: "other" })).toBe(false);
  });
});
