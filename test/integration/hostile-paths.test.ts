/**
 * Part 4 of the security issue, as an attack: ONE table of hostile paths (`..`, absolute, URL-encoded and
 * double-encoded, NUL, backslashes, symlinks out and into Sage's data, a FIFO, /dev/zero, a 5000-byte
 * name, a 6000-byte path) sent to EVERY route that takes a path, against the compiled executable with
 * real files. Each answer must be a 4xx within the deadline (a FIFO must not hang a request) and nothing
 * outside the route's root may change. Controls (a plain file, a symlink pointing inside) must still
 * work, so the table is not passing because a route refuses everything.
 *
 * Routes that take a *name* rather than a path (save to Downloads, attachments' x-file-name) make a safe
 * name of it: for them the attack must end with a file directly inside their folder, nothing elsewhere.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type HostileServer, startHostileServer } from "./hostile-server.ts";

/**
 * One hostile path. `raw`: sent in a query string exactly as written (the server decodes its escapes
 * once). `text`: bad as text alone, whatever the folder (checked on agent workspaces too).
 */
interface Hostile {
  label: string;
  text: string;
  raw?: boolean;
  textual?: boolean;
}

/** The table, relative to a route's root; absolute-path routes prefix the root to relative entries. */
const TABLE: Hostile[] = [
  { label: "../ escape", text: "../../../../../../etc/passwd" },
  { label: "../ after a folder", text: "sub/../../../../../../etc/passwd" },
  { label: "absolute outside", text: "/etc/passwd" },
  { label: "URL-encoded ..%2f", text: "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", raw: true },
  { label: "encoded dots %2e%2e", text: "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", raw: true },
  { label: "double-encoded ..%252f", text: "..%252f..%252f..%252f..%252fetc%252fpasswd", raw: true },
  { label: "NUL byte", text: "inside.txt\u0000.png", textual: true },
  { label: "NUL alone", text: "\u0000", textual: true },
  { label: "backslashes", text: "..\\..\\..\\..\\..\\..\\etc\\passwd", textual: true },
  { label: "backslash inside", text: "sub\\..\\inside.txt", textual: true },
  { label: "symlink to a file outside", text: "link-out" },
  { label: "symlink to a folder outside", text: "dir-link-out/secret.txt" },
  { label: "symlink into Sage's data", text: "link-data/sage.lock" },
  { label: "FIFO", text: "fifo" },
  { label: "FIFO named .zip", text: "fifo.zip" },
  { label: "/dev/zero", text: "/dev/zero" },
  { label: "symlink to /dev/zero", text: "link-zero" },
  { label: "5000-byte name", text: "a".repeat(5000), textual: true },
  { label: "6000-byte path", text: "ab/".repeat(2000), textual: true },
];

/** Requests may take this long; a FIFO read would block forever. */
const DEADLINE_MS = 3000;

let server: HostileServer;
let outside: string;
let agentId: string;
let workspace: string;
let skillFolder: string;
let importRoot: string;
let before: Map<string, string>;

/** The root's hostile fixtures: a file, a link in, links out, a FIFO, a link to /dev/zero. */
function plant(root: string): void {
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "inside.txt"), "inside");
  symlinkSync(join(outside, "secret.txt"), join(root, "link-out"));
  symlinkSync(outside, join(root, "dir-link-out"));
  symlinkSync(server.dataDir, join(root, "link-data"));
  symlinkSync("/dev/zero", join(root, "link-zero"));
  symlinkSync("inside.txt", join(root, "link-in"));
  execFileSync("mkfifo", [join(root, "fifo"), join(root, "fifo.zip")]);
}

/** Names, types, sizes and times of everything under `root` (the "touched nothing" check). */
function snapshot(root: string, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    const info = lstatSync(path);
    into.set(path, `${info.mode}:${info.size}:${info.mtimeMs}`);
    if (info.isDirectory()) snapshot(path, into);
  }
  return into;
}

function outsideState(): Map<string, string> {
  const state = snapshot(outside);
  for (const path of ["/etc/passwd", "/etc"]) state.set(path, String(statSync(path).mtimeMs));
  state.set("sage.lock", readFileSync(join(server.dataDir, "sage.lock"), "utf8"));
  return state;
}

function query(entry: Hostile): string {
  return entry.raw ? entry.text : encodeURIComponent(entry.text);
}

/** Absolute form of a table entry for routes that take full paths. */
function absolute(root: string, entry: Hostile): string {
  return entry.text.startsWith("/") ? entry.text : `${root}/${entry.text}`;
}

async function expectRefused(label: string, send: () => Promise<Response>): Promise<void> {
  const started = performance.now();
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    throw new Error(`${label}: no answer within ${DEADLINE_MS} ms (${error})`);
  }
  const elapsed = performance.now() - started;
  const text = await response.text();
  expect(response.status, `${label}: ${text}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${text}`).toBeLessThan(500);
  expect(elapsed, label).toBeLessThan(DEADLINE_MS);
  // A clear message in the app's error shape, and never the contents of what was attacked.
  expect((JSON.parse(text) as { error: { message: string } }).error.message.length, label).toBeGreaterThan(5);
  expect(text, label).not.toContain("top secret");
  expect(text, label).not.toContain("root:x:0");
}

beforeAll(async () => {
  server = await startHostileServer();
  outside = realpathSync(mkdtempSync(join(tmpdir(), "sage-outside-")));
  writeFileSync(join(outside, "secret.txt"), "top secret");

  // A new chat makes the default agent (and its workspace).
  const session = (await (await server.call("/api/sessions", { json: {} })).json()) as { agentId: string };
  agentId = session.agentId;
  const tree = (await (await server.call(`/api/agents/${agentId}/workspace/tree`)).json()) as {
    root: string;
  };
  workspace = tree.root;
  plant(workspace);

  plant(server.downloads);

  const created = await server.call("/api/skills", {
    json: { name: "probe", description: "A skill the attack aims at.", template: "basic" },
  });
  expect(created.status, await created.text()).toBeLessThan(300);
  skillFolder = join(server.dataDir, "skills", "probe");
  plant(skillFolder);

  importRoot = realpathSync(mkdtempSync(join(tmpdir(), "sage-import-from-")));
  plant(importRoot);

  before = outsideState();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("the hostile path table against every path-taking route", () => {
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    server.call(path, { ...init, timeoutMs: DEADLINE_MS });
  const ws = () => `/api/agents/${agentId}/workspace`;

  test("controls: a plain file and a symlink pointing inside are served", async () => {
    for (const path of ["inside.txt", "link-in", "sub/../inside.txt"]) {
      const file = await call(`${ws()}/file?path=${encodeURIComponent(path)}`);
      expect(await file.text(), path).toBe("inside");
    }
    expect((await call(`${ws()}/tree?path=sub`)).status).toBe(200);
    const shown = await call("/api/settings/open-folder", {
      json: { folder: "downloads", path: join(server.downloads, "inside.txt") },
    });
    expect(await shown.json()).toMatchObject({ path: server.downloads });
    const read = await call(`/api/skills/probe/file?path=SKILL.md`);
    expect(read.status).toBe(200);
  });

  for (const entry of TABLE) {
    test(entry.label, async () => {
      const label = (route: string) => `${route} with ${entry.label}`;
      // The workspace panel: paths relative to the agent's workspace (or absolute inside it).
      for (const route of ["tree", "info", "file"]) {
        await expectRefused(label(`GET ${route}`), () => call(`${ws()}/${route}?path=${query(entry)}`));
      }
      await expectRefused(label("POST save-download"), () =>
        call(`${ws()}/save-download`, { json: { path: entry.text } }),
      );
      await expectRefused(label("POST open"), () => call(`${ws()}/open`, { json: { path: entry.text } }));
      // Settings → "show a file saved to Downloads": full paths inside the real Downloads folder only.
      await expectRefused(label("POST open-folder"), () =>
        call("/api/settings/open-folder", {
          json: { folder: "downloads", path: absolute(server.downloads, entry) },
        }),
      );
      // Skills: import from a folder or .zip on this machine (full paths) ...
      await expectRefused(label("POST import/path"), () =>
        call("/api/skills/import/path", { json: { path: absolute(importRoot, entry) } }),
      );
      await expectRefused(label("POST import/path (relative)"), () =>
        call("/api/skills/import/path", { json: { path: entry.text } }),
      );
      // ... and a skill's own files (relative to the skill folder; links are never followed there).
      await expectRefused(label("GET skill file"), () => call(`/api/skills/probe/file?path=${query(entry)}`));
      // (In a JSON body an escape sequence is a literal name; writing that name inside the skill is fine.)
      if (!entry.raw) {
        await expectRefused(label("PUT skill file"), () =>
          call("/api/skills/probe/file", { method: "PUT", json: { path: entry.text, text: "pwned" } }),
        );
      }
      await expectRefused(label("DELETE skill file"), () =>
        call(`/api/skills/probe/file?path=${query(entry)}`, { method: "DELETE" }),
      );
      // A skill's folder name in the URL (one path segment: the server decodes it once).
      await expectRefused(label("GET skill by name"), () =>
        call(`/api/skills/${encodeURIComponent(entry.text)}`),
      );
      // An agent's workspace: any folder the user picks (see part 3), but never one no system can make.
      if (entry.textual) {
        await expectRefused(label("POST agent workspace"), () =>
          call("/api/agents", { json: { name: "probe", workspace: absolute(outside, entry) } }),
        );
      }
      expect(outsideState()).toEqual(before);
    });
  }

  test("DELETE in the workspace: escapes are refused; a link or FIFO inside is removed itself, never its target", async () => {
    const del = (path: string, raw = false) =>
      call(`${ws()}/file?path=${raw ? path : encodeURIComponent(path)}`, { method: "DELETE" });
    for (const entry of TABLE) {
      if (["link-out", "fifo", "fifo.zip", "link-zero"].includes(entry.text)) continue;
      await expectRefused(`DELETE ${entry.label}`, () => del(entry.text, entry.raw));
    }
    for (const inside of ["link-out", "link-zero", "fifo"]) {
      expect((await del(inside)).status, inside).toBe(200);
      expect(existsSync(join(workspace, inside))).toBe(false);
    }
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("top secret");
    expect(existsSync("/dev/zero")).toBe(true);
    expect(outsideState()).toEqual(before);
  });

  test("names, not paths: save to Downloads and attachments keep hostile names inside their folder", async () => {
    const session = (await (await call("/api/sessions", { json: {} })).json()) as { id: string };
    const attachments = join(workspace, "attachments");
    for (const entry of TABLE) {
      const saved = await call("/api/settings/save-download", {
        json: { fileName: entry.text, base64: Buffer.from("saved").toString("base64") },
      });
      const text = await saved.text();
      expect(saved.status, `save-download ${entry.label}: ${text}`).toBeLessThan(500);
      if (saved.ok) {
        const path = (JSON.parse(text) as { path: string }).path;
        expect(dirname(path), entry.label).toBe(server.downloads);
        expect(lstatSync(path).isFile(), entry.label).toBe(true);
        expect(readFileSync(path, "utf8")).toBe("saved");
      }
      const attached = await call(`/api/sessions/${session.id}/attachments`, {
        method: "POST",
        headers: { "x-file-name": encodeURIComponent(entry.text), "content-type": "text/plain" },
        body: "attached",
      });
      const body = await attached.text();
      expect(attached.status, `attachment ${entry.label}: ${body}`).toBeLessThan(500);
      if (attached.ok) {
        const [stored] = (JSON.parse(body) as { attachments: { path: string }[] }).attachments;
        const real = realpathSync(join(workspace, stored?.path as string));
        expect(dirname(dirname(real)), entry.label).toBe(attachments);
      }
    }
    // The planted links and FIFO in Downloads were never written through.
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("top secret");
    expect(lstatSync(join(server.downloads, "link-out")).isSymbolicLink()).toBe(true);
    expect(outsideState()).toEqual(before);
  });
});
