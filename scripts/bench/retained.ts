/**
 * Retention benchmark (issue 19): what the backend keeps in memory per turn and per chat, measured
 * in-process (the real backend and WebSocket, the soak's fake model in its own process) after full
 * garbage collections, by object type (bun:jsc `heapStats().objectTypeCounts`).
 *
 *   bun scripts/bench/retained.ts [--turns 400] [--sessions 20] [--fresh] [--shell]
 *
 * After a warm-up of 50 turns, `--turns` turns run round-robin over `--sessions` chats, or with
 * `--fresh` each in a new chat that its socket then leaves. At four checkpoints: the live JS heap,
 * the object count, and the types that grew or shrank since the previous checkpoint. Data types (plain
 * objects, arrays, maps, sets, promises, closures, strings) growing by about the number of turns or
 * chats is retention; code the JIT compiles (code blocks, structures) comes and goes and is shown
 * apart. The client keeps no event and the model runs elsewhere, so only the backend is counted.
 * (RSS over a long run of the executable: scripts/bench/soak.ts.)
 */
import { heapStats } from "bun:jsc";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerEvent } from "../../src/shared/events.ts";
import type { FakeModel } from "../../test/fixtures/fake-model/index.ts";
import { startBackend, type TestBackend } from "../../test/support/backend.ts";
import { configureAgent, newSession, workspaceRoot } from "../../test/support/session-steps.ts";
import { spawnModelScript } from "./model-process.ts";

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const totalTurns = Number(flag("--turns") ?? 400);
const sessionCount = Number(flag("--sessions") ?? 20);
const fresh = args.includes("--fresh");
const shell = args.includes("--shell");
const WARM_UP = 50;
const CODE_TYPES = new Set([
  "FunctionCodeBlock",
  "UnlinkedFunctionCodeBlock",
  "FunctionExecutable",
  "UnlinkedFunctionExecutable",
  "ModuleProgramCodeBlock",
  "Structure",
  "StructureRareData",
  "StructureChain",
  "SymbolTable",
  "PropertyTable",
  "NativeExecutable",
  "JSPropertyNameEnumerator",
]);

/**
 * One socket for every chat that keeps nothing: resolves subscriptions and turn ends. Waiters are set
 * before the frame is sent (a turn's start and end can arrive in one batch of messages).
 */
class QuietClient {
  private readonly waiting = new Map<string, (event: ServerEvent) => void>();
  /** turnId -> clientTurnId of turns started and not yet ended. */
  private readonly turns = new Map<string, string>();

  private constructor(private readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as ServerEvent;
      let key: string | undefined;
      if (event.type === "subscribed") key = `subscribed:${event.sessionId}`;
      else if (event.type === "turn.started") this.turns.set(event.turnId, event.clientTurnId);
      else if (event.type === "turn.ended") {
        key = `ended:${this.turns.get(event.turnId)}`;
        this.turns.delete(event.turnId);
      }
      const resolve = key === undefined ? undefined : this.waiting.get(key);
      if (key === undefined || !resolve) return;
      this.waiting.delete(key);
      resolve(event);
    };
  }

  static async connect(app: TestBackend): Promise<QuietClient> {
    const socket = new WebSocket(`${app.url.replace("http", "ws")}/ws?token=${app.token}`);
    await new Promise<void>((done, fail) => {
      socket.onopen = () => done();
      socket.onerror = () => fail(new Error("WebSocket failed to open"));
    });
    return new QuietClient(socket);
  }

  private next(key: string, send: unknown): Promise<ServerEvent> {
    const arrived = new Promise<ServerEvent>((resolve) => this.waiting.set(key, resolve));
    this.socket.send(JSON.stringify(send));
    return arrived;
  }

  async subscribe(sessionId: string): Promise<void> {
    await this.next(`subscribed:${sessionId}`, { type: "subscribe", sessionId, afterSeq: 0 });
  }

  unsubscribe(sessionId: string): void {
    this.socket.send(JSON.stringify({ type: "unsubscribe", sessionId }));
  }

  async turn(sessionId: string, text: string): Promise<string> {
    const clientTurnId = crypto.randomUUID();
    const ended = await this.next(`ended:${clientTurnId}`, { type: "submit", sessionId, clientTurnId, text });
    return ended.type === "turn.ended" ? ended.status : "unknown";
  }

  close(): void {
    this.socket.close();
  }
}

/** The soak's fake model (scripts/bench/soak-model-process.ts) in its own process. */
async function startModel(): Promise<FakeModel> {
  const { info, stop } = await spawnModelScript("soak-model-process.ts", shell ? ["--shell"] : []);
  // Only `url` and `stop` are used by a backend that does not own its model.
  return { url: info.url, stop } as unknown as FakeModel;
}

interface Checkpoint {
  turn: number;
  heapBytes: number;
  objects: number;
  types: Record<string, number>;
}

async function measure(turn: number): Promise<Checkpoint> {
  await Bun.sleep(100);
  for (let i = 0; i < 3; i++) Bun.gc(true);
  const stats = heapStats();
  return {
    turn,
    heapBytes: stats.heapSize,
    objects: stats.objectCount,
    types: { ...stats.objectTypeCounts },
  };
}

function changes(before: Checkpoint, after: Checkpoint, code: boolean): string {
  const names = new Set([...Object.keys(before.types), ...Object.keys(after.types)]);
  return [...names]
    .filter((name) => CODE_TYPES.has(name) === code)
    .map((name) => [name, (after.types[name] ?? 0) - (before.types[name] ?? 0)] as const)
    .filter(([, delta]) => delta !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 10)
    .map(([name, delta]) => `${name} ${delta > 0 ? "+" : ""}${delta}`)
    .join(", ");
}

const model = await startModel();
const app = await startBackend({ fake: model, contextWindow: 1_000_000 });
try {
  const agent = app.running.backend.context.agents.defaultAgent();
  configureAgent(app, { approvals: { ...agent.config.approvals, shell: "allow" } });
  mkdirSync(workspaceRoot(app), { recursive: true });
  writeFileSync(join(workspaceRoot(app), "notes.md"), "line one\nline two\nline three\n".repeat(20));
  const client = await QuietClient.connect(app);
  const openChat = async () => {
    const id = await newSession(app);
    await app.api(`/api/sessions/${id}`, { method: "PATCH", json: { title: "Retained" } });
    await client.subscribe(id);
    return id;
  };
  const chats: string[] = [];
  if (!fresh) for (let i = 0; i < sessionCount; i++) chats.push(await openChat());
  let failed = 0;
  const turn = async (index: number) => {
    const sessionId = fresh ? await openChat() : (chats[index % chats.length] as string);
    if ((await client.turn(sessionId, `turn ${index}: look at the workspace`)) !== "completed") failed++;
    if (fresh) client.unsubscribe(sessionId);
  };

  console.log(
    `retained: ${totalTurns} turns after ${WARM_UP} of warm-up, ${fresh ? "each in a new chat" : `over ${sessionCount} chats`}, ` +
      `tools: list_dir, read_file, grep${shell ? ", shell" : ""}`,
  );
  for (let i = 0; i < WARM_UP; i++) await turn(i);
  const base = await measure(0);
  let previous = base;
  for (let step = 1; step <= 4; step++) {
    for (let i = previous.turn; i < (totalTurns * step) / 4; i++) await turn(WARM_UP + i);
    const now = await measure((totalTurns * step) / 4);
    const perTurn = (now.objects - base.objects) / now.turn;
    console.log(
      `  turn ${String(now.turn).padStart(5)}  heap ${(now.heapBytes / 1048576).toFixed(1)} MiB, ` +
        `${now.objects.toLocaleString("en")} objects (${perTurn >= 0 ? "+" : ""}${perTurn.toFixed(2)} per turn since warm-up)`,
    );
    console.log(`      data: ${changes(previous, now, false) || "no change"}`);
    console.log(`      code: ${changes(previous, now, true) || "no change"}`);
    previous = now;
  }
  const dataGrowth = Object.entries(previous.types)
    .filter(([name]) => !CODE_TYPES.has(name))
    .reduce((sum, [name, count]) => sum + count - (base.types[name] ?? 0), 0);
  console.log(
    `  data objects ${dataGrowth >= 0 ? "+" : ""}${dataGrowth} over ${totalTurns} turns ` +
      `(${(dataGrowth / totalTurns).toFixed(2)} per turn; target: well under 1); ${failed} turns failed; ` +
      `runners kept: ${app.running.backend.context.sessions.runnerCount}`,
  );
  client.close();
} finally {
  await app.stop();
}
