/**
 * The sidebar's view of the sessions: the newest page at start, older pages as the list is scrolled
 * (`loadMoreSessions`), all kept live by `session.summary` / `session.removed` broadcasts. Sorted pinned
 * first, then most recently active.
 */
import { createStore, produce, reconcile } from "solid-js/store";
import type { SessionSummary } from "../../../src/shared/session.ts";
import { call } from "../lib/api-client.ts";

/** Sessions per page: enough for most people's whole history at start, small enough to stay quick. */
const PAGE_SIZE = 200;

const [store, setStore] = createStore<{
  byId: Record<string, SessionSummary>;
  loaded: boolean;
  error?: string;
  /** Where the next (older) page starts; undefined once everything is loaded. */
  nextCursor?: string;
  loadingMore: boolean;
}>({
  byId: {},
  loaded: false,
  loadingMore: false,
});

export const sessions = store;

export async function loadSessions(): Promise<void> {
  try {
    const page = await call("GET /api/sessions", { query: { limit: PAGE_SIZE } });
    setStore("byId", reconcile(Object.fromEntries(page.sessions.map((s) => [s.id, s]))));
    setStore({ loaded: true, error: undefined, nextCursor: page.nextCursor });
  } catch (error) {
    setStore({ loaded: true, error: (error as Error).message });
  }
}

/** The next older page, if there is one and none is on its way (the sidebar calls this near its end). */
export async function loadMoreSessions(): Promise<void> {
  const cursor = store.nextCursor;
  if (!cursor || store.loadingMore) return;
  setStore("loadingMore", true);
  try {
    const page = await call("GET /api/sessions", { query: { limit: PAGE_SIZE, cursor } });
    setStore(
      produce((state) => {
        // A session a broadcast already brought in keeps its live copy.
        for (const session of page.sessions) state.byId[session.id] ??= session;
        state.nextCursor = page.nextCursor;
      }),
    );
  } catch {
    // Kept: the next scroll tries again.
  } finally {
    setStore("loadingMore", false);
  }
}

/**
 * Make sure an open chat's summary is in the store even when its page is not loaded yet (an old chat
 * opened from search or a link). A chat that no longer exists is left out.
 */
export async function ensureSession(sessionId: string): Promise<void> {
  if (store.byId[sessionId]) return;
  try {
    upsertSession(await call("GET /api/sessions/:id", { params: { id: sessionId } }));
  } catch {
    // Deleted or unreachable: the chat view shows what the transcript says.
  }
}

export function upsertSession(session: SessionSummary): void {
  // reconcile: a field the new summary lacks (a cleared model pick) is removed, not kept from the old one.
  setStore("byId", session.id, reconcile(session));
}

export function removeSession(sessionId: string): void {
  setStore(
    "byId",
    produce((byId) => {
      delete byId[sessionId];
    }),
  );
}

/** The user's own chats, for the sidebar and the palette (sub-agents' chats open from their cards). */
export function sortedSessions(): SessionSummary[] {
  return Object.values(store.byId)
    .filter((session) => !session.parent)
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt);
}

export type DateGroup = "pinned" | "today" | "yesterday" | "week" | "month" | "older";

export function dateGroup(session: SessionSummary, now = new Date()): DateGroup {
  if (session.pinned) return "pinned";
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const day = 24 * 60 * 60 * 1000;
  if (session.updatedAt >= start) return "today";
  if (session.updatedAt >= start - day) return "yesterday";
  if (session.updatedAt >= start - 7 * day) return "week";
  if (session.updatedAt >= start - 30 * day) return "month";
  return "older";
}

export async function createSession(agentId?: string): Promise<SessionSummary> {
  const session = await call("POST /api/sessions", { json: agentId ? { agentId } : {} });
  upsertSession(session);
  return session;
}

/** Looks unused from here: no message, no title, not pinned, idle. The server decides for sure. */
export function looksUntouched(session: SessionSummary | undefined): boolean {
  return (
    !!session && session.messageCount === 0 && !session.title && !session.pinned && session.status === "idle"
  );
}

/**
 * The user left a chat. One that looks unused is offered to the server, which removes it if it really
 * is (an empty "New chat" does not stay in the sidebar); the session.removed broadcast updates every
 * window. Never throws.
 */
export async function leaveSession(sessionId: string): Promise<void> {
  if (!looksUntouched(store.byId[sessionId])) return;
  try {
    const { removed } = await call("POST /api/sessions/:id/leave", { params: { id: sessionId } });
    if (removed) removeSession(sessionId);
  } catch {
    // Kept for now; the next start removes it.
  }
}
