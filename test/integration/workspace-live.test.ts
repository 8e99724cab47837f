/**
 * The workspace plugin mounted on its own real HTTP server (so tests can give it a recording file
 * manager opener, its own watcher set, a Downloads folder and a small attachment limit): open in the
 * file manager, save to Downloads (the window's download), live changes over Server-Sent Events, size
 * limits on multipart and streamed uploads.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Elysia } from "elysia";
import { workspaceRoutes } from "../../src/server/routes/workspace.ts";
import type { EventOf } from "../../src/shared/events.ts";
import { WorkspaceWatchers } from "../../src/workspace/watcher.ts";
import { useBackend } from "../support/backend.ts";
import { newSession } from "../support/session-steps.ts";

let server: { stop(): Promise<void> | void };
let base: string;
let agentId: string;
let root: string;
const opened: string[] = [];
const watchers = new WorkspaceWatchers({ debounceMs: 50, maxWaitMs: 200 });
const downloads = join(mkdtempSync(join(tmpdir(), "sage-downloads-")), "Downloads");

const app = useBackend();
beforeAll(async () => {
  const context = app().running.backend.context;
  agentId = context.agents.defaultAgent().id;
  const plugin = workspaceRoutes(context, {
    openPath: (target) => {
      opened.push(target);
      return true;
    },
    watchers,
    downloads: () => downloads,
    maxAttachmentBytes: 1000,
    keepAliveMs: 200,
  });
  const listening = new Elysia().use(plugin).listen({ hostname: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${listening.server?.port}`;
  server = {
    stop: async () => {
      await listening.stop(true);
    },
  };
  root = context.agents.defaultAgent().config.workspace?.trim() || join(context.paths.workspaces, agentId);
  mkdirSync(join(root, "docs"), { recursive: true });
  writeFileSync(join(root, "docs/readme.md"), "# Docs\n");
  root = (await (await fetch(`${base}/api/agents/${agentId}/workspace/tree`)).json()).root;
});

afterAll(async () => {
  await server.stop();
  watchers.closeAll();
});

describe("save to Downloads", () => {
  const save = (path: string) =>
    fetch(`${base}/api/agents/${agentId}/workspace/save-download`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path }),
    });

  test("copies the file under its own name, then under a free one; the original stays", async () => {
    writeFileSync(join(root, "docs/report.csv"), "a,b\n1,2\n");
    const first = await save("docs/report.csv");
    expect(first.status).toBe(200);
    expect(((await first.json()) as { path: string }).path).toBe(join(downloads, "report.csv"));
    expect(readFileSync(join(downloads, "report.csv"), "utf8")).toBe("a,b\n1,2\n");
    const second = (await (await save("docs/report.csv")).json()) as { path: string };
    expect(second.path).toBe(join(downloads, "report (2).csv"));
    expect(readFileSync(join(root, "docs/report.csv"), "utf8")).toBe("a,b\n1,2\n");
  });

  test("refuses folders, missing files and anything outside the workspace", async () => {
    const outside = mkdtempSync(join(tmpdir(), "sage-outside-"));
    writeFileSync(join(outside, "secret.txt"), "secret");
    symlinkSync(join(outside, "secret.txt"), join(root, "secret-link"));
    const before = readdirSync(downloads);
    for (const [path, status] of [
      ["docs", 400],
      ["docs/nope.txt", 404],
      ["../../etc/passwd", 403],
      [join(outside, "secret.txt"), 403],
      ["secret-link", 403],
    ] as const) {
      const response = await save(path);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(
        ((await response.json()) as { error: { message: string } }).error.message.length,
      ).toBeGreaterThan(5);
    }
    expect(readdirSync(downloads)).toEqual(before);
    rmSync(join(root, "secret-link"));
    rmSync(outside, { recursive: true, force: true });
  });
});

describe("open in the file manager", () => {
  test("a folder opens itself, a file opens its folder, as file:// URLs", async () => {
    const open = (path?: string) =>
      fetch(`${base}/api/agents/${agentId}/workspace/open`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(path === undefined ? {} : { path }),
      });
    opened.length = 0;
    expect(await (await open("docs/readme.md")).json()).toEqual({ opened: true, folder: "docs" });
    expect(await (await open("docs")).json()).toEqual({ opened: true, folder: "docs" });
    expect(await (await open()).json()).toEqual({ opened: true, folder: "." });
    expect(opened).toEqual([
      pathToFileURL(join(root, "docs")).href,
      pathToFileURL(join(root, "docs")).href,
      pathToFileURL(root).href,
    ]);
  });

  test("paths outside the workspace are refused and nothing is opened", async () => {
    opened.length = 0;
    for (const path of ["..", "/etc", "../../tmp"]) {
      const response = await fetch(`${base}/api/agents/${agentId}/workspace/open`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ path }),
      });
      expect(response.status, path).toBe(403);
    }
    const unknown = await fetch(`${base}/api/agents/agt_nobody/workspace/open`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(opened).toEqual([]);
  });
});

/** Reads Server-Sent Events from a fetch body. */
class EventReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next event (comments skipped), within `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<{ event: string; data: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const lines = block.split("\n").filter((line) => !line.startsWith(":"));
        if (lines.length === 0) continue;
        const field = (name: string) =>
          lines
            .filter((line) => line.startsWith(`${name}:`))
            .map((line) => line.slice(name.length + 1).trim())
            .join("\n");
        if (!field("data")) continue;
        return { event: field("event") || "message", data: field("data") };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms; buffered: ${this.buffer}`);
      const chunk = await Promise.race([
        this.reader.read(),
        Bun.sleep(left).then(() => ({ done: false, value: undefined })),
      ]);
      if (chunk.done) throw new Error("the stream ended");
      if (chunk.value) this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }
}

describe("live changes", () => {
  test("file changes arrive as batched workspace.changed events; closing the stream stops the watch", async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}/api/agents/${agentId}/workspace/changes`, { signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const events = new EventReader((response.body as ReadableStream<Uint8Array>).getReader());
    expect((await events.next()).event).toBe("ready");
    expect(watchers.watchedRoots).toEqual([root]);

    writeFileSync(join(root, "live-a.txt"), "a");
    mkdirSync(join(root, "live-dir/deeper"), { recursive: true });
    writeFileSync(join(root, "live-dir/deeper/b.txt"), "b");
    const seen = new Set<string>();
    while (!seen.has("live-dir/deeper/b.txt") || !seen.has("live-a.txt")) {
      const message = await events.next();
      expect(message.event).toBe("message");
      const event = JSON.parse(message.data) as EventOf<"workspace.changed">;
      expect(event).toMatchObject({ type: "workspace.changed", agentId, seq: 0, sessionId: "" });
      for (const path of event.paths) seen.add(path);
    }
    rmSync(join(root, "live-a.txt"));
    const removal = JSON.parse((await events.next()).data) as EventOf<"workspace.changed">;
    expect(removal.paths).toContain("live-a.txt");

    abort.abort();
    for (let i = 0; i < 50 && watchers.watchedRoots.length > 0; i++) await Bun.sleep(20);
    expect(watchers.watchedRoots).toEqual([]);
  });

  test("two panels share one watch; it ends with the last", async () => {
    const first = new AbortController();
    const second = new AbortController();
    const a = await fetch(`${base}/api/agents/${agentId}/workspace/changes`, { signal: first.signal });
    const b = await fetch(`${base}/api/agents/${agentId}/workspace/changes`, { signal: second.signal });
    const readerA = new EventReader((a.body as ReadableStream<Uint8Array>).getReader());
    const readerB = new EventReader((b.body as ReadableStream<Uint8Array>).getReader());
    await readerA.next();
    await readerB.next();
    expect(watchers.watchedRoots).toEqual([root]);
    writeFileSync(join(root, "shared.txt"), "x");
    expect((await readerA.next()).data).toContain("shared.txt");
    expect((await readerB.next()).data).toContain("shared.txt");
    first.abort();
    await Bun.sleep(100);
    expect(watchers.watchedRoots).toEqual([root]);
    second.abort();
    for (let i = 0; i < 50 && watchers.watchedRoots.length > 0; i++) await Bun.sleep(20);
    expect(watchers.watchedRoots).toEqual([]);
  });

  test("an unknown agent gets 404, not a stream", async () => {
    const response = await fetch(`${base}/api/agents/agt_nobody/workspace/changes`);
    expect(response.status).toBe(404);
    expect(watchers.watchedRoots).toEqual([]);
  });
});

describe("upload limits", () => {
  let sessionId: string;
  beforeAll(async () => {
    sessionId = await newSession(app());
  });
  const attachmentFiles = () => {
    const folder = join(root, "attachments");
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  };

  test("a multipart upload with one file over the limit stores none of its files", async () => {
    const before = attachmentFiles();
    const form = new FormData();
    form.append("file", new File(["small"], "small.txt"));
    form.append("file", new File([new Uint8Array(1001)], "big.bin"));
    const response = await fetch(`${base}/api/sessions/${sessionId}/attachments`, {
      method: "POST",
      body: form,
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain("big.bin");
    expect(attachmentFiles()).toEqual(before);
  });

  test("a streamed body without a length is cut at the limit and its partial file removed", async () => {
    const before = attachmentFiles();
    const chunks = [new Uint8Array(600), new Uint8Array(600)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const response = await fetch(`${base}/api/sessions/${sessionId}/attachments`, {
      method: "POST",
      body: stream,
      headers: { "x-file-name": "stream.bin", "content-type": "application/octet-stream" },
    });
    expect(response.status).toBe(413);
    expect(attachmentFiles()).toEqual(before);
    const fits = await fetch(`${base}/api/sessions/${sessionId}/attachments`, {
      method: "POST",
      body: new Uint8Array(1000),
      headers: { "x-file-name": "fits.bin" },
    });
    expect(fits.status).toBe(201);
    const [stored] = ((await fits.json()) as { attachments: { path: string; size: number; mime: string }[] })
      .attachments;
    expect(stored).toMatchObject({ size: 1000, mime: "application/octet-stream" });
    expect(stored?.path).toEndWith("/fits.bin");
  });
});
