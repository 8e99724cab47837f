/**
 * Context benchmark (issue 14): one scripted, tool-heavy turn of 100 steps (reading, re-reading and
 * grepping a small project, a few sentences of reasoning per step) against the fake model, in-process
 * (real backend, real SQLite, real HTTP). Printed per run: the tokens sent in total (summary requests
 * included) and the largest request, as the fake counts them (request body characters / 4), with the
 * prunes and summaries Sage made, and the time taken.
 *
 * Runs: context management on, with a 20,000-token and a 128,000-token window; and off: the same turn
 * with a window so large (10,000,000) that Sage never prunes or summarises — what every request would
 * cost without it (a real model of 20k or 128k would refuse most of them).
 *
 *   bun scripts/bench/context.ts [--steps N]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CompactionPart } from "../../src/shared/parts.ts";
import { type FakeReply, type FakeRequest, startFakeModel } from "../../test/fixtures/fake-model/index.ts";

// Like the test preload: a private HOME and XDG folders, and no session bus, so the backend never
// touches the user's data or keychain (the bench key goes to an encrypted file in the temp folder).
const sandbox = mkdtempSync(join(tmpdir(), "sage-bench-context-home-"));
process.env.HOME = sandbox;
for (const dir of ["DATA", "CONFIG", "STATE", "CACHE"]) process.env[`XDG_${dir}_HOME`] = join(sandbox, dir);
delete process.env.DBUS_SESSION_BUS_ADDRESS;
const { startBackend } = await import("../../test/support/backend.ts");
const { configureAgent, ended, openSession, storedMessages, submit, workspaceRoot } = await import(
  "../../test/support/session-steps.ts"
);

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf("--steps") + 1] || 100);

/** A small project: 12 files of 40-240 lines. */
function writeProject(root: string): string[] {
  mkdirSync(join(root, "src"), { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < 12; i++) {
    const lines = 40 + ((i * 37) % 200);
    const body = Array.from(
      { length: lines },
      (_, n) =>
        `export function step${i}_${n}(input: number): number { return input * ${n} + ${i}; } // TODO check`,
    ).join("\n");
    const path = `src/module${i}.ts`;
    writeFileSync(join(root, path), body);
    files.push(path);
  }
  return files;
}

/** Step n of the turn: mostly reads (a third of them re-reads), some greps and listings. */
function stepReply(n: number, files: string[]): FakeReply {
  const thought = `Step ${n}: ${"I look at the next part of the code and note what it does. ".repeat(3)}`;
  if (n >= steps) return { text: `Done after ${steps} steps: every module is checked.` };
  const kind = n % 10;
  const call =
    kind === 3
      ? { name: "grep", arguments: { pattern: `step${n % 12}_1`, path: "src" } }
      : kind === 7
        ? { name: "list_dir", arguments: { path: "src" } }
        : { name: "read_file", arguments: { path: files[(n * 5) % files.length] as string } };
  return { text: thought, toolCalls: [call] };
}

interface Run {
  label: string;
  requests: number;
  total: number;
  largest: number;
  prunes: number;
  summaries: number;
  seconds: number;
}

async function run(label: string, contextWindow: number): Promise<Run> {
  let agentRequests = 0;
  let files: string[] = [];
  const fake = await startFakeModel({
    apiKey: "bench-key",
    contextWindow,
    fallback: (request: FakeRequest) =>
      request.body?.tools?.length
        ? stepReply(++agentRequests, files)
        : {
            text: `## Task\nCheck every module.\n## Progress\n${"Modules read so far and findings. ".repeat(40)}`,
          },
  });
  const dataDir = mkdtempSync(join(tmpdir(), "sage-bench-context-"));
  const app = await startBackend({ dataDir, fake, contextWindow, apiKey: "bench-key" });
  try {
    configureAgent(app, { stepLimit: 500 });
    files = writeProject(workspaceRoot(app));
    const session = await openSession(app);
    const started = performance.now();
    const turn = await submit(session, "Review every module in src/ and check each TODO.");
    const end = await ended(session, turn.turnId, 600_000);
    const seconds = (performance.now() - started) / 1000;
    if (end.status !== "completed") throw new Error(`${label}: the turn ended ${end.status} (${end.reason})`);
    const requests = fake.requests.filter((r) => r.path === "/v1/chat/completions");
    const markers = (await storedMessages(app, session.sessionId)).flatMap((m) =>
      m.parts.filter((p): p is CompactionPart => p.type === "compaction"),
    );
    session.socket.close();
    return {
      label,
      requests: requests.length,
      total: requests.reduce((sum, r) => sum + r.promptTokens, 0),
      largest: Math.max(...requests.map((r) => r.promptTokens)),
      prunes: markers.filter((m) => m.mode === "prune").length,
      summaries: markers.filter((m) => m.mode !== "prune").length,
      seconds,
    };
  } finally {
    await app.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const runs = [
  await run("on, 20,000-token window", 20_000),
  await run("on, 128,000-token window", 128_000),
  await run("off (window 10,000,000)", 10_000_000),
];
const number = new Intl.NumberFormat("en");
console.log(`\n${steps}-step tool-heavy turn; tokens as the fake counts them (request characters / 4)\n`);
console.log(
  `${"run".padEnd(28)}${"requests".padStart(10)}${"tokens sent".padStart(14)}${"largest".padStart(10)}${"prunes".padStart(8)}${"summaries".padStart(11)}${"time".padStart(8)}`,
);
for (const r of runs)
  console.log(
    `${r.label.padEnd(28)}${String(r.requests).padStart(10)}${number.format(r.total).padStart(14)}${number.format(r.largest).padStart(10)}${String(r.prunes).padStart(8)}${String(r.summaries).padStart(11)}${`${r.seconds.toFixed(1)} s`.padStart(8)}`,
  );
rmSync(sandbox, { recursive: true, force: true });
const off = runs.at(-1) as Run;
for (const r of runs.slice(0, -1))
  console.log(
    `${r.label}: ${((r.total / off.total) * 100).toFixed(0)}% of the tokens sent with it off; largest request ${((r.largest / off.largest) * 100).toFixed(0)}%`,
  );
