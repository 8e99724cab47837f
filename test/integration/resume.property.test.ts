/**
 * Resume, as a property: for random turns (text chunks, reasoning, tool calls over several steps, steps
 * that fail with a 500 or a cut stream and are retried) and random disconnect points, a client that drops its socket after k events, reconnects and subscribes
 * with `afterSeq` = its own lastSeq ends with exactly the stored transcript, and the seqs it received
 * across all its connections are exactly 1..N: no gap, no duplicate.
 */
import { beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { EPHEMERAL_EVENTS, type ServerEvent } from "../../src/shared/events.ts";
import { applyEvent, emptyTranscript, type TranscriptState } from "../../src/shared/transcript.ts";
import type { FakeReply } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  eventually,
  openSession,
  storedTranscript,
  transcriptCore,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();
beforeAll(async () => {
  // Shell calls (live progress events) run without asking, inside bubblewrap.
  configureAgent(app(), { approvals: { shell: "allow" } });
});

/**
 * A client that keeps one TranscriptState across connections. Each connection closes itself after
 * its budget of events (the rest of that connection's traffic is lost, as in a network blip); the
 * next one subscribes after the last seq it applied.
 */
class ResumingClient {
  readonly state: TranscriptState = emptyTranscript();
  readonly receivedSeqs: number[] = [];
  readonly receivedTypes = new Set<string>();
  connections = 0;
  private socket: WebSocket | undefined;

  constructor(
    private readonly sessionId: string,
    /** Events each connection may receive before it drops; connections past the list never drop. */
    private readonly budgets: number[],
  ) {}

  async connect(): Promise<void> {
    const budget = this.budgets[this.connections] ?? Number.POSITIVE_INFINITY;
    this.connections++;
    const socket = new WebSocket(`${app().url.replace("http", "ws")}/ws?token=${app().token}`);
    this.socket = socket;
    let received = 0;
    let dropped = false;
    socket.onmessage = (message) => {
      if (dropped) return;
      const event = JSON.parse(String(message.data)) as ServerEvent;
      if (event.sessionId !== this.sessionId) return;
      if (!EPHEMERAL_EVENTS.has(event.type) && !(event.type === "error" && event.seq === 0)) {
        this.receivedSeqs.push(event.seq);
      }
      applyEvent(this.state, event);
      this.receivedTypes.add(event.type);
      received++;
      if (received >= budget) {
        dropped = true;
        socket.close();
      }
    };
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error("WebSocket failed to open"));
    });
    socket.send(
      JSON.stringify({ type: "subscribe", sessionId: this.sessionId, afterSeq: this.state.lastSeq }),
    );
  }

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket?.close();
  }
}

const word = fc.constantFrom("alpha ", "beta ", "gamma ", "delta ", "epsilon ", "ζ ", "日本 ", "x", "\n");
const chunks = fc.array(word, { minLength: 1, maxLength: 12 });
/**
 * Failing calls differ from each other (a numbered missing file, cut JSON naming it): three identical
 * failing calls in a row pause the turn with a loop question (tested in runtime-long-turns), which is
 * not what this property is about.
 */
const failingId = fc.nat({ max: 1_000_000 });
const toolCall = fc.oneof(
  fc.constantFrom(
    { name: "list_dir", arguments: { path: "." } },
    { name: "todo", arguments: { todos: [{ text: "step", status: "in_progress" }] } },
    { name: "shell", arguments: { command: "echo out; echo err >&2; sleep 0.06; echo more" } },
  ),
  failingId.map((n) => ({ name: "read_file", arguments: { path: `missing-${n}.txt` } })),
  failingId.map((n) => ({ name: "read_file", arguments: `{"path": "cut-${n}` })),
);
const step = fc.record(
  {
    reasoning: chunks,
    text: chunks,
    tokenDelayMs: fc.constantFrom(0, 0, 1, 3),
  },
  { requiredKeys: ["text", "tokenDelayMs"] },
);
/**
 * Failed attempts before a step (each retried automatically): mostly a 500 (retried at once), sometimes
 * a stream cut after its first text chunk (retried after about a second).
 */
const failures = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<FakeReply>({ error: { status: 500, retryAfterSeconds: 0 } }) },
    {
      weight: 1,
      arbitrary: fc
        .array(word, { minLength: 2, maxLength: 6 })
        .map((text): FakeReply => ({ text, cutAfterChunks: 2 })),
    },
  ),
  { maxLength: 2 },
);
/** A turn: up to two tool steps, then a final answer. */
const turn = fc.record({
  toolSteps: fc.array(fc.tuple(step, fc.array(toolCall, { minLength: 1, maxLength: 3 }), failures), {
    maxLength: 2,
  }),
  answer: step,
  answerFailures: failures,
});
const scenario = fc.record({
  turns: fc.array(turn, { minLength: 1, maxLength: 3 }),
  budgets: fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 4 }),
  reconnectDelayMs: fc.constantFrom(0, 5, 20),
});

type Turn = typeof turn extends fc.Arbitrary<infer T> ? T : never;

/** The fake's replies for the turns, in request order. */
function replies(turns: Turn[]): FakeReply[] {
  return turns.flatMap((t) => [
    ...t.toolSteps.flatMap(([s, calls, failed]) => [...failed, { ...s, toolCalls: calls }]),
    ...t.answerFailures,
    t.answer,
  ]);
}

test("a client resuming after random disconnects reconstructs exactly the stored transcript", async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ turns, budgets, reconnectDelayMs }) => {
      const control = await openSession(app());
      const { sessionId } = control;
      const client = new ResumingClient(sessionId, budgets);
      await client.connect();
      app().fake.enqueue(...replies(turns));

      // The control socket submits the turns one after the other; the client keeps reconnecting.
      let running = true;
      const reconnecting = (async () => {
        while (running) {
          if (!client.open) {
            await Bun.sleep(reconnectDelayMs);
            await client.connect();
          }
          await Bun.sleep(2);
        }
      })();
      for (const [index] of turns.entries()) {
        const clientTurnId = `turn-${index}`;
        control.socket.send({ type: "submit", sessionId, clientTurnId, text: `request ${index}` });
        const started = await control.socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId);
        const end = await control.socket.waitFor("turn.ended", (e) => e.turnId === started.turnId, 20_000);
        expect(end.status).toBe("completed");
      }
      const lastSeq = app().running.backend.context.events.lastSeq(sessionId);
      await eventually(
        () => (client.state.lastSeq === lastSeq && client.open ? true : undefined),
        10_000,
        `the client to catch up to seq ${lastSeq} (at ${client.state.lastSeq})`,
      );
      running = false;
      await reconnecting;

      expect(client.receivedSeqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      const stored = await storedTranscript(app(), sessionId);
      expect(transcriptCore(client.state)).toEqual(transcriptCore(stored));
      expect(client.state.status).toBe("idle");
      expect(app().fake.pendingReplies).toBe(0);
      client.close();
      control.socket.close();
    }),
    { numRuns: 25, endOnFailure: true },
  );
}, 120_000);

test("resuming from any seq of a finished session gives exactly the missing events", async () => {
  const control = await openSession(app());
  app().fake.enqueue(
    { reasoning: "hm", text: "one two", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
    { text: "three four five" },
  );
  control.socket.send({ type: "submit", sessionId: control.sessionId, clientTurnId: "only", text: "go" });
  const started = await control.socket.waitFor("turn.started");
  await control.socket.waitFor("turn.ended", (e) => e.turnId === started.turnId);
  const lastSeq = app().running.backend.context.events.lastSeq(control.sessionId);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: lastSeq }), async (afterSeq) => {
      const socket = await TestSocket.connect(app());
      socket.send({ type: "subscribe", sessionId: control.sessionId, afterSeq });
      const subscribed = await socket.waitFor("subscribed");
      expect(subscribed.lastSeq).toBe(lastSeq);
      const seqs = socket.events
        .filter((e) => e.sessionId === control.sessionId && !EPHEMERAL_EVENTS.has(e.type))
        .map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: lastSeq - afterSeq }, (_, i) => afterSeq + i + 1));
      socket.close();
    }),
    { numRuns: 20 },
  );
  control.socket.close();
});
