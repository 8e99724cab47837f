/**
 * The embedded UI is stored gzip-compressed (scripts/build.ts) and served as such to clients that
 * accept gzip, decompressed for those that do not; uncompressed files are served unchanged. Every
 * grammar the highlighter ships resolves to a real shiki grammar (the worker's lazy chunks).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptsGzip, embeddedAssets, serveUi } from "../../src/server/ui-assets.ts";
import { LANGUAGES } from "../../ui/src/components/markdown/highlight-languages.ts";

const dir = mkdtempSync(join(tmpdir(), "sage-ui-assets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = `console.log(${JSON.stringify("x".repeat(4000))});`;
writeFileSync(join(dir, "app.js.gz"), Bun.gzipSync(new TextEncoder().encode(script)));
writeFileSync(join(dir, "index.html.gz"), Bun.gzipSync(new TextEncoder().encode("<!doctype html><p>hi")));
writeFileSync(join(dir, "icon.png"), new Uint8Array([137, 80, 78, 71]));
const assets = embeddedAssets(
  {
    "assets/app.js": join(dir, "app.js.gz"),
    "index.html": join(dir, "index.html.gz"),
    "icon.png": join(dir, "icon.png"),
  },
  new Set(["assets/app.js", "index.html"]),
);

describe("serveUi with gzip-embedded files", () => {
  test("a client accepting gzip gets the stored bytes with content-encoding: gzip", async () => {
    const response = serveUi(assets, "/assets/app.js", "GET", {}, "gzip, deflate, br");
    if (!response) throw new Error("no response");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toBe("accept-encoding");
    expect(response.headers.get("content-type")).toContain("text/javascript");
    expect(response.headers.get("cache-control")).toContain("immutable");
    const body = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(Bun.gunzipSync(body))).toBe(script);
  });

  test("a client without gzip gets the plain file; so does one that refuses it with q=0", async () => {
    for (const accept of ["", "identity", "gzip;q=0, br"]) {
      const response = serveUi(assets, "/assets/app.js", "GET", {}, accept);
      if (!response) throw new Error("no response");
      expect(response.headers.get("content-encoding")).toBeNull();
      expect(await response.text()).toBe(script);
    }
  });

  test("the SPA fallback serves the compressed index.html the same way", async () => {
    const zipped = serveUi(assets, "/chat/abc", "GET", {}, "gzip");
    expect(zipped?.headers.get("content-encoding")).toBe("gzip");
    const plain = serveUi(assets, "/chat/abc", "GET", {}, "");
    expect(await plain?.text()).toBe("<!doctype html><p>hi");
  });

  test("an uncompressed file is sent unchanged, without content-encoding", async () => {
    const response = serveUi(assets, "/icon.png", "GET", {}, "gzip");
    expect(response?.headers.get("content-encoding")).toBeNull();
    expect([...new Uint8Array(await (response as Response).arrayBuffer())]).toEqual([137, 80, 78, 71]);
  });

  test("acceptsGzip reads q-values and wildcards", () => {
    expect(acceptsGzip("gzip")).toBe(true);
    expect(acceptsGzip("br, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("deflate, br")).toBe(false);
    expect(acceptsGzip("")).toBe(false);
  });
});

describe("highlighter languages", () => {
  test("every shipped name loads a shiki grammar", async () => {
    for (const [name, load] of Object.entries(LANGUAGES)) {
      const grammars = (await load()).default as { name?: string; scopeName?: string }[];
      expect(grammars.length, name).toBeGreaterThan(0);
      expect(grammars.at(-1)?.scopeName, name).toBeString();
    }
  });
});
