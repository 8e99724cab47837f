/**
 * The browser's own forward proxy: every connection the agent's Chromium makes (pages, redirect hops,
 * frames, subresources, workers, service workers, WebSockets) goes through it (`--proxy-server`, with
 * `<-loopback>` so not even 127.0.0.1 bypasses it), and it connects only where the local-address policy
 * allows. This is the backstop behind the route gate (address-gate.ts), which Playwright does not call
 * for redirect hops.
 *
 * - `CONNECT host:port` (HTTPS, WSS, and WS through a proxy): the host is resolved once, every address
 *   checked (`resolveAllowedAddresses`), and the tunnel opened to the checked IP — so a DNS-rebinding
 *   name cannot answer differently to a second lookup. A refusal answers `403`.
 * - An absolute-form request (`GET http://host/path HTTP/1.1`): checked the same way, sent to the checked
 *   IP in origin form with `Connection: close`, and the connection is closed after the response. A
 *   refused navigation gets the static refusal page as its response.
 * - Anything else (origin-form requests a web page could send to this port, garbage) gets `400` and is
 *   closed: the proxy is useless to anything but a proxy client.
 * - `upstream` (an `http://` proxy from the environment): connections go through it, asked to CONNECT to
 *   the checked IP; hosts matched by `noProxy`, and local addresses the setting allows, connect directly.
 *
 * Listens on 127.0.0.1 on a random port; `close()` ends it and every open connection.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { BlockedAddressError, classifyAddress, type Locality, localityOf } from "../net/address-guard.ts";

/** What the proxy needs from the gate: a decision with the addresses to use, and the refusal log. */
export interface ProxyPolicy {
  /** Addresses to connect to for `host`, or a refusal (`BlockedAddressError`); other errors fail the request. */
  addresses(host: string): Promise<string[]>;
  refused(entry: {
    url: string;
    host: string;
    locality: Locality;
    reason: string;
    /** A tab's own navigation (known for plain HTTP from `Sec-Fetch-Dest`; false for tunnels). */
    navigation: boolean;
  }): void;
  /** The body of the page a refused plain-HTTP request gets. */
  refusalPage(url: string, verdict: { locality: Locality; reason: string }): string;
}

export interface AddressProxyOptions {
  policy: ProxyPolicy;
  /** `http://host:port` of a proxy to go through, from HTTPS_PROXY / HTTP_PROXY. */
  upstream?: string;
  /** NO_PROXY: comma-separated host names or domain suffixes (".example.com"), or "*". */
  noProxy?: string;
}

/** Header blocks larger than this are refused. */
const maximumHeaderBytes = 64 * 1024;
const connectTimeoutMs = 15_000;

export class AddressProxy {
  readonly #options: AddressProxyOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;

  private constructor(options: AddressProxyOptions) {
    this.#options = options;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  static async start(options: AddressProxyOptions): Promise<AddressProxy> {
    const proxy = new AddressProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once("error", reject);
      proxy.#server.listen(0, "127.0.0.1", () => resolve());
    });
    proxy.#server.unref();
    const address = proxy.#server.address();
    proxy.#port = typeof address === "object" && address ? address.port : 0;
    return proxy;
  }

  /** `http://127.0.0.1:PORT`, for `--proxy-server`. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  #accept(client: Socket): void {
    this.#track(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buffered.length > maximumHeaderBytes) reply(client, 431, "Request Header Fields Too Large");
        return;
      }
      client.off("data", onData);
      client.pause();
      const head = buffered.subarray(0, end).toString("latin1");
      const rest = buffered.subarray(end + 4);
      void this.#handle(client, head, rest).catch(() => client.destroy());
    };
    client.on("data", onData);
  }

  async #handle(client: Socket, head: string, rest: Buffer): Promise<void> {
    const [requestLine = "", ...headerLines] = head.split("\r\n");
    const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
    if (!match) return reply(client, 400, "Bad Request");
    const [, method, target] = match as unknown as [string, string, string];
    if (method === "CONNECT") {
      const hostPort = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(target);
      if (!hostPort) return reply(client, 400, "Bad Request");
      const host = hostPort[1] as string;
      const port = Number(hostPort[2]);
      const url = `${port === 443 ? "https" : "http"}://${target}/`;
      const upstream = await this.#open(client, host, port, url, { frame: false, tab: false });
      if (!upstream) return;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (rest.length > 0) upstream.write(rest);
      return splice(client, upstream);
    }
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return reply(client, 400, "Bad Request");
    }
    if (url.protocol !== "http:" || !/^https?:\/\//i.test(target)) return reply(client, 400, "Bad Request");
    const port = Number(url.port || 80);
    const header = (pattern: RegExp) => headerLines.some((line) => pattern.test(line));
    const navigation = {
      frame: header(/^sec-fetch-mode:\s*navigate\s*$/i),
      tab: header(/^sec-fetch-dest:\s*document\s*$/i),
    };
    const upstream = await this.#open(client, url.hostname, port, url.href, navigation);
    if (!upstream) return;
    const headers = headerLines.filter(
      (line) => !/^(proxy-connection|proxy-authorization|connection|keep-alive):/i.test(line),
    );
    upstream.write(
      `${method} ${url.pathname}${url.search} HTTP/1.1\r\n${[...headers, "Connection: close"].join("\r\n")}\r\n\r\n`,
    );
    if (rest.length > 0) upstream.write(rest);
    return splice(client, upstream);
  }

  /**
   * A connection to `host:port` through the policy (and the upstream proxy), or null after answering the
   * client (refused, unreachable). `navigation.frame`: a plain-HTTP navigation (of a tab, `.tab`, or of a
   * frame in a page), answered with the refusal page.
   */
  async #open(
    client: Socket,
    host: string,
    port: number,
    url: string,
    navigation: { frame: boolean; tab: boolean },
  ): Promise<Socket | null> {
    const bare = host.replace(/^\[|\]$/g, "");
    let addresses: string[];
    try {
      addresses = await this.#options.policy.addresses(bare);
    } catch (error) {
      if (error instanceof BlockedAddressError) {
        const verdict = { locality: localityOf(error.reason), reason: error.reason };
        this.#options.policy.refused({ url, host: bare, ...verdict, navigation: navigation.tab });
        if (navigation.frame) {
          const body = this.#options.policy.refusalPage(url, verdict);
          reply(client, 403, "Forbidden", body, "text/html; charset=utf-8");
        } else reply(client, 403, "Forbidden");
        return null;
      }
      reply(client, 502, "Bad Gateway");
      return null;
    }
    for (const address of addresses.slice(0, 4)) {
      try {
        const socket = await this.#dial(bare, address, port);
        this.#track(socket);
        return socket;
      } catch {
        // Try the next address.
      }
    }
    reply(client, 502, "Bad Gateway");
    return null;
  }

  /**
   * A TCP connection to `address:port`, directly or through a CONNECT tunnel of the upstream proxy. A
   * local address (allowed by the setting) is always reached directly: an upstream proxy cannot.
   */
  async #dial(host: string, address: string, port: number): Promise<Socket> {
    const upstream = isLocal(address) ? undefined : this.#upstreamFor(host);
    if (!upstream) return open(address, port);
    const socket = await open(upstream.hostname, Number(upstream.port || 80));
    const target = address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    const answer = await readHead(socket);
    if (!/^HTTP\/1\.[01] 200/.test(answer)) {
      socket.destroy();
      throw new Error(`the upstream proxy answered: ${answer.split("\r\n")[0]}`);
    }
    return socket;
  }

  #upstreamFor(host: string): URL | undefined {
    const { upstream, noProxy } = this.#options;
    if (!upstream) return undefined;
    const skip = (noProxy ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase().replace(/:\d+$/, ""))
      .filter(Boolean)
      .some(
        (entry) =>
          entry === "*" ||
          host === entry.replace(/^\./, "") ||
          host.endsWith(entry.startsWith(".") ? entry : `.${entry}`),
      );
    if (skip) return undefined;
    try {
      const url = new URL(upstream);
      return url.protocol === "http:" ? url : undefined;
    } catch {
      return undefined;
    }
  }
}

function isLocal(address: string): boolean {
  try {
    return classifyAddress(address) !== null;
  } catch {
    return false;
  }
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("connect timeout"));
    }, connectTimeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Read an HTTP response head (up to the blank line) from `socket`; the rest stays unread. */
function readHead(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0 && buffered.length < maximumHeaderBytes) return;
      socket.off("data", onData);
      socket.off("error", reject);
      const rest = buffered.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(buffered.subarray(0, Math.max(end, 0)).toString("latin1"));
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

/** Pipe both ways; either side closing closes the other. */
function splice(client: Socket, upstream: Socket): void {
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("close", end);
  upstream.on("close", end);
}

function reply(client: Socket, status: number, text: string, body = text, type = "text/plain"): void {
  const bytes = Buffer.from(body);
  client.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}
