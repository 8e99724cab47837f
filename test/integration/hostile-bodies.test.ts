/**
 * Part 5 of the security issue, as attacks on the compiled executable: bounded work on hostile input.
 *
 * - A zip bomb (one entry declaring 1 KiB that inflates to 1 GiB) is refused with 413 while
 *   /api/health, polled throughout, answers every time within 200 ms.
 * - 100 MB bodies (declared, and chunked without a length) are refused with 413 before parsing; the
 *   server's resident memory grows by far less than the body; it keeps answering.
 * - Malformed Host headers, malformed percent-encoding, multipart garbage, a 100,000-deep JSON body and
 *   saving onto a dangling symlink each get a 4xx (or, for the link, a new name) with a clear message.
 * - Every route of the OpenAPI document, fed invalid JSON, wrong content types, deep nesting and garbage
 *   multipart (and GET routes hostile query strings), never answers 5xx.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDeflateRaw } from "node:zlib";
import { residentKiB } from "./executable-app.ts";
import { type HostileServer, startHostileServer } from "./hostile-server.ts";

interface ErrorBody {
  error: { code: string; message: string };
}

let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** A raw deflate stream of `bytes` zero bytes, made in 1 MiB steps (never 1 GiB in memory). */
async function deflatedZeros(bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => deflate.on("end", resolve));
  const step = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < bytes; written += step.length) {
    if (!deflate.write(step)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await ended;
  return new Uint8Array(Buffer.concat(parts));
}

/** A zip with one deflated entry whose headers claim `declaredSize` bytes (crc left 0: never reached). */
function zipLying(name: string, deflated: Uint8Array, declaredSize: number): Uint8Array<ArrayBuffer> {
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + deflated.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, fileName, deflated, central, fileName, end]));
}

/**
 * Poll /api/health every 20 ms while `work` runs; returns the work's result and the slowest answer.
 * Polls overlap nothing: each waits for the previous one.
 */
async function whileHealthPolled<T>(
  work: () => Promise<T>,
): Promise<{ result: T; slowest: number; polls: number }> {
  let done = false;
  let slowest = 0;
  let polls = 0;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const health = await server.call("/api/health", { timeoutMs: 2000 });
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      polls++;
      await Bun.sleep(20);
    }
  })();
  try {
    const result = await work();
    return { result, slowest, polls };
  } finally {
    done = true;
    await poller;
  }
}

function installedSkills(): string[] {
  return readdirSync(join(server.dataDir, "skills")).filter((name) => !name.startsWith("."));
}

describe("zip bombs", () => {
  let bomb: Uint8Array<ArrayBuffer>;

  beforeAll(async () => {
    // 1 GiB of zeros deflates to ~1 MB; its headers say 1 KiB.
    bomb = zipLying("SKILL.md", await deflatedZeros(1024 * 1024 * 1024), 1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);

  test("an upload that inflates to 1 GiB is refused with 413; /api/health answers within 200 ms throughout", async () => {
    const skillsBefore = installedSkills();
    const { result, slowest, polls } = await whileHealthPolled(async () => {
      const started = performance.now();
      const response = await server.call("/api/skills/import/zip", {
        method: "POST",
        headers: { "x-file-name": "bomb.zip" },
        body: bomb,
        timeoutMs: 30_000,
      });
      return {
        status: response.status,
        body: (await response.json()) as ErrorBody,
        ms: performance.now() - started,
      };
    });
    expect(result.status).toBe(413);
    expect(result.body.error.code).toBe("too_large");
    expect(result.body.error.message).toContain("bomb.zip is too large");
    expect(result.body.error.message).toContain("1 KiB it declares");
    expect(polls).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(200);
    expect(result.ms).toBeLessThan(5000);
    expect(installedSkills()).toEqual(skillsBefore);
  });

  test("the same bomb with honest sizes is stopped at the import limit, also as a file on disk", async () => {
    const honest = zipLying("SKILL.md", await deflatedZeros(256 * 1024 * 1024), 256 * 1024 * 1024);
    const folder = mkdtempSync(join(tmpdir(), "sage-bomb-"));
    const path = join(folder, "honest.zip");
    await Bun.write(path, honest);
    try {
      const { result, slowest } = await whileHealthPolled(async () => {
        const upload = await server.call("/api/skills/import/zip", {
          method: "POST",
          headers: { "x-file-name": "honest.zip" },
          body: honest,
          timeoutMs: 30_000,
        });
        const fromPath = await server.call("/api/skills/import/path", { json: { path }, timeoutMs: 30_000 });
        return [
          { status: upload.status, body: (await upload.json()) as ErrorBody },
          { status: fromPath.status, body: (await fromPath.json()) as ErrorBody },
        ];
      });
      for (const answer of result) {
        expect(answer.status).toBe(413);
        expect(answer.body.error.message).toContain("inflates to more than 50 MiB");
      }
      expect(slowest).toBeLessThan(200);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("100 MB bodies", () => {
  const MB100 = 100 * 1000 * 1000;
  const chunked = (total: number) => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk);
        sent += chunk.length;
        if (sent >= total) controller.close();
      },
    });
  };

  test("are refused with 413 before parsing, declared or chunked; memory stays bounded; the server answers", async () => {
    const rssBefore = (await residentKiB(server.pid)) as number;
    expect(rssBefore).toBeGreaterThan(0);
    for (const route of ["/api/agents", "/api/sessions/import", "/api/settings/import"]) {
      for (const mode of ["declared", "chunked"] as const) {
        const response = await server.call(route, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: mode === "declared" ? new Uint8Array(MB100).fill(0x20) : chunked(MB100),
          timeoutMs: 30_000,
          // @ts-expect-error Bun's fetch streams a request body with duplex "half"
          duplex: "half",
        });
        const body = (await response.json()) as ErrorBody;
        expect(response.status, `${route} ${mode}`).toBe(413);
        expect(body.error.message).toMatch(/larger than the [\d.]+ MiB this route accepts/);
      }
    }
    const rssAfter = (await residentKiB(server.pid)) as number;
    expect((rssAfter - rssBefore) / 1024).toBeLessThan(300);
    expect((await server.call("/api/health")).status).toBe(200);
  }, 120_000);
});

describe("malformed requests get a clear 4xx", () => {
  test("malformed Host headers are 400 (not 500); a foreign but well-formed one stays 421", async () => {
    for (const host of [
      "",
      "[::1",
      "a b",
      `127.0.0.1:${9}:${9}`,
      "127.0.0.1:99999999999999999999",
      "%zz",
      "x@y",
      "[]",
    ]) {
      const answer = await server.raw(
        `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${server.token}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status, JSON.stringify(host)).toBe(400);
      expect((JSON.parse(answer.body) as ErrorBody).error.message).toContain("Host header");
    }
    const foreign = await server.raw(
      `GET /api/health HTTP/1.1\r\nHost: evil.example:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(foreign.status).toBe(421);
  });

  test("malformed percent-encoding in a static path is 400", async () => {
    for (const path of ["/%zz", "/assets/%E0%A4%A", "/%"]) {
      const answer = await server.raw(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status, path).toBe(400);
    }
  });

  test("multipart garbage to the skill zip import and to attachments is 400 with what to send", async () => {
    const session = (await (await server.call("/api/sessions", { json: {} })).json()) as { id: string };
    for (const route of ["/api/skills/import/zip", `/api/sessions/${session.id}/attachments`]) {
      for (const type of [
        "multipart/form-data; boundary=zzz",
        "multipart/form-data",
        "multipart/form-data; boundary=",
      ]) {
        const response = await server.call(route, {
          method: "POST",
          headers: { "content-type": type },
          body: "--zzz\r\ngarbage without headers\r\n--zz",
        });
        const body = (await response.json()) as ErrorBody;
        expect(response.status, `${route} ${type}`).toBe(400);
        expect(body.error.message, route).toMatch(/multipart form/);
      }
    }
  });

  test("a 100,000-deep JSON body to POST /api/agents is 400 and names the nesting", async () => {
    for (const deep of [
      "[".repeat(100_000) + "]".repeat(100_000),
      `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`,
    ]) {
      const response = await server.call("/api/agents", {
        json: undefined,
        method: "POST",
        body: deep,
        headers: { "content-type": "application/json" },
      });
      const body = (await response.json()) as ErrorBody;
      expect(response.status).toBe(400);
      expect(body.error.message).toContain("nests deeper than 256 levels");
    }
    // Deep text inside a string field is refused when it is parsed, too.
    for (const route of ["/api/agents/import", "/api/settings/import"]) {
      const response = await server.call(route, { json: { content: "[".repeat(100_000) } });
      expect(response.status, route).toBe(400);
    }
  });

  test("saving onto a dangling symlink in Downloads writes a new name, never through the link", async () => {
    const target = join(mkdtempSync(join(tmpdir(), "sage-dangling-")), "created-through-link.txt");
    symlinkSync(target, join(server.downloads, "report.txt"));
    const saved = await server.call("/api/settings/save-download", {
      json: { fileName: "report.txt", base64: Buffer.from("hello").toString("base64") },
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { path: string }).path).toBe(join(server.downloads, "report (2).txt"));
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(join(server.downloads, "report.txt")).isSymbolicLink()).toBe(true);
  });
});

describe("every route of the OpenAPI document", () => {
  const deepArray = "[".repeat(100_000) + "]".repeat(100_000);
  const BODIES: [label: string, type: string, body: BodyInit][] = [
    ["invalid JSON", "application/json", '{"a": '],
    ["JSON with a stray byte", "application/json", '{"a": 1}\u0000'],
    ["not UTF-8", "application/json", new Blob([new Uint8Array([0x22, 0xff, 0xfe, 0x22])])],
    ["deep array", "application/json", deepArray],
    ["deep object", "application/json", `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`],
    ["text", "text/plain", "hello"],
    ["XML", "application/xml", "<a/>"],
    ["a form", "application/x-www-form-urlencoded", "a=1&b[c]=2&__proto__[x]=1"],
    ["garbage multipart", "multipart/form-data; boundary=XX", "--XX\r\ngarbage\r\n--XX"],
    ["multipart without boundary", "multipart/form-data", "garbage"],
    ["binary", "application/octet-stream", new Blob([new Uint8Array([0, 1, 2, 255])])],
  ];
  const QUERIES = [
    "path=..%2f..%2fetc&depth=-1&limit=abc",
    "q=%00&limit=99999999999999999999",
    "path=%zz&cursor=%ff",
    "format=%00",
  ];

  test("answers invalid bodies and queries with 4xx, never 5xx", async () => {
    const document = (await (await server.call("/api/openapi/json")).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content?: Record<string, { schema?: { properties?: Record<string, { type?: string }> } }>;
            };
          }
        >
      >;
    };
    const failures: string[] = [];
    let checked = 0;
    for (const [template, methods] of Object.entries(document.paths)) {
      const path = template.replace(/\{[^}]+\}/g, "x");
      for (const [method, operation] of Object.entries(methods)) {
        const verb = method.toUpperCase();
        // The change stream is long-lived by design; with a made-up agent it answers 404 at once.
        const attempts: { label: string; init: RequestInit; url: string }[] = [];
        if (verb === "GET") {
          for (const query of QUERIES) attempts.push({ label: query, url: `${path}?${query}`, init: {} });
        } else {
          for (const [label, type, body] of BODIES) {
            attempts.push({
              label,
              url: path,
              init: { method: verb, headers: { "content-type": type }, body },
            });
          }
          // Deep nesting inside each string field the route takes (imports parse text fields).
          const fields = operation.requestBody?.content?.["application/json"]?.schema?.properties ?? {};
          const strings = Object.entries(fields).filter(([, schema]) => schema.type === "string");
          if (strings.length > 0) {
            const body = Object.fromEntries(strings.map(([name]) => [name, deepArray]));
            attempts.push({
              label: "deep text fields",
              url: path,
              init: {
                method: verb,
                headers: { "content-type": "application/json" },
                body: JSON.stringify(body),
              },
            });
          }
        }
        for (const attempt of attempts) {
          checked++;
          let status: number;
          try {
            const response = await server.call(attempt.url, { ...attempt.init, timeoutMs: 10_000 });
            status = response.status;
            await response.arrayBuffer();
          } catch (error) {
            failures.push(`${verb} ${attempt.url} (${attempt.label}): ${error}`);
            continue;
          }
          const bad =
            status >= 500 || (verb !== "GET" && attempt.label !== "deep text fields" && status < 400);
          if (bad) failures.push(`${verb} ${attempt.url} (${attempt.label}): ${status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(500);
    expect((await server.call("/api/health")).status).toBe(200);
    expect(server.process.logText()).not.toContain("request failed");
  }, 120_000);
});
