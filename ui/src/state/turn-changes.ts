/**
 * What each turn's Undo would restore (GET /api/sessions/:id/file-changes), per session, and whether it
 * was used. Loaded on demand: the first footer that asks about a turn this cache does not know fetches
 * the session's list once (one request when a chat opens, one more after each turn that changed files).
 * Contract: `turnChanges` is `undefined` while unknown (a request is on its way), `null` for a turn that
 * changed no files (or whose list could not be read: no Undo offered then).
 */
import { createStore } from "solid-js/store";
import type { TurnFileChanges } from "../../../src/shared/tools-api.ts";
import { call } from "../lib/api-client.ts";

type SessionChanges = Record<string, TurnFileChanges | null>;

const [changes, setChanges] = createStore<Record<string, SessionChanges>>({});
const loading = new Set<string>();

function load(sessionId: string, turnId: string): void {
  const settle = (turns: TurnFileChanges[]) => {
    // Done before the store changes, so a footer that asked meanwhile may ask again at once.
    loading.delete(sessionId);
    const next: SessionChanges = { ...changes[sessionId] };
    for (const turn of turns) next[turn.turnId] = turn;
    // Asked for but not listed: that turn changed no files.
    next[turnId] ??= null;
    setChanges(sessionId, next);
  };
  loading.add(sessionId);
  call("GET /api/sessions/:id/file-changes", { params: { id: sessionId } }).then(
    (result) => settle(result.turns),
    () => settle([]),
  );
}

/** The files `turnId` changed and whether it was undone; starts loading when not known yet. */
export function turnChanges(sessionId: string, turnId: string): TurnFileChanges | null | undefined {
  const known = changes[sessionId]?.[turnId];
  if (known === undefined && !loading.has(sessionId)) load(sessionId, turnId);
  return known;
}

/** The turn's Undo was used: its button goes away (the server has stored the same). */
export function markUndone(sessionId: string, turnId: string, undoneAt: number): void {
  if (changes[sessionId]?.[turnId]) setChanges(sessionId, turnId, "undoneAt", undoneAt);
}
