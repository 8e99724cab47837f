/**
 * WebSocket backpressure with a real slow socket, against the compiled executable: a client that stops
 * reading (its socket paused: the kernel buffers fill, then the server's) while a turn streams tens of
 * megabytes, then reads again only in short bursts (so the server's buffer drains a little and fills
 * again, past Bun's 16 MB limit where `send` drops messages). The server must neither drop events for
 * it nor stop its live delivery: it receives every seq exactly once and in order, and the next turn's
 * events arrive live.
 */
import { expect, test } from "bun:test";
import { EPHEMERAL_EVENTS, type ServerEvent } from "../../src/shared/events.ts";
import { eventually } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";
import { type RunningExecutable, useExecutable } from "./executable-app.ts";

const executable = useExecutable("sage-backpressure-");

const isStored = (event: ServerEvent) =>
  !EPHEMERAL_EVENTS.has(event.type) &&
  event.type !== "subscribed" &&
  event.type !== "session.live" &&
  event.type !== "pong" &&
  event.type !== "error";

/** A real WebSocket whose reading can be paused (Bun's client: `pause()` stops reading the socket). */
class SlowClient {
  readonly events: ServerEvent[] = [];
  bytes = 0;
  constructor(readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      const text = String(message.data);
      this.bytes += text.length;
      this.events.push(JSON.parse(text) as ServerEvent);
    };
  }
  static async connect(target: RunningExecutable): Promise<SlowClient> {
    const socket = new WebSocket(`${target.url.replace("http", "ws")}/ws?token=${target.token}`);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error("WebSocket failed to open"));
    });
    return new SlowClient(socket);
  }
  seqs(sessionId: string): number[] {
    return this.events.filter((e) => e.sessionId === sessionId && isStored(e)).map((e) => e.seq);
  }
}

test("a client that stops reading during a 40 MB turn gets every seq once, in order, then live events again", async () => {
  const { fake, launch } = executable();
  const app = await launch();
  const { body: session } = await app.api<{ id: string }>("/api/sessions", { json: {} });
  const driver = await TestSocket.connect(app);
  driver.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
  await driver.waitFor("subscribed");
  const slow = await SlowClient.connect(app);
  slow.socket.send(JSON.stringify({ type: "subscribe", sessionId: session.id, afterSeq: 0 }));
  await eventually(() => slow.events.find((e) => e.type === "subscribed"), 10_000, "slow subscribed");
  expect((slow.socket as unknown as { pause(): boolean }).pause()).toBe(true);

  // ~40 MB of text: far past the kernel's socket buffers and the hub's 4 MB high-water mark.
  const chunk = `${"lorem ipsum dolor sit amet ".repeat(40)}\n`;
  fake.enqueue({ text: { repeat: chunk, count: 40_000 } });
  driver.send({ type: "submit", sessionId: session.id, clientTurnId: "big", text: "Write a lot" });
  const started = await driver.waitFor("turn.started", (e) => e.clientTurnId === "big", 15_000);
  await driver.waitFor("turn.ended", (e) => e.turnId === started.turnId, 120_000);
  const received = slow.bytes;
  expect(received).toBeLessThan(40 * 1024 * 1024); // it really stopped reading

  // It reads again, but slowly: in short bursts with pauses between (the server's buffer drains a
  // little, then fills again).
  const control = slow.socket as unknown as { pause(): boolean; resume(): boolean };
  let reading = true;
  const slowReader = (async () => {
    while (reading) {
      control.resume();
      await Bun.sleep(5);
      control.pause();
      await Bun.sleep(60);
    }
    control.resume();
  })();
  await Bun.sleep(3000);
  reading = false;
  await slowReader;
  await eventually(
    () => slow.events.find((e) => e.type === "turn.ended" && e.turnId === started.turnId),
    60_000,
    "the slow client to catch up to turn.ended",
  );
  const expected = driver.transcript(session.id).lastSeq;
  expect(slow.seqs(session.id)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
  const text = (events: ServerEvent[]) =>
    events.map((e) => (e.type === "message.part.delta" ? e.delta : "")).join("");
  expect(text(slow.events)).toBe(chunk.repeat(40_000));

  // Live delivery goes on: the next turn reaches the slow client as it happens.
  fake.enqueue({ text: ["Still ", "there."], tokenDelayMs: 20 });
  driver.send({ type: "submit", sessionId: session.id, clientTurnId: "small", text: "And now?" });
  const next = await driver.waitFor("turn.started", (e) => e.clientTurnId === "small", 15_000);
  await eventually(
    () => slow.events.find((e) => e.type === "turn.ended" && e.turnId === next.turnId),
    15_000,
    "live events after catching up",
  );
  const final = driver.transcript(session.id).lastSeq;
  expect(slow.seqs(session.id)).toEqual(Array.from({ length: final }, (_, i) => i + 1));
  slow.socket.close();
  driver.close();
}, 240_000);
