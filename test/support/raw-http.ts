/**
 * Test helper: HTTP/1.1 spoken over a plain socket, so a test can send any Host, Origin or Upgrade
 * header (fetch and WebSocket clients rewrite some).
 */
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 request over a fresh TCP connection, headers sent exactly as given (Host included).
 * Resolves with the status line and headers once the server answers; for a 101 the body is empty.
 */
export function rawRequest(
  port: number,
  request: { method?: string; path: string; headers: Record<string, string> },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${request.path} within 5 s; got ${JSON.stringify(received)}`));
    }, 5000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRaw(received));
    };
    socket.on("connect", () => {
      const lines = [`${request.method ?? "GET"} ${request.path} HTTP/1.1`];
      for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
      if (!("connection" in lowerKeys(request.headers))) lines.push("Connection: close");
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const parsed = parseRaw(received);
      if (parsed.status === 101) return finish();
      const length = Number(parsed.headers["content-length"] ?? Number.NaN);
      if (Number.isFinite(length) && Buffer.byteLength(parsed.body) >= length) finish();
    });
    socket.on("end", finish);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The headers of a WebSocket upgrade request, with `extra` added. */
export function upgradeHeaders(host: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Host: host,
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
    "Sec-WebSocket-Version": "13",
    ...extra,
  };
}

function parseRaw(text: string): RawResponse {
  const headEnd = text.indexOf("\r\n\r\n");
  const head = headEnd >= 0 ? text.slice(0, headEnd) : text;
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: headEnd >= 0 ? text.slice(headEnd + 4) : "" };
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}
