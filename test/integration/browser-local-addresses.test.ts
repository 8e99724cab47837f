/**
 * The agent's browser and local addresses, as attacks, against a real headless Chromium: by default the
 * browser refuses a page on 127.0.0.1 before anyone is asked; a "public" page that redirects to
 * 127.0.0.1, or that fetches, frames, links, scripts a navigation or opens a WebSocket to it, gets none
 * of it through. With local addresses allowed the page opens and the approval says it is on this
 * computer.
 *
 * A public address cannot be served here, so the "public" host is simulated: the gate's resolver says
 * `public.test` is 93.184.216.34, and the browser's connections go through a test "upstream proxy" (the
 * role a corporate proxy from HTTPS_PROXY plays) that tunnels 93.184.216.34:PORT to 127.0.0.1:PORT and
 * nothing else. Every request that reaches the real 127.0.0.1 any other way is what the gate must stop;
 * the test server records every request that reaches it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolResult } from "../../src/agent/tool-contract.ts";
import { BrowserManager, browserProfileDir } from "../../src/browser/browser-manager.ts";
import type { HostResolver } from "../../src/net/address-guard.ts";
import { browserClickTool } from "../../src/tools/browser-click.ts";
import { browserEvaluateTool } from "../../src/tools/browser-evaluate.ts";
import { browserNavigateTool } from "../../src/tools/browser-navigate.ts";
import { browserSnapshotTool } from "../../src/tools/browser-snapshot.ts";
import { createTestToolContext, type TestToolContext } from "../unit/tool-context.ts";

/** Paths the test server was asked for, in order (WebSocket upgrades as "ws:<path>"). */
const hits: string[] = [];
const server: ReturnType<typeof Bun.serve> = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request, bunServer): Response | undefined {
    const url = new URL(request.url);
    if (request.headers.get("upgrade") === "websocket") {
      hits.push(`ws:${url.pathname}`);
      return bunServer.upgrade(request, { data: undefined })
        ? undefined
        : new Response("no", { status: 400 });
    }
    hits.push(url.pathname);
    const html = (body: string) =>
      new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
    const local: string = `http://127.0.0.1:${server.port}`;
    switch (url.pathname) {
      case "/secret":
        return html("<title>Secret</title><h1>Router admin</h1>");
      case "/to-local":
        return new Response(null, { status: 302, headers: { location: `${local}/secret` } });
      case "/loads-local":
        return html(`<title>Loads local</title><h1>Public page</h1>
<img src="${local}/secret-image">
<iframe src="${local}/secret-frame"></iframe>
<script>fetch("${local}/secret-fetch").catch(() => {});</script>`);
      case "/links-local":
        return html(`<title>Links local</title><a href="${local}/secret">Admin panel</a>`);
      case "/plain":
        return html("<title>Plain</title><p>Nothing here</p>");
      default:
        return new Response("not found", { status: 404 });
    }
  },
  websocket: { message() {} },
});
const local: string = `http://127.0.0.1:${server.port}`;
const publicOrigin = `http://public.test:${server.port}`;
/** The gate's resolver: public.test is "on the internet". */
const resolve: HostResolver = async (host) => (host === "public.test" ? ["93.184.216.34"] : ["127.0.0.1"]);

/** The "internet": CONNECT 93.184.216.34:PORT reaches the test server; anything else is refused. */
const tunnels: string[] = [];
const internet = createServer((client: Socket) => {
  client.once("data", (chunk: Buffer) => {
    const target = /^CONNECT (\S+) HTTP/.exec(chunk.toString("latin1"))?.[1] ?? "";
    tunnels.push(target);
    if (target !== `93.184.216.34:${server.port}`) {
      client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
      return;
    }
    const upstream = connect({ host: "127.0.0.1", port: Number(server.port) }, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
});

const base = mkdtempSync(join(tmpdir(), "sage-browser-local-"));
let allowLocal = false;
let manager: BrowserManager;
let context: TestToolContext;

beforeAll(async () => {
  await new Promise<void>((resolve) => internet.listen(0, "127.0.0.1", resolve));
  manager = new BrowserManager({
    profileDir: browserProfileDir(base, "agent-local"),
    headed: false,
    displayAvailable: false,
    addressPolicy: () => ({ allowPrivate: allowLocal, resolve }),
    upstreamProxy: { url: `http://127.0.0.1:${(internet.address() as { port: number }).port}` },
  });
  context = createTestToolContext({ services: { browser: manager } });
});
afterAll(async () => {
  await manager.dispose();
  server.stop(true);
  internet.close();
  context.cleanup();
  rmSync(base, { recursive: true, force: true });
});

const run = (tool: typeof browserNavigateTool | typeof browserClickTool, params: Record<string, unknown>) =>
  tool.execute(params as never, context.ctx) as Promise<ToolResult>;

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the call to fail, but it succeeded");
}

function secretHits(): string[] {
  return hits.filter((hit) => hit.includes("secret") || hit.startsWith("ws:"));
}

describe("local addresses refused (the default)", () => {
  test("a page on 127.0.0.1 is refused before the approval, and the browser does not load it", async () => {
    const message = await failureOf(
      Promise.resolve(
        browserNavigateTool.describe?.(
          { url: `${local}/secret` },
          { workspace: context.ctx.workspace, services: context.ctx.services },
        ),
      ),
    );
    expect(message).toContain(`Refused to open ${local}/secret is on this computer (loopback)`);
    expect(message).toContain("Settings → General");
    const executed = await failureOf(run(browserNavigateTool, { url: `${local}/secret` }));
    expect(executed).toContain("on this computer");
    expect(secretHits()).toEqual([]);
  }, 60_000);

  test("other spellings of this computer are refused too", async () => {
    for (const url of [
      "http://localhost:1/",
      "http://127.1:1/",
      "http://2130706433:1/",
      "http://[::1]:1/",
      "http://[::ffff:127.0.0.1]:1/",
      "http://0.0.0.0:1/",
      "http://192.168.1.1/",
      "http://10.0.0.1/",
      "http://169.254.169.254/latest/meta-data/",
    ]) {
      const message = await failureOf(run(browserNavigateTool, { url }));
      expect(message, url).toMatch(/Refused to open .* is on (this computer|the local network)/);
    }
  });

  test("a public page that redirects to 127.0.0.1 is refused at the redirect", async () => {
    const before = hits.length;
    const message = await failureOf(run(browserNavigateTool, { url: `${publicOrigin}/to-local` }));
    expect(message).toContain(`Refused to open ${local}/secret is on this computer`);
    expect(hits.slice(before)).toEqual(["/to-local"]);
  });

  test("a public page's image, frame and fetch to 127.0.0.1 are blocked, and the model is told", async () => {
    const before = hits.length;
    const result = await run(browserNavigateTool, { url: `${publicOrigin}/loads-local` });
    expect(result.text).toStartWith(`Opened ${publicOrigin}/loads-local (HTTP 200 OK).`);
    // Give the page's script time to try its fetch.
    await Bun.sleep(300);
    expect(hits.slice(before)).toEqual(["/loads-local"]);
    expect(result.text).toMatch(
      /Blocked \d+ requests? of the page to addresses on this computer or the local network/,
    );
    expect(result.text).toContain('heading "Public page"');
  });

  test("clicking a link to 127.0.0.1 is refused", async () => {
    await run(browserNavigateTool, { url: `${publicOrigin}/links-local` });
    const snapshot = (await browserSnapshotTool.execute({}, context.ctx)).text;
    const ref = /link "Admin panel" \[ref=((?:f\d+)?e\d+)\]/.exec(snapshot)?.[1];
    expect(ref).toBeDefined();
    const before = hits.length;
    const result = await run(browserClickTool, { ref });
    expect(result.text).toContain(`Refused to open ${local}/secret is on this computer`);
    expect(hits.slice(before)).toEqual([]);
  });

  test("a script setting location, or opening a WebSocket, to 127.0.0.1 gets nothing through", async () => {
    await run(browserNavigateTool, { url: `${publicOrigin}/plain` });
    const before = hits.length;
    const socket = await browserEvaluateTool.execute(
      {
        script: `new Promise((resolve) => {
          const socket = new WebSocket("ws://127.0.0.1:${server.port}/secret-socket");
          socket.onopen = () => resolve("open");
          socket.onclose = (event) => resolve("closed " + event.code);
          socket.onerror = () => resolve("error");
          setTimeout(() => resolve("timeout"), 3000);
        })`,
      },
      context.ctx,
    );
    expect(socket.text).not.toContain('"open"');
    const moved = await browserEvaluateTool.execute(
      { script: `location.href = "${local}/secret"; "moving"` },
      context.ctx,
    );
    expect(moved.text).toContain(`Refused to open ${local}/secret is on this computer`);
    expect(hits.slice(before)).toEqual([]);
  });
});

describe("local addresses allowed (the setting on)", () => {
  test("the page opens, and the approval says it is on this computer", async () => {
    allowLocal = true;
    try {
      const description = await browserNavigateTool.describe?.(
        { url: `${local}/secret` },
        { workspace: context.ctx.workspace, services: context.ctx.services },
      );
      expect(description?.title).toBe(`Open ${local}/secret (a page on this computer)`);
      expect(description?.locality).toBe("this-computer");
      const lan = await browserNavigateTool.describe?.(
        { url: "http://192.168.1.1/" },
        { workspace: context.ctx.workspace, services: context.ctx.services },
      );
      expect(lan?.title).toContain("(a page on the local network)");
      const result = await run(browserNavigateTool, { url: `${local}/secret` });
      expect(result.text).toContain('heading "Router admin"');
      // A public page is described as before.
      const plain = await browserNavigateTool.describe?.(
        { url: `${publicOrigin}/plain` },
        { workspace: context.ctx.workspace, services: context.ctx.services },
      );
      expect(plain?.locality).toBeUndefined();
      expect(plain?.title).toBe(`Open ${publicOrigin}/plain`);
    } finally {
      allowLocal = false;
    }
    // Switched off again: refused again, in the same running browser.
    expect(await failureOf(run(browserNavigateTool, { url: `${local}/secret` }))).toContain(
      "on this computer",
    );
  });
});
