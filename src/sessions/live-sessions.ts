/**
 * The server's record of what is live in each session: the running turn, pending approvals and
 * questions, a back-off between retries, the queue. It folds the event log with the same reducer the
 * windows use (`applyLiveEvent`), so a window that subscribes late gets the state a window that saw
 * every event would have.
 *
 * Contract:
 * - Fed by the event log's listeners, which run right after each write: once `EventLog.flush()` has
 *   returned, `snapshot()` reflects every event up to the session's last seq.
 * - Only sessions with something live are kept; a session ends idle with nothing pending and is
 *   forgotten, so memory does not grow with the number of sessions.
 * - Sessions are idle at start-up (a crashed turn is ended by recovery before the server listens), so
 *   folding only the events since start-up is complete.
 */
import type { LiveState } from "../shared/events.ts";
import { applyLiveEvent, emptyLiveState } from "../shared/transcript.ts";
import type { EventLog, LoggedEvent } from "../store/event-log.ts";

/** Events that can change a session's live state; the rest (text deltas, tool output) are skipped fast. */
const LIVE_EVENTS = new Set([
  "session.updated",
  "turn.queued",
  "turn.dequeued",
  "turn.started",
  "turn.retrying",
  "turn.ended",
  "message.created",
  "approval.requested",
  "approval.resolved",
  "question.asked",
  "question.answered",
]);

export class LiveSessions {
  private readonly live = new Map<string, LiveState>();
  private readonly unsubscribe: () => void;

  constructor(private readonly log: EventLog) {
    this.unsubscribe = log.subscribe((events) => this.fold(events));
  }

  /**
   * The session's live state as of its last written event (todos are not tracked here: they live with
   * the session record). A fresh object: the caller may keep or send it.
   */
  snapshot(sessionId: string): Omit<LiveState, "todos"> {
    this.log.flush();
    const state = this.live.get(sessionId);
    if (!state) return withoutTodos(emptyLiveState());
    return withoutTodos(structuredClone(state));
  }

  /** Sessions with something live right now (for tests and diagnostics). */
  get size(): number {
    return this.live.size;
  }

  private fold(events: LoggedEvent[]): void {
    for (const { event } of events) {
      if (!LIVE_EVENTS.has(event.type)) continue;
      let state = this.live.get(event.sessionId);
      if (!state) {
        state = emptyLiveState();
        this.live.set(event.sessionId, state);
      }
      applyLiveEvent(state, event);
      if (isQuiet(state)) this.live.delete(event.sessionId);
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.live.clear();
  }
}

function isQuiet(state: LiveState): boolean {
  return (
    state.turnId === null &&
    (state.status === "idle" || state.status === "interrupted") &&
    state.queued.length === 0 &&
    state.retry === null &&
    Object.keys(state.approvals).length === 0 &&
    Object.keys(state.questions).length === 0
  );
}

function withoutTodos(state: LiveState): Omit<LiveState, "todos"> {
  const { todos: _todos, ...rest } = state;
  return rest;
}
