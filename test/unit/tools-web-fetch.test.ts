/**
 * web_fetch against a real local HTTP server (Bun.serve on 127.0.0.1). The server is local, so most
 * tests reach it either with `allowPrivate: true` or through a made-up public-looking host name that an
 * injected resolver maps to 127.0.0.1 and that `allowedHosts` exempts; redirects from there to local
 * addresses must still be refused.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { classifyAddress, ipv6Groups } from "../../src/net/address-guard.ts";
import { type WebFetchService, webFetchTool } from "../../src/tools/web-fetch.ts";
import { createTestToolContext } from "./tool-context.ts";

const articleParagraph =
  "This paragraph belongs to the main article and carries enough words for Readability to notice it. ";
const articlePage = `<!doctype html><html><head><title>Test Article</title><style>p{color:red}</style></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>The Heading</h1>
${Array.from({ length: 8 }, (_, index) => `<p>${articleParagraph}<a href="docs/part-${index}.html">part ${index}</a></p>`).join("\n")}
<p><img src="/img/figure.png" alt="A figure"></p>
</article><script>document.title = "changed by script"</script><footer>Footer text</footer></body></html>`;

const linkListPage = `<!doctype html><html><head><title>Links</title><base href="https://docs.example/base/"></head>
<body><ul><li><a href="one">One</a></li><li><a href="/two">Two</a></li><li><a href="javascript:alert(1)">Script link</a></li></ul></body></html>`;

let requestsSeen: { path: string; host: string | null }[] = [];

const server: Bun.Server<undefined> = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request): Promise<Response> {
    const url = new URL(request.url);
    requestsSeen.push({ path: url.pathname, host: request.headers.get("host") });
    const html = (body: string) =>
      new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    const redirect = (location: string, status = 302) =>
      new Response(null, { status, headers: { Location: location } });
    switch (url.pathname) {
      case "/article":
        return html(articlePage);
      case "/links":
        return html(linkListPage);
      case "/redirect-1":
        return redirect("/redirect-2", 301);
      case "/redirect-2":
        return redirect(`http://${url.host}/article`, 307);
      case "/loop-a":
        return redirect("/loop-b");
      case "/loop-b":
        return redirect("/loop-a");
      case "/to-loopback":
        return redirect(`http://127.0.0.1:${server.port}/article`);
      case "/to-intranet":
        return redirect("http://intranet.test/secret");
      case "/to-file":
        return redirect("file:///etc/passwd");
      // HTML lets a page leave out <html>, <head> and <body>; many real pages do.
      case "/no-html-head":
        return html(
          "<!doctype html><title>Bare Page</title><body class=x><h1>Bare</h1><p>Body text.</p></body>",
        );
      case "/no-tags-at-all":
        return html("<!doctype html><title>Tagless</title><h1>Tagless</h1><p>Only implied tags.</p>");
      case "/json":
        return new Response('{"name":"sage","list":[1,2]}', {
          headers: { "Content-Type": "application/json" },
        });
      case "/text":
        return new Response("plain text\n  kept as is", { headers: { "Content-Type": "text/plain" } });
      case "/markdown":
        return new Response("# Title\n\n- item", {
          headers: { "Content-Type": "text/markdown; charset=utf-8" },
        });
      case "/image":
        return new Response(new Uint8Array(2048).fill(7), { headers: { "Content-Type": "image/png" } });
      case "/missing":
        return new Response(
          "<html><head><title>Not here</title></head><body><p>No such page.</p></body></html>",
          {
            status: 404,
            headers: { "Content-Type": "text/html" },
          },
        );
      case "/endless": {
        // A body that never ends: only a reader that stops at its limit can finish.
        const chunk = new TextEncoder().encode("x".repeat(1000));
        const stream = new ReadableStream({
          pull(controller) {
            controller.enqueue(chunk);
          },
        });
        return new Response(stream, { headers: { "Content-Type": "text/plain" } });
      }
      case "/slow":
        await Bun.sleep(3000);
        return html("<p>late</p>");
      case "/stalled-body": {
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("<p>start"));
          },
        });
        return new Response(stream, { headers: { "Content-Type": "text/html" } });
      }
      case "/echo-host":
        return new Response(`host=${request.headers.get("host")}`, {
          headers: { "Content-Type": "text/plain" },
        });
      default:
        return new Response("not found", { status: 404 });
    }
  },
});
afterAll(() => server.stop(true));

const origin = `http://127.0.0.1:${server.port}`;
/** A public-looking name that the injected resolver sends to the local server. */
const publicOrigin = `http://public.test:${server.port}`;

function publicResolver(calls: string[] = []) {
  return async (host: string) => {
    calls.push(host);
    if (host === "public.test") return ["127.0.0.1"];
    if (host === "intranet.test") return ["10.1.2.3"];
    if (host === "mixed.test") return ["93.184.216.34", "192.168.1.20"];
    throw new Error(`unknown host ${host}`);
  };
}

const localAllowed: WebFetchService = { allowPrivate: true };
const publicOnly: WebFetchService = { resolve: publicResolver(), allowedHosts: ["public.test"] };

async function fetchWith(services: WebFetchService | undefined, url: string, maxChars?: number) {
  const context = createTestToolContext({ services: services === undefined ? {} : { webFetch: services } });
  try {
    return await webFetchTool.execute({ url, ...(maxChars ? { max_chars: maxChars } : {}) }, context.ctx);
  } finally {
    context.cleanup();
  }
}

describe("web_fetch content", () => {
  test("HTML becomes Markdown with title, absolute links, no scripts or styles", async () => {
    const result = await fetchWith(localAllowed, `${origin}/article`);
    expect(result.text).toStartWith(`Title: Test Article\nURL: ${origin}/article\nStatus: 200`);
    expect(result.text).toContain("The Heading");
    expect(result.text).toContain(`[part 3](${origin}/docs/part-3.html)`);
    expect(result.text).toContain(`![A figure](${origin}/img/figure.png)`);
    expect(result.text).not.toContain("color:red");
    expect(result.text).not.toContain("changed by script");
    expect(result.details).toMatchObject({
      url: `${origin}/article`,
      finalUrl: `${origin}/article`,
      status: 200,
      contentType: "text/html",
      title: "Test Article",
      redirects: [],
    });
    expect(result.details?.bytes).toBe(Buffer.byteLength(articlePage));
  });

  test.each([
    ["/no-html-head", "Bare Page", "# Bare\n\nBody text."],
    ["/no-tags-at-all", "Tagless", "# Tagless\n\nOnly implied tags."],
  ])("a page without its optional tags (%s) still gives its title and text", async (path, title, text) => {
    const result = await fetchWith(localAllowed, `${origin}${path}`);
    expect(result.details?.title).toBe(title);
    expect(result.text).toContain(text);
    expect(result.text).not.toContain("no text content");
  });

  test("a link list keeps every link, resolved against <base href>; script links lose their target", async () => {
    const result = await fetchWith(localAllowed, `${origin}/links`);
    expect(result.text).toContain("[One](https://docs.example/base/one)");
    expect(result.text).toContain("[Two](https://docs.example/two)");
    expect(result.text).toContain("Script link");
    expect(result.text).not.toContain("javascript:");
  });

  test("JSON is pretty-printed, text and Markdown come back as is", async () => {
    const json = await fetchWith(localAllowed, `${origin}/json`);
    expect(json.text).toEndWith('{\n  "name": "sage",\n  "list": [\n    1,\n    2\n  ]\n}');
    const text = await fetchWith(localAllowed, `${origin}/text`);
    expect(text.text).toEndWith("\n\nplain text\n  kept as is");
    expect(text.text).not.toContain("Title:");
    const markdown = await fetchWith(localAllowed, `${origin}/markdown`);
    expect(markdown.text).toEndWith("\n\n# Title\n\n- item");
    expect(markdown.details?.contentType).toBe("text/markdown");
  });

  test("binary content is described with its type and size", async () => {
    const result = await fetchWith(localAllowed, `${origin}/image`);
    expect(result.text).toContain("[Binary content (image/png, 2 KiB); not shown.]");
    expect(result.details).toMatchObject({ contentType: "image/png", bytes: 2048 });
  });

  test("an error status is reported with the page's content", async () => {
    const result = await fetchWith(localAllowed, `${origin}/missing`);
    expect(result.text).toContain("Status: 404");
    expect(result.text).toContain("No such page.");
    expect(result.details?.status).toBe(404);
  });

  test("max_chars cuts the content with a note", async () => {
    const result = await fetchWith(localAllowed, `${origin}/article`, 200);
    const body = result.text.split("\n\n").slice(1).join("\n\n");
    expect(body).toMatch(/\[Cut at 200 of \d+ characters\. Call web_fetch again with a larger max_chars/);
    expect(body.indexOf("[Cut at")).toBeLessThanOrEqual(202);
    expect(result.details?.cut).toBe(true);
  });
});

describe("web_fetch limits", () => {
  test("the download stops at the size cap, even for an endless body", async () => {
    const result = await fetchWith({ allowPrivate: true, maximumBytes: 10_000 }, `${origin}/endless`);
    expect(result.details).toMatchObject({ bytes: 10_000, downloadTruncated: true });
    expect(result.text).toContain("[Download stopped at the 9.8 KiB limit; the rest was not read.]");
  });

  test("a slow server times out with a clear message", async () => {
    const started = Date.now();
    const attempt = fetchWith({ allowPrivate: true, timeoutMs: 300 }, `${origin}/slow`);
    await expect(attempt).rejects.toThrow(`Timed out after 0.3 s fetching ${origin}/slow.`);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test("a body that stalls after the headers times out too", async () => {
    const attempt = fetchWith({ allowPrivate: true, timeoutMs: 400 }, `${origin}/stalled-body`);
    await expect(attempt).rejects.toThrow("Timed out after 0.4 s");
  });

  test("stopping the turn aborts the fetch with the turn's reason, not a timeout", async () => {
    const context = createTestToolContext({ services: { webFetch: localAllowed } });
    setTimeout(() => context.controller.abort(new Error("stopped by the user")), 100);
    try {
      await expect(webFetchTool.execute({ url: `${origin}/slow` }, context.ctx)).rejects.toThrow(
        "stopped by the user",
      );
    } finally {
      context.cleanup();
    }
  });
});

describe("web_fetch redirects", () => {
  test("redirects are followed and reported", async () => {
    const result = await fetchWith(localAllowed, `${origin}/redirect-1`);
    expect(result.text).toContain(`URL: ${origin}/article`);
    expect(result.text).toContain(
      `Redirects: ${origin}/redirect-1 -> ${origin}/redirect-2 -> ${origin}/article`,
    );
    expect(result.details?.redirects).toEqual([`${origin}/redirect-2`, `${origin}/article`]);
    expect(result.details?.finalUrl).toBe(`${origin}/article`);
  });

  test("a redirect loop is refused", async () => {
    await expect(fetchWith(localAllowed, `${origin}/loop-a`)).rejects.toThrow(
      `Redirect loop: ${origin}/loop-a -> ${origin}/loop-b -> ${origin}/loop-a`,
    );
  });

  test("more than the maximum number of redirects is refused", async () => {
    // Six distinct hops: loop-free, one more than allowed.
    const chain = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(request) {
        const step = Number(new URL(request.url).pathname.slice(1));
        return new Response(null, { status: 302, headers: { Location: `/${step + 1}` } });
      },
    });
    try {
      await expect(fetchWith(localAllowed, `http://127.0.0.1:${chain.port}/0`)).rejects.toThrow(
        "Too many redirects (more than 5)",
      );
    } finally {
      chain.stop(true);
    }
  });

  test("a redirect to a non-web scheme is refused", async () => {
    await expect(fetchWith(localAllowed, `${origin}/to-file`)).rejects.toThrow(
      "Only http and https URLs can be fetched, not file.",
    );
  });
});

describe("web_fetch address guard", () => {
  const refusals: [string, string][] = [
    ["http://127.0.0.1:9/", "127.0.0.1 is a local or private network address (loopback)"],
    ["http://localhost:9/", "localhost is a local or private network address"],
    ["http://api.localhost/", "api.localhost is a local or private network address"],
    ["http://10.20.30.40/", "10.20.30.40 is a local or private network address (private (10.0.0.0/8))"],
    ["http://[::1]:9/", "[::1] is a local or private network address (loopback)"],
    ["http://[::ffff:192.168.0.1]/", "IPv4 inside IPv6"],
    ["http://169.254.169.254/latest/meta-data", "link-local"],
    ["http://2130706433/", "127.0.0.1 is a local or private network address"],
    ["http://0x7f.1/", "127.0.0.1 is a local or private network address"],
  ];
  for (const [url, message] of refusals) {
    test(`refuses ${url} by default`, async () => {
      await expect(fetchWith(undefined, url)).rejects.toThrow(message);
    });
  }

  test("a name that resolves to a private address is refused, as is one with a private address among public ones", async () => {
    await expect(fetchWith(publicOnly, "http://intranet.test/")).rejects.toThrow(
      "intranet.test resolves to 10.1.2.3, a local or private network address",
    );
    await expect(fetchWith(publicOnly, "http://mixed.test/")).rejects.toThrow("resolves to 192.168.1.20");
  });

  test("a redirect from an allowed host to a loopback or private address is refused", async () => {
    const loopback = fetchWith(publicOnly, `${publicOrigin}/to-loopback`);
    await expect(loopback).rejects.toThrow("127.0.0.1 is a local or private network address (loopback)");
    await expect(fetchWith(publicOnly, `${publicOrigin}/to-intranet`)).rejects.toThrow(
      "intranet.test resolves to 10.1.2.3",
    );
  });

  test("connects to the checked address and sends the original Host (no second lookup)", async () => {
    const calls: string[] = [];
    requestsSeen = [];
    const result = await fetchWith(
      { resolve: publicResolver(calls), allowedHosts: ["public.test"] },
      `${publicOrigin}/echo-host`,
    );
    expect(result.text).toEndWith(`host=public.test:${server.port}`);
    expect(calls).toEqual(["public.test"]);
    expect(requestsSeen).toEqual([{ path: "/echo-host", host: `public.test:${server.port}` }]);
  });

  test("allowPrivate lets local URLs through, by address and by name", async () => {
    const byAddress = await fetchWith(localAllowed, `${origin}/text`);
    expect(byAddress.details?.status).toBe(200);
    const byName = await fetchWith(localAllowed, `http://localhost:${server.port}/text`);
    expect(byName.text).toContain("plain text");
  });

  test("bad URLs are refused clearly", async () => {
    await expect(fetchWith(undefined, "not a url")).rejects.toThrow("Not a valid URL: not a url");
    await expect(fetchWith(undefined, "ftp://example.com/file")).rejects.toThrow("not ftp");
  });

  test("an unresolvable name says so", async () => {
    await expect(fetchWith(publicOnly, "http://nowhere.test/")).rejects.toThrow(
      "Could not resolve nowhere.test: unknown host nowhere.test",
    );
  });

  test("describe shows the URL", async () => {
    const context = createTestToolContext();
    try {
      const description = await webFetchTool.describe?.({ url: "https://example.com/a" }, context.ctx);
      expect(description).toEqual({
        title: "https://example.com/a",
        detail: "https://example.com/a",
        detailKind: "url",
      });
    } finally {
      context.cleanup();
    }
  });
});

describe("classifyAddress", () => {
  const blocked: [string, string][] = [
    ["0.0.0.0", "unspecified"],
    ["10.0.0.1", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["127.8.9.10", "loopback"],
    ["169.254.1.1", "link-local"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.44.1", "private"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback, IPv4 inside IPv6"],
    ["::ffff:7f00:1", "loopback, IPv4 inside IPv6"],
    ["::10.0.0.1", "private (10.0.0.0/8), IPv4 inside IPv6"],
    ["64:ff9b::a9fe:a9fe", "link-local, through NAT64"],
    ["2002:c0a8:0101::1", "private (192.168.0.0/16), through 6to4"],
  ];
  for (const [address, reason] of blocked) {
    test(`${address} is refused (${reason})`, () => {
      expect(classifyAddress(address)).toContain(reason);
    });
  }

  const allowed = [
    "8.8.8.8",
    "93.184.216.34",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.0",
  ];
  const allowedIpv6 = ["2606:4700::1111", "::ffff:8.8.8.8", "2002:0808:0808::1", "fec0::1"];
  for (const address of allowed) {
    test(`${address} is public`, () => expect(classifyAddress(address)).toBeNull());
  }
  test("public IPv6 addresses pass; site-local fec0::/10 does not", () => {
    expect(classifyAddress(allowedIpv6[0]!)).toBeNull();
    expect(classifyAddress(allowedIpv6[1]!)).toBeNull();
    expect(classifyAddress(allowedIpv6[2]!)).toBeNull();
    expect(classifyAddress(allowedIpv6[3]!)).toContain("site-local");
  });

  test("IPv6 groups expand :: and embedded IPv4", () => {
    expect(ipv6Groups("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(ipv6Groups("2001:db8::1")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  });

  test("text that is not an address throws", () => {
    expect(() => classifyAddress("example.com")).toThrow("Not an IP address: example.com");
  });
});
