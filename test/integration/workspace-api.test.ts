/**
 * The workspace panel's API over real HTTP (token, confinement, content types, ranges, deletes) and
 * attachments (multipart, pasted images, raw bodies, size limits), against a real backend.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Attachment } from "../../src/shared/client-messages.ts";
import type { WorkspaceFileInfo, WorkspaceListing } from "../../src/shared/workspace.ts";
import { useBackend } from "../support/backend.ts";
import { newSession } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

/** A real 1x1 PNG. */
export const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  ),
);

let agentId: string;
let root: string;
/** A folder outside every workspace, with a secret file the API must never serve. */
let outside: string;

const app = useBackend();
beforeAll(async () => {
  const context = app().running.backend.context;
  agentId = context.agents.defaultAgent().id;
  const tree = await app().api<WorkspaceListing>(`/api/agents/${agentId}/workspace/tree`);
  root = tree.body.root;
  outside = join(tmpdir(), `sage-outside-${Date.now()}`);
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, "secret.txt"), "top secret");

  mkdirSync(join(root, "src/lib"), { recursive: true });
  mkdirSync(join(root, ".sage/cache"), { recursive: true });
  writeFileSync(join(root, ".sage/cache/x.json"), "{}");
  writeFileSync(join(root, "src/main.ts"), "export const answer = 42;\n");
  writeFileSync(join(root, "src/lib/util.ts"), "export {};\n");
  writeFileSync(join(root, "file10.txt"), "ten");
  writeFileSync(join(root, "file2.txt"), "0123456789");
  writeFileSync(join(root, "README.md"), "# Hello\n");
  writeFileSync(join(root, "page.html"), "<script>alert(1)</script>");
  writeFileSync(join(root, "doc.pdf"), "%PDF-1.4\n%%EOF\n");
  writeFileSync(join(root, "pixel.png"), PNG);
  writeFileSync(join(root, "notes"), "plain words, no extension");
  writeFileSync(join(root, "blob.bin"), new Uint8Array([0, 1, 2, 3, 255]));
  writeFileSync(join(root, "Ünïcode name.txt"), "ü");
  symlinkSync(outside, join(root, "escape-dir"));
  symlinkSync(join(outside, "secret.txt"), join(root, "escape-file"));
  symlinkSync("src/main.ts", join(root, "main-link.ts"));
  symlinkSync("missing-target", join(root, "dangling"));
});

function url(path: string, query: Record<string, string> = {}): string {
  const params = new URLSearchParams(query);
  return `${app().url}/api/agents/${agentId}/workspace/${path}${params.size ? `?${params}` : ""}`;
}

function get(path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return fetch(url(path, query), { headers: { authorization: `Bearer ${app().token}`, ...headers } });
}

describe("tree", () => {
  test("lists folders first, natural order, hidden folders collapsed, links classified", async () => {
    const { status, body } = await app().api<WorkspaceListing>(
      `/api/agents/${agentId}/workspace/tree?depth=2`,
    );
    expect(status).toBe(200);
    expect(body.path).toBe(".");
    expect(body.truncated).toBe(false);
    const names = body.entries.map((e) => e.name);
    // Folders first, then everything else.
    const types = body.entries.map((e) => e.type === "directory");
    expect(types).toEqual([...types].sort((a, b) => Number(b) - Number(a)));
    expect(names.filter((_, i) => types[i])).toEqual([".sage", "src"]);
    expect(names.indexOf("file2.txt")).toBeLessThan(names.indexOf("file10.txt"));
    const byName = Object.fromEntries(body.entries.map((e) => [e.name, e]));
    expect(byName["file2.txt"]).toMatchObject({ path: "file2.txt", type: "file", size: 10, hidden: false });
    expect(byName["file2.txt"]?.mtime).toBeGreaterThan(0);
    expect(byName.src?.type).toBe("directory");
    expect(byName.src?.children?.map((e) => e.name)).toEqual(["lib", "main.ts"]);
    expect(byName.src?.children?.[0]?.children).toBeUndefined(); // depth 2 stops there
    expect(byName[".sage"]).toMatchObject({ type: "directory", hidden: true });
    expect(byName[".sage"]?.children).toBeUndefined();
    expect(byName["escape-dir"]).toMatchObject({ type: "other", link: "outside", size: 0 });
    expect(byName["escape-file"]).toMatchObject({ type: "other", link: "outside" });
    expect(byName["main-link.ts"]).toMatchObject({ type: "file", link: "inside", size: 26 });
    expect(byName.dangling).toMatchObject({ type: "other", link: "broken" });
  });

  test("lists a sub-folder, caps entries, refuses files, missing paths and escapes", async () => {
    const sub = await app().api<WorkspaceListing>(`/api/agents/${agentId}/workspace/tree?path=src/lib`);
    expect(sub.body.path).toBe("src/lib");
    expect(sub.body.entries.map((e) => e.path)).toEqual(["src/lib/util.ts"]);
    const capped = await app().api<WorkspaceListing>(`/api/agents/${agentId}/workspace/tree?limit=3`);
    expect(capped.body.entries).toHaveLength(3);
    expect(capped.body.truncated).toBe(true);
    const full = await app().api<WorkspaceListing>(`/api/agents/${agentId}/workspace/tree`);
    expect(capped.body.entries.map((e) => e.name)).toEqual(full.body.entries.slice(0, 3).map((e) => e.name));
    const file = await app().api<{ error: { code: string; message: string } }>(
      `/api/agents/${agentId}/workspace/tree?path=file2.txt`,
    );
    expect(file.status).toBe(400);
    expect(file.body.error.message).toContain("not a folder");
    const missing = await app().api<{ error: { code: string } }>(
      `/api/agents/${agentId}/workspace/tree?path=nope`,
    );
    expect(missing.status).toBe(404);
    for (const bad of ["..", "../..", "/etc", "escape-dir", "src/../../"]) {
      const refused = await app().api<{ error: { code: string; message: string } }>(
        `/api/agents/${agentId}/workspace/tree?path=${encodeURIComponent(bad)}`,
      );
      expect(refused.status, bad).toBe(403);
      expect(refused.body.error.code).toBe("outside_workspace");
    }
    const depth = await app().api<{ error: { code: string } }>(
      `/api/agents/${agentId}/workspace/tree?depth=9`,
    );
    expect(depth.status).toBe(400);
  });

  test("an unknown agent is 404", async () => {
    const { status, body } = await app().api<{ error: { code: string; message: string } }>(
      "/api/agents/agt_nobody/workspace/tree",
    );
    expect(status).toBe(404);
    expect(body.error.message).toContain("agt_nobody");
    const other = await fetch(`${app().url}/api/agents/agt_nobody/workspace/file?path=file2.txt`, {
      headers: { authorization: `Bearer ${app().token}` },
    });
    expect(other.status).toBe(404);
  });
});

describe("files", () => {
  test("serves each kind with its content type; active content is sandboxed", async () => {
    const cases: [string, string][] = [
      ["file2.txt", "text/plain; charset=utf-8"],
      ["src/main.ts", "text/plain; charset=utf-8"],
      ["README.md", "text/markdown; charset=utf-8"],
      ["pixel.png", "image/png"],
      ["doc.pdf", "application/pdf"],
      ["page.html", "text/html; charset=utf-8"],
      ["notes", "text/plain; charset=utf-8"],
      ["blob.bin", "application/octet-stream"],
    ];
    for (const [path, type] of cases) {
      const response = await get("file", { path });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toBe(type);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-disposition"), path).toStartWith("inline;");
      const csp = response.headers.get("content-security-policy");
      if (path === "doc.pdf") expect(csp).toBeNull();
      else expect(csp, path).toStartWith("sandbox");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes, path).toEqual(new Uint8Array(readFileSync(join(root, path))));
    }
  });

  test("download=1 names the file, non-ASCII names included", async () => {
    const response = await get("file", { path: "Ünïcode name.txt", download: "1" });
    expect(response.status).toBe(200);
    const disposition = response.headers.get("content-disposition") ?? "";
    expect(disposition).toStartWith("attachment;");
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent("Ünïcode name.txt")}`);
    expect(disposition).toContain('filename="_n_code name.txt"');
    expect(await response.text()).toBe("ü");
  });

  test("Range requests return the asked bytes; impossible ranges are 416", async () => {
    const part = await get("file", { path: "file2.txt" }, { range: "bytes=2-5" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await part.text()).toBe("2345");
    const tail = await get("file", { path: "file2.txt" }, { range: "bytes=-3" });
    expect(await tail.text()).toBe("789");
    const open = await get("file", { path: "file2.txt" }, { range: "bytes=7-" });
    expect(await open.text()).toBe("789");
    const past = await get("file", { path: "file2.txt" }, { range: "bytes=50-60" });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */10");
    const whole = await get("file", { path: "file2.txt" }, { range: "bytes=0-1,4-5" });
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe("0123456789");
  });

  test("the token works as a query parameter (for <img> and <iframe>); no token is 401", async () => {
    const withQuery = await fetch(url("file", { path: "pixel.png", token: app().token }));
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.get("content-type")).toBe("image/png");
    const without = await fetch(url("file", { path: "pixel.png" }));
    expect(without.status).toBe(401);
    const wrong = await fetch(url("file", { path: "pixel.png", token: "nope" }));
    expect(wrong.status).toBe(401);
  });

  test("confinement: .., absolute paths and symlinks out are refused; folders are not files", async () => {
    for (const path of [
      "../secret.txt",
      "../../etc/passwd",
      "/etc/passwd",
      join(outside, "secret.txt"),
      "escape-file",
      "escape-dir/secret.txt",
      "src/../../x",
    ]) {
      const response = await get("file", { path });
      expect(response.status, path).toBe(403);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("outside_workspace");
      expect(JSON.stringify(body)).not.toContain("top secret");
      const info = await get("info", { path });
      expect(info.status, path).toBe(403);
    }
    // Unusable as a path at all (request-path.ts): 400, before the file system is asked.
    const nul = await get("file", { path: "file2.txt\0.png" });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { error: { code: string } }).error.code).toBe("invalid_path");
    const folder = await get("file", { path: "src" });
    expect(folder.status).toBe(400);
    const missing = await get("file", { path: "nope.txt" });
    expect(missing.status).toBe(404);
    // A link inside the workspace is fine.
    const link = await get("file", { path: "main-link.ts" });
    expect(await link.text()).toBe("export const answer = 42;\n");
  });

  test("info gives the preview kind and language", async () => {
    const info = async (path: string) => (await (await get("info", { path })).json()) as WorkspaceFileInfo;
    expect(await info("src/main.ts")).toMatchObject({
      name: "main.ts",
      path: "src/main.ts",
      size: 26,
      preview: "text",
      language: "typescript",
    });
    expect((await info("README.md")).preview).toBe("markdown");
    expect((await info("pixel.png")).preview).toBe("image");
    expect((await info("doc.pdf")).preview).toBe("pdf");
    expect((await info("notes")).preview).toBe("text");
    expect((await info("blob.bin")).preview).toBe("none");
  });

  test("DELETE removes files and folders, a symlink itself, never the root or outside", async () => {
    writeFileSync(join(root, "trash.txt"), "x");
    mkdirSync(join(root, "trash-dir/inner"), { recursive: true });
    writeFileSync(join(root, "trash-dir/inner/a.txt"), "a");
    symlinkSync(join(outside, "secret.txt"), join(root, "trash-link"));
    const del = (path: string) =>
      fetch(url("file", { path }), { method: "DELETE", headers: { authorization: `Bearer ${app().token}` } });
    expect((await del("trash.txt")).status).toBe(200);
    expect(existsSync(join(root, "trash.txt"))).toBe(false);
    const folder = await del("trash-dir");
    expect(await folder.json()).toEqual({ deleted: true, path: "trash-dir" });
    expect(existsSync(join(root, "trash-dir"))).toBe(false);
    expect((await del("trash-link")).status).toBe(200);
    expect(() => lstatSync(join(root, "trash-link"))).toThrow();
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("top secret");
    expect((await del(".")).status).toBe(400);
    expect((await del("")).status).toBe(400);
    expect((await del("../x")).status).toBe(403);
    expect((await del("escape-dir/secret.txt")).status).toBe(403);
    expect(existsSync(join(outside, "secret.txt"))).toBe(true);
    expect((await del("nope")).status).toBe(404);
  });
});

describe("live changes through the app", () => {
  test("the change stream accepts the token as a query parameter (EventSource cannot send headers)", async () => {
    const abort = new AbortController();
    const refused = await fetch(url("changes"));
    expect(refused.status).toBe(401);
    const response = await fetch(url("changes", { token: app().token }), { signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("event: ready")) text += new TextDecoder().decode((await reader.read()).value);
    writeFileSync(join(root, "streamed.txt"), "x");
    while (!text.includes("streamed.txt")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"type":"workspace.changed"');
    abort.abort();
  });
});

describe("attachments", () => {
  let sessionId: string;
  beforeAll(async () => {
    sessionId = await newSession(app());
  });

  function upload(body: BodyInit, headers: Record<string, string> = {}) {
    return fetch(`${app().url}/api/sessions/${sessionId}/attachments`, {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${app().token}`, ...headers },
    });
  }

  test("multipart with two files stores both under attachments/<date>/ with unique names", async () => {
    const form = new FormData();
    form.append("file", new File(["hello notes"], "My Notes.txt", { type: "text/plain" }));
    form.append("files", new File([PNG], "photo.png", { type: "image/png" }));
    const response = await upload(form);
    expect(response.status).toBe(201);
    const stored = ((await response.json()) as { attachments: Attachment[] }).attachments;
    expect(stored).toHaveLength(2);
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    expect(stored[0]).toEqual({
      path: `attachments/${day}/My-Notes.txt`,
      name: "My Notes.txt",
      mime: "text/plain",
      size: 11,
    });
    expect(stored[1]).toEqual({
      path: `attachments/${day}/photo.png`,
      name: "photo.png",
      mime: "image/png",
      size: PNG.length,
    });
    expect(readFileSync(join(root, stored[0]?.path ?? ""), "utf8")).toBe("hello notes");
    expect(new Uint8Array(readFileSync(join(root, stored[1]?.path ?? "")))).toEqual(PNG);
    // The same name again never overwrites.
    const again = new FormData();
    again.append("file", new File(["second"], "My Notes.txt", { type: "text/plain" }));
    const second = ((await (await upload(again)).json()) as { attachments: Attachment[] }).attachments;
    expect(second[0]?.path).toBe(`attachments/${day}/My-Notes-2.txt`);
    expect(readFileSync(join(root, stored[0]?.path ?? ""), "utf8")).toBe("hello notes");
  });

  test("a pasted image (no name, no type) gets a generated name and is sniffed as PNG", async () => {
    const form = new FormData();
    form.append("file", new Blob([PNG]));
    const response = await upload(form);
    expect(response.status).toBe(201);
    const [pasted] = ((await response.json()) as { attachments: Attachment[] }).attachments;
    expect(pasted?.mime).toBe("image/png");
    expect(pasted?.name).toMatch(/^pasted-\d{8}-\d{6}\.png$/);
    expect(pasted?.path).toMatch(/^attachments\/\d{4}-\d{2}-\d{2}\/pasted-\d{8}-\d{6}(-\d+)?\.png$/);
    expect(new Uint8Array(readFileSync(join(root, pasted?.path ?? "")))).toEqual(PNG);
  });

  test("a raw body named by x-file-name; hostile names stay inside", async () => {
    const response = await upload("raw text", {
      "content-type": "text/plain",
      "x-file-name": encodeURIComponent("../../.evil name;rm -rf.txt"),
    });
    expect(response.status).toBe(201);
    const [raw] = ((await response.json()) as { attachments: Attachment[] }).attachments;
    expect(raw?.path).toMatch(/^attachments\/[\d-]+\/evil-name-rm-rf\.txt$/);
    expect(raw?.name).toBe(".evil name;rm -rf.txt");
    expect(readFileSync(join(root, raw?.path ?? ""), "utf8")).toBe("raw text");
  });

  test("too large is 413 and stores nothing; empty forms and unknown sessions are refused", async () => {
    const big = new Uint8Array(50 * 1024 * 1024 + 1);
    const before = listAttachments();
    const tooLarge = await upload(big, {
      "content-type": "application/octet-stream",
      "x-file-name": "big.bin",
    });
    expect(tooLarge.status).toBe(413);
    const body = (await tooLarge.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_large");
    expect(body.error.message).toContain("50 MiB");
    expect(listAttachments()).toEqual(before);

    const empty = new FormData();
    empty.append("note", "just text");
    const noFiles = await upload(empty);
    expect(noFiles.status).toBe(400);
    const unknown = await fetch(`${app().url}/api/sessions/ses_nobody/attachments`, {
      method: "POST",
      body: "x",
      headers: { authorization: `Bearer ${app().token}`, "x-file-name": "x.txt" },
    });
    expect(unknown.status).toBe(404);
  });

  test("an attached image reaches a vision model as image content", async () => {
    const form = new FormData();
    form.append("file", new File([PNG], "look.png", { type: "image/png" }));
    const [image] = ((await (await upload(form)).json()) as { attachments: Attachment[] }).attachments;
    const socket = await TestSocket.connect(app());
    socket.send({ type: "subscribe", sessionId, afterSeq: 0 });
    await socket.waitFor("subscribed");
    app().fake.enqueue({ text: ["A single pixel."] });
    socket.send({
      type: "submit",
      sessionId,
      clientTurnId: "attach-1",
      text: "What is this?",
      attachments: image ? [image] : [],
    });
    const ended = await socket.waitFor("turn.ended");
    expect(ended.status).toBe("completed");
    const asked = app()
      .fake.requests.map((r) => JSON.stringify(r.body))
      .filter((b) => b.includes("What is this?"));
    expect(asked.some((body) => body.includes(Buffer.from(PNG).toString("base64")))).toBe(true);
    socket.close();
  });
});

function listAttachments(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const entry of new Bun.Glob("**/*").scanSync({ cwd: folder, dot: true })) found.push(entry);
  };
  walk(join(root, "attachments"));
  return found.sort();
}
