/**
 * The agent cannot reach the HTTP API that changes its permissions or runs tools: it would need the
 * access token, and a sandboxed shell command cannot find it. Attack, against the compiled executable on
 * a brand-new account whose HOME is outside /tmp (the sandbox hides all of /tmp, which would hide a test
 * HOME there for free): the command searches its environment, every process it can see, HOME (with
 * Sage's data, config and state folders) and the other writable places for the token, and lists what it
 * can see of Sage's data folder. The same search run outside the sandbox finds the token (so the search
 * can fail).
 *
 * The command gets the token to look for in two halves, joined only into a file in the sandbox's private
 * /tmp, so its own command line never holds the whole token.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SandboxStatusInfo, ToolRunResult } from "../../src/shared/tools-api.ts";
import { type AppProcess, spawnApp } from "../support/app-process.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";

let app: AppProcess;
let origin = "";
let token = "";

beforeAll(async () => {
  app = spawnApp({
    executable: await ensureExecutable(),
    freshHome: true,
    homeBase: "/var/tmp",
    args: ["--serve", "--no-open"],
    env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
  });
  const [, url] =
    (await app.waitForOutput(/Open this URL[^\n]*\n\s+(http:\/\/\S+\?token=\S+)/, 60_000)) ?? [];
  const parsed = new URL(url ?? "");
  origin = parsed.origin;
  token = parsed.searchParams.get("token") ?? "";
  expect(token.length).toBeGreaterThan(20);
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

async function api<T>(path: string, json?: unknown): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method: json === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** A shell script that prints FOUND <where> for every place holding the token. */
function searchScript(home: string): string {
  const half = Math.floor(token.length / 2);
  return [
    `T1='${token.slice(0, half)}'; T2='${token.slice(half)}'`,
    `PAT=$(mktemp); printf '%s%s' "$T1" "$T2" > "$PAT"`,
    `env | grep -qF -f "$PAT" && echo "FOUND environment"`,
    `for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do tr '\\0' '\\n' < "$f" 2>/dev/null | grep -qF -f "$PAT" && echo "FOUND $f"; done`,
    `grep -rlsF -f "$PAT" "${home}" /var/tmp /run /dev/shm 2>/dev/null | sed 's/^/FOUND /'`,
    `echo "DATA: $(ls -A "${home}/.local/share/sage" 2>&1 | tr '\\n' ' ')"`,
    `find "${home}/.local/share/sage" "${home}/.config/sage" "${home}/.local/state/sage" -type f -not -path "*/workspaces/*" 2>/dev/null | sed 's/^/FILE /'`,
    `echo SEARCHED`,
  ].join("\n");
}

test("a sandboxed shell command finds the token nowhere it can look", async () => {
  const sandbox = await api<SandboxStatusInfo>("/api/sandbox/status");
  expect(sandbox.mode).toBe("bubblewrap");
  const home = app.home as string;
  expect(home.startsWith("/var/tmp/")).toBe(true);

  // Outside the sandbox the same search finds it (in Sage's data folder): the search works.
  const outside = Bun.spawnSync(["bash", "-c", searchScript(home)], { env: { PATH: process.env.PATH } });
  const outsideText = outside.stdout.toString();
  expect(outsideText).toContain("SEARCHED");
  expect(outsideText).toContain(`FOUND ${home}/.local/share/sage`);

  const result = await api<ToolRunResult>("/api/tools/shell/run", {
    input: { command: searchScript(home) },
  });
  expect(result.status).toBe("completed");
  expect(result.text).toContain("SEARCHED");
  expect(result.text).not.toContain("FOUND");
  expect(result.text).not.toContain(token);
  // Of Sage's own folders the command sees the agents' workspaces and no file at all, while outside
  // they hold the lock, the database, the key store and the log.
  expect(/DATA: (.*)/.exec(result.text)?.[1]?.trim()).toBe("workspaces");
  expect(result.text).not.toContain("FILE ");
  const hostFiles = outsideText.split("\n").filter((line) => line.startsWith("FILE "));
  expect(hostFiles.some((line) => line.endsWith("/sage.db"))).toBe(true);
  expect(hostFiles.some((line) => line.endsWith("/sage.log"))).toBe(true);
}, 180_000);
