/**
 * A window reloaded in the middle of a turn: it loads the stored messages (GET /messages, which names
 * the seq they reflect), subscribes after that seq and folds the live events in. Whenever the reload
 * happens — mid-text, mid-reasoning, while a shell command prints — the result must equal the stored
 * transcript at the end: no hole, no doubled text — also while sent events still wait for their SQLite
 * commit (they are in the event journal; the page and the backlog must include them).
 */
import { beforeAll, expect, test } from "bun:test";
import type { Message } from "../../src/shared/parts.ts";
import {
  applyEvent,
  emptyTranscript,
  loadMessages,
  type TranscriptState,
} from "../../src/shared/transcript.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  ended,
  eventually,
  openSession,
  storedTranscript,
  submit,
  transcriptCore,
} from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();
beforeAll(async () => {
  configureAgent(app(), { approvals: { shell: "allow" } });
});

/** Load the page as a reloaded window does, then follow the live stream. */
async function reloadedWindow(sessionId: string): Promise<{ state: TranscriptState; socket: TestSocket }> {
  const { body } = await app().api<{ messages: Message[]; lastSeq: number }>(
    `/api/sessions/${sessionId}/messages?limit=1000`,
  );
  const state = emptyTranscript();
  loadMessages(state, body.messages, body.lastSeq);
  const socket = await TestSocket.connect(app());
  socket.send({ type: "subscribe", sessionId, afterSeq: body.lastSeq });
  return { state, socket };
}

function fold(state: TranscriptState, socket: TestSocket, sessionId: string): TranscriptState {
  for (const event of socket.events) if (event.sessionId === sessionId) applyEvent(state, event);
  return state;
}

test("reloads at many points of a streaming turn all end with the stored transcript", async () => {
  const session = await openSession(app());
  app().fake.enqueue(
    {
      reasoning: Array.from({ length: 15 }, (_, i) => `think${i} `),
      text: Array.from({ length: 25 }, (_, i) => `say${i} `),
      toolCalls: [
        { name: "shell", arguments: { command: "for i in 1 2 3 4 5; do echo line$i; sleep 0.05; done" } },
      ],
      tokenDelayMs: 12,
    },
    { text: Array.from({ length: 25 }, (_, i) => `end${i} `), tokenDelayMs: 12 },
  );
  const started = await submit(session, "Stream a lot");
  const windows: { state: TranscriptState; socket: TestSocket }[] = [];
  const turnEnded = ended(session, started.turnId, 20_000);
  let done = false;
  void turnEnded.then(() => {
    done = true;
  });
  const { db, events } = app().running.backend.context;
  const committed = db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE session_id = ?");
  /** Reloads made while sent events waited for their SQLite commit (in the journal only). */
  let pendingReloads = 0;
  while (!done) {
    const window = await reloadedWindow(session.sessionId);
    windows.push(window);
    const stored = (committed.get(session.sessionId) as { seq: number }).seq;
    if (stored < window.state.lastSeq) pendingReloads++;
    await Bun.sleep(37);
  }
  expect((await turnEnded).status).toBe("completed");
  expect(windows.length).toBeGreaterThan(10);
  // The view is consistent whether or not a batch was committed when the window loaded.
  expect(pendingReloads).toBeGreaterThan(0);
  const lastSeq = events.lastSeq(session.sessionId);
  const stored = transcriptCore(await storedTranscript(app(), session.sessionId));
  for (const [index, window] of windows.entries()) {
    const loadedSeq = window.state.lastSeq;
    await eventually(
      () => {
        if (!window.socket.events.some((e) => e.type === "subscribed")) return undefined;
        const seen = Math.max(loadedSeq, ...window.socket.events.map((e) => e.seq));
        return seen === lastSeq ? true : undefined;
      },
      5000,
      `window ${index} to reach seq ${lastSeq}`,
    );
    const state = fold(window.state, window.socket, session.sessionId);
    expect({ window: index, ...transcriptCore(state) }).toEqual({ window: index, ...stored });
    window.socket.close();
  }
  session.socket.close();
});
