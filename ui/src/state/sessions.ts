/**
 * The sidebar's view of all sessions: loaded once, then kept live by `session.summary` /
 * `session.removed` broadcasts. Sorted pinned first, then most recently active.
 */
import { createStore, produce, reconcile } from "solid-js/store";
import type { SessionSummary } from "../../../src/shared/session.ts";
import { api } from "../lib/api.ts";

const [store, setStore] = createStore<{
  byId: Record<string, SessionSummary>;
  loaded: boolean;
  error?: string;
}>({
  byId: {},
  loaded: false,
});

export const sessions = store;

export async function loadSessions(): Promise<void> {
  try {
    const { sessions: list } = await api<{ sessions: SessionSummary[] }>("/api/sessions?limit=500");
    setStore("byId", reconcile(Object.fromEntries(list.map((s) => [s.id, s]))));
    setStore({ loaded: true, error: undefined });
  } catch (error) {
    setStore({ loaded: true, error: (error as Error).message });
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

export function sortedSessions(): SessionSummary[] {
  return Object.values(store.byId).sort(
    (a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt,
  );
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
  const session = await api<SessionSummary>("/api/sessions", {
    method: "POST",
    json: agentId ? { agentId } : {},
  });
  upsertSession(session);
  return session;
}
