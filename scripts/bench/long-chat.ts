/**
 * Long-session benchmark (issue 6): a generated session of 10,000 messages (2,000 tool calls, code,
 * tables), opened in the compiled app — in Chromium (serve mode, Playwright) and in the real webview
 * (window mode under Xvfb). The page measures itself (ui/src/bench/long-chat.ts, enabled by ?bench=long-chat):
 * time to its last screen, rAF frame times over a scripted scroll to the very top (every older page
 * loads on the way) and back, and the JS heap (Chromium only).
 *
 *   bun scripts/bench/long-chat.ts [--messages N] [--opens N] [--executable PATH] [--skip-window] [--seed-only DIR]
 * Targets: last screen < 300 ms; 95% of frames < 16.7 ms.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Page } from "playwright-core";
import { AgentRepository } from "../../src/agent-configs/repository.ts";
import { newId } from "../../src/core/ids.ts";
import { resolvePaths } from "../../src/core/paths.ts";
import { ensureLocalUser } from "../../src/core/user.ts";
import { SessionRepository } from "../../src/sessions/repository.ts";
import type { MessageInfo, Part } from "../../src/shared/parts.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../test/support/chromium.ts";
import { startXvfb } from "../../test/support/xvfb.ts";
import { quitSage, startServe } from "./sage-process.ts";

const root = resolve(import.meta.dir, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const total = Number(flag("--messages") ?? 10_000);
const executable = resolve(flag("--executable") ?? join(root, "dist", "sage"));
const openCount = Number(flag("--opens") ?? 15);

const CODE = "```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```";
const TABLE =
  "| file | lines | status |\n|---|---:|---|\n| src/a.ts | 120 | ok |\n| src/b.ts | 88 | changed |";

/** Seed a session straight into SQLite: user / assistant pairs; every other assistant step calls a tool (2,000 of 10,000). */
function seed(dataDir: string): string {
  const paths = resolvePaths({}, dataDir);
  const { db } = openDatabase(paths.database);
  const user = ensureLocalUser(db);
  const agent = new AgentRepository(db, user.id).defaultAgent();
  const repo = new SessionRepository(db, user.id);
  const sessionId = newId("ses");
  repo.createSession(sessionId, agent.id, "A very long session");
  let parent: string | null = null;
  let tools = 0;
  const t0 = Date.now() - total * 1000;
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      const role = i % 2 === 0 ? "user" : "assistant";
      const info: MessageInfo = {
        id: newId("msg"),
        sessionId,
        role,
        parentId: parent,
        turnId: `trn_${Math.floor(i / 2)}`,
        kind: "normal",
        status: "completed",
        createdAt: t0 + i * 1000,
      };
      const parts: Part[] = [];
      if (role === "user") {
        parts.push({
          id: newId("prt"),
          type: "text",
          text: `Question ${i / 2}: please look at the files and tell me what changed in module ${i % 37}.`,
        });
      } else {
        info.usage = { inputTokens: 1200 + i, outputTokens: 180 };
        parts.push({
          id: newId("prt"),
          type: "text",
          text: `Here is what I found for step ${i}.\n\n${i % 3 === 0 ? CODE : TABLE}\n\nAll good.`,
        });
        if (tools < total / 5 && i % 5 !== 0) {
          tools++;
          parts.push({
            id: newId("prt"),
            type: "tool",
            callId: `call_${i}`,
            tool: i % 2 ? "shell" : "read_file",
            input: i % 2 ? { command: `ls -la src/module-${i % 37}` } : { path: `src/module-${i % 37}.ts` },
            status: "completed",
            output: {
              text: `total 12\n-rw-r--r-- 1 me me 1200 file-${i}.ts\n`,
              details: i % 2 ? { exitCode: 0 } : {},
            },
            startedAt: info.createdAt,
            endedAt: info.createdAt + 40,
          });
        }
      }
      repo.insertMessage(info);
      parts.forEach((part, index) => {
        repo.savePart(sessionId, info.id, index, part);
      });
      parent = info.id;
    }
  })();
  closeDatabase(db);
  console.log(`seeded ${total} messages (${tools} tool calls)`);
  return sessionId;
}

type Result = Record<string, number | string | undefined>;

async function inChromium(dataDir: string, sessionId: string): Promise<Result> {
  const server = await startServe(executable, dataDir);
  const browser = await chromium
    .launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, "--enable-precise-memory-info"] })
    .catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.base}/?token=${server.token}`); // the page keeps the token (origin storage)
    // Last screen: the median of several opens (the first pays for an empty browser cache, reported too).
    const opens: Result[] = [];
    for (let i = 0; i < openCount; i++)
      opens.push(
        await openAndWaitForReport(page, `${server.base}/s/${sessionId}?bench=long-chat&scroll=0`, 60_000),
      );
    const times = opens.map((r) => Number(r.lastScreenMs));
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const result = await openAndWaitForReport(page, `${server.base}/s/${sessionId}?bench=long-chat`, 300_000);
    console.log(
      `chromium last screen over ${times.length} opens: ${times.join(", ")} ms (first, cold cache: ${times[0]} ms)`,
    );
    const marks = opens.map((r) => (r.marks ?? {}) as unknown as Record<string, number>);
    const names = [...new Set(marks.flatMap((m) => Object.keys(m)))].sort(
      (a, b) => median(marks.map((m) => m[a] ?? 0)) - median(marks.map((m) => m[b] ?? 0)),
    );
    console.log(
      `where the time went (median ms from navigation start): ${names.map((n) => `${n} ${median(marks.map((m) => m[n] ?? 0))}`).join(" · ")}`,
    );
    const medianOpen = median(times);
    return { ...result, lastScreenMs: medianOpen };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * Navigate and wait for the page's own report (its POST to /api/app/debug/report). Waiting on the
 * request, rather than polling the page, keeps Playwright's injected script out of the measured time.
 */
async function openAndWaitForReport(page: Page, url: string, timeout: number): Promise<Result> {
  const reported = page.waitForRequest((r) => r.url().endsWith("/api/app/debug/report"), { timeout });
  await page.goto(url);
  const request = await reported;
  return (JSON.parse(request.postData() ?? "{}") as { data: Result }).data;
}

async function inWebview(dataDir: string, sessionId: string): Promise<Result> {
  const display = await startXvfb();
  try {
    const child = Bun.spawn([executable, "--data-dir", dataDir], {
      env: {
        ...process.env,
        ...display.env,
        WAYLAND_DISPLAY: "",
        SAGE_TEST_HOOKS: "1",
        SAGE_START_PATH: `/s/${sessionId}?bench=long-chat`,
      },
      stdout: "ignore",
      stderr: "ignore",
    });
    const log = join(dataDir, "logs", "sage.log");
    const deadline = Date.now() + 420_000;
    let line: string | undefined;
    while (!line && Date.now() < deadline) {
      await Bun.sleep(500);
      line = existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .find((l) => l.includes(" bench long-chat "))
        : undefined;
    }
    await quitSage(dataDir).catch(() => {});
    await child.exited;
    if (!line) throw new Error("the webview never reported");
    return JSON.parse(line.slice(line.indexOf(" bench long-chat ") + " bench long-chat ".length)) as Result;
  } finally {
    await display.stop();
  }
}

if (!existsSync(executable)) {
  console.error(`${executable} is missing: build it first (bun run build).`);
  process.exit(1);
}
// --seed-only DIR: just write the session into DIR (to open it by hand or profile it) and print its id.
const seedOnly = flag("--seed-only");
if (seedOnly) {
  mkdirSync(resolve(seedOnly), { recursive: true });
  console.log(seed(resolve(seedOnly)));
  process.exit(0);
}
const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-long-"));
const sessionId = seed(dataDir);
const rows: [string, Result][] = [["chromium (serve)", await inChromium(dataDir, sessionId)]];
if (!args.includes("--skip-window"))
  rows.push(["webview (window, Xvfb)", await inWebview(dataDir, sessionId)]);
rmSync(dataDir, { recursive: true, force: true });

console.log(`\nlong chat: ${total} messages — targets: last screen < 300 ms, 95% of frames < 16.7 ms`);
console.log(
  "engine                   last screen  loaded  top  frames  p50     p95     max      <=16.7ms  on time  scroll    heap",
);
for (const [name, r] of rows) {
  if ("error" in r && r.error) {
    console.log(`${name.padEnd(24)} error: ${r.error}`);
    continue;
  }
  console.log(
    `${name.padEnd(24)} ${`${r.lastScreenMs} ms`.padEnd(12)} ${String(r.messagesLoaded).padEnd(7)} ${(r.reachedTop ? "yes" : "no").padEnd(4)} ${String(r.frames).padEnd(7)} ${`${r.p50FrameMs}`.padEnd(7)} ${`${r.p95FrameMs}`.padEnd(7)} ${`${r.maxFrameMs}`.padEnd(8)} ${`${Math.round(Number(r.under16msShare) * 100)}%`.padEnd(9)} ${`${Math.round(Number(r.onTimeShare) * 100)}%`.padEnd(8)} ${`${r.scrollMs} ms`.padEnd(8)} ${r.heapMb !== undefined ? `${r.heapMb} MB` : "n/a"}`,
  );
}
