/**
 * The browser's address proxy on its own, spoken to over raw TCP as Chromium (or an attacker) would:
 * requests for local addresses are refused with 403 (a navigation gets the refusal page), allowed ones
 * reach the server at the checked address, and a web page's ordinary request to the proxy's port
 * (origin form, as any page on another port can send) is refused, so the proxy is no way around the
 * policy for anyone.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { AddressGate } from "../../src/browser/address-gate.ts";
import { AddressProxy } from "../../src/browser/address-proxy.ts";

const hits: string[] = [];
const site = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    hits.push(`${new URL(request.url).pathname} host=${request.headers.get("host")}`);
    return new Response("hello from the site");
  },
});

let allowLocal = false;
const gate = new AddressGate(() => ({ allowPrivate: allowLocal }));
let proxy: AddressProxy;
let proxyPort = 0;
beforeAll(async () => {
  proxy = await AddressProxy.start({ policy: gate.proxyPolicy() });
  proxyPort = Number(new URL(proxy.url).port);
});
afterAll(async () => {
  await proxy.close();
  site.stop(true);
});

/** Send `text` to the proxy and read until it closes the connection. */
function exchange(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: proxyPort }, () => socket.write(text));
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      // A tunnel stays open: stop once the answer to CONNECT is in.
      if (text.startsWith("CONNECT") && received.includes("\r\n\r\n")) socket.end();
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
    setTimeout(() => socket.destroy(), 5000);
  });
}

const target = () => `127.0.0.1:${site.port}`;

describe("refused by default", () => {
  test("an absolute-form navigation to 127.0.0.1 gets the refusal page; the site sees nothing", async () => {
    const before = hits.length;
    const mark = gate.mark();
    const answer = await exchange(
      `GET http://${target()}/admin HTTP/1.1\r\nHost: ${target()}\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\n\r\n`,
    );
    expect(answer).toStartWith("HTTP/1.1 403 Forbidden");
    expect(answer).toContain("Refused by Sage");
    expect(answer).toContain("is on this computer (loopback)");
    expect(hits.slice(before)).toEqual([]);
    expect(gate.since(mark)).toEqual([
      expect.objectContaining({
        url: `http://${target()}/admin`,
        locality: "this-computer",
        navigation: true,
      }),
    ]);
  });

  test("a CONNECT tunnel to a local address is refused", async () => {
    for (const host of [target(), "localhost:22", "[::1]:631", "192.168.1.1:443", "169.254.169.254:80"]) {
      expect(await exchange(`CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`), host).toStartWith(
        "HTTP/1.1 403 Forbidden",
      );
    }
  });

  test("a web page's ordinary request to the proxy's port, and garbage, are refused", async () => {
    const before = hits.length;
    expect(await exchange(`GET /admin HTTP/1.1\r\nHost: 127.0.0.1:${proxyPort}\r\n\r\n`)).toStartWith(
      "HTTP/1.1 400",
    );
    expect(await exchange("\x16\x03\x01 not http\r\n\r\n")).toStartWith("HTTP/1.1 400");
    expect(await exchange(`GET file:///etc/passwd HTTP/1.1\r\n\r\n`)).toStartWith("HTTP/1.1 400");
    expect(hits.slice(before)).toEqual([]);
  });
});

describe("allowed by the setting", () => {
  test("the request reaches the site in origin form, with its Host, and the connection closes", async () => {
    allowLocal = true;
    try {
      const before = hits.length;
      const answer = await exchange(
        `GET http://${target()}/page?x=1 HTTP/1.1\r\nHost: ${target()}\r\nProxy-Connection: keep-alive\r\n\r\n`,
      );
      expect(answer).toStartWith("HTTP/1.1 200");
      expect(answer).toContain("hello from the site");
      expect(hits.slice(before)).toEqual([`/page host=${target()}`]);
      const tunnel = await exchange(`CONNECT ${target()} HTTP/1.1\r\nHost: ${target()}\r\n\r\n`);
      expect(tunnel).toStartWith("HTTP/1.1 200 Connection Established");
    } finally {
      allowLocal = false;
    }
  });
});
