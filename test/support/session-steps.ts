/**
 * Shared steps of the integration tests that run turns: a new session, a subscribed socket on it, a
 * turn submitted and awaited by its clientTurnId, the stored transcript, the agent's workspace, and
 * what the app sent to the fake model.
 */
import { join } from "node:path";
import { EPHEMERAL_EVENTS, type EventOf, type ServerEvent } from "../../src/shared/events.ts";
import type { Message, Part } from "../../src/shared/parts.ts";
import { emptyTranscript, loadMessages, type TranscriptState } from "../../src/shared/transcript.ts";
import type { FakeRequest } from "../fixtures/fake-model/index.ts";
import type { TestBackend } from "./backend.ts";
import { TestSocket } from "./test-socket.ts";

/** A new session of the default agent; its id. */
export async function newSession(app: TestBackend): Promise<string> {
  const { status, body } = await app.api<{ id: string }>("/api/sessions", { json: {} });
  if (status !== 200) throw new Error(`POST /api/sessions answered ${status}`);
  return body.id;
}

export interface Subscribed {
  sessionId: string;
  socket: TestSocket;
}

/**
 * A new session and a socket subscribed to it from seq 0. The session gets a title first, so no title
 * request (which would take a reply from the fake's shared queue) races the test's own turns.
 */
export async function openSession(app: TestBackend, options: { titled?: boolean } = {}): Promise<Subscribed> {
  const sessionId = await newSession(app);
  if (options.titled !== false) {
    const { status } = await app.api(`/api/sessions/${sessionId}`, {
      method: "PATCH",
      json: { title: "Test" },
    });
    if (status !== 200) throw new Error(`PATCH session answered ${status}`);
  }
  const socket = await TestSocket.connect(app);
  socket.send({ type: "subscribe", sessionId, afterSeq: 0 });
  await socket.waitFor("subscribed", (e) => e.sessionId === sessionId);
  return { sessionId, socket };
}

/** Submit a message and return its `turn.started` (the turn may still be running). */
export async function submit(
  { socket, sessionId }: Subscribed,
  text: string,
  clientTurnId: string = crypto.randomUUID(),
  timeoutMs = 10_000,
): Promise<EventOf<"turn.started">> {
  socket.send({ type: "submit", sessionId, clientTurnId, text });
  return socket.waitFor("turn.started", (e) => e.clientTurnId === clientTurnId, timeoutMs);
}

/** Wait for the turn to end. */
export function ended(
  { socket }: Subscribed,
  turnId: string,
  timeoutMs = 15_000,
): Promise<EventOf<"turn.ended">> {
  return socket.waitFor("turn.ended", (e) => e.turnId === turnId, timeoutMs);
}

/** Submit a message and wait for its turn to end. */
export async function runTurn(
  subscribed: Subscribed,
  text: string,
  clientTurnId?: string,
  timeoutMs = 15_000,
): Promise<EventOf<"turn.ended">> {
  const started = await submit(subscribed, text, clientTurnId, timeoutMs);
  return ended(subscribed, started.turnId, timeoutMs);
}

/** The stored (seq-carrying, non-ephemeral) events a socket received for a session. */
export function loggedEvents(socket: TestSocket, sessionId: string): ServerEvent[] {
  return socket.events.filter(
    (e) => e.sessionId === sessionId && !EPHEMERAL_EVENTS.has(e.type) && !(e.type === "error" && e.seq === 0),
  );
}

export async function storedMessages(app: TestBackend, sessionId: string): Promise<Message[]> {
  const { status, body } = await app.api<{ messages: Message[]; lastSeq: number }>(
    `/api/sessions/${sessionId}/messages?limit=1000`,
  );
  if (status !== 200) throw new Error(`GET messages answered ${status}`);
  return body.messages;
}

/** The state a freshly loaded window would build from the stored messages. */
export async function storedTranscript(app: TestBackend, sessionId: string): Promise<TranscriptState> {
  const { body } = await app.api<{ messages: Message[]; lastSeq: number }>(
    `/api/sessions/${sessionId}/messages?limit=1000`,
  );
  const state = emptyTranscript();
  loadMessages(state, body.messages, body.lastSeq);
  return state;
}

/**
 * The comparable core of a transcript: active-branch order, message infos (without `versions`, which
 * only the stored view computes) and parts.
 */
export function transcriptCore(state: TranscriptState): {
  order: string[];
  messages: Record<string, unknown>;
  parts: Record<string, Part[]>;
} {
  const messages: Record<string, unknown> = {};
  const parts: Record<string, Part[]> = {};
  for (const id of state.order) {
    const { versions: _versions, ...info } = state.messages[id] ?? ({} as Message["info"]);
    messages[id] = info;
    parts[id] = state.parts[id] ?? [];
  }
  return { order: state.order, messages, parts };
}

export function partsOf<K extends Part["type"]>(messages: Message[], type: K): Extract<Part, { type: K }>[] {
  return messages.flatMap((m) => m.parts).filter((p): p is Extract<Part, { type: K }> => p.type === type);
}

export function textOf(message: Message | undefined): string {
  return (message?.parts ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
}

/** The default agent's workspace folder (created on first use). */
export function workspaceRoot(app: TestBackend): string {
  const agent = app.running.backend.context.agents.defaultAgent();
  return join(app.running.backend.context.paths.workspaces, agent.id);
}

/** Update the default agent's config (step limit, approval rules ...). */
export function configureAgent(
  app: TestBackend,
  change: Partial<
    ReturnType<TestBackend["running"]["backend"]["context"]["agents"]["defaultAgent"]>["config"]
  >,
): void {
  const agents = app.running.backend.context.agents;
  const agent = agents.defaultAgent();
  agents.update(agent.id, { ...agent.config, ...change });
}

/**
 * The built-in tools the context-budget tests were calibrated with. Those tests size their messages
 * against the fixed part of a request (system prompt and tool schemas) in a small window, so they
 * enable exactly these tools: a new built-in tool no longer moves their thresholds.
 */
export const BUDGET_CALIBRATION_TOOLS = [
  "read_file",
  "write_file",
  "edit_file",
  "apply_patch",
  "list_dir",
  "glob",
  "grep",
  "shell",
  "shell_job",
  "shell_job_kill",
  "web_fetch",
  "web_search",
  "browser_navigate",
  "browser_snapshot",
  "browser_click",
  "browser_type",
  "browser_press_key",
  "browser_scroll",
  "browser_screenshot",
  "browser_tabs",
  "browser_evaluate",
  "todo",
  "ask_user",
  "load_skill",
];

/** The model requests (chat completions or messages) received since `from`. */
export function modelRequests(app: TestBackend, from = 0): FakeRequest[] {
  return app.fake.requests
    .slice(from)
    .filter((r) => r.path === "/v1/chat/completions" || r.path === "/v1/messages");
}

/** A request's conversation as JSON text, for "contains" checks across both wire formats. */
export function conversationText(request: FakeRequest | undefined): string {
  return JSON.stringify({ system: request?.body?.system, messages: request?.body?.messages ?? [] });
}

/** OpenAI-format tool results of a request, in the order they were sent. */
export function toolResults(request: FakeRequest | undefined): { id: string; content: string }[] {
  return (request?.body?.messages ?? [])
    .filter((m) => m.role === "tool")
    .map((m) => ({ id: String(m.tool_call_id), content: String(m.content) }));
}

/** Poll until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => T | undefined,
  timeoutMs = 5000,
  what = "a condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}
