/**
 * Open sessions' transcripts: one Solid store per session, fed by the stored pages and the live event
 * stream through the shared reducer (src/shared/transcript.ts). Components read these stores; they never
 * parse the socket.
 *
 * Contract: a session is loaded (newest page) before it is subscribed, with afterSeq = the page's
 * lastSeq, so the server replays exactly what came after; seq dedup in the reducer makes reconnects and
 * replays harmless. Older pages are prepended on demand.
 */
import { batch } from "solid-js";
import { createStore, produce, type SetStoreFunction } from "solid-js/store";
import type { ServerEvent, TurnNotice } from "../../../src/shared/events.ts";
import type { Message } from "../../../src/shared/parts.ts";
import {
  applyEvent,
  emptyTranscript,
  loadMessages,
  type TranscriptState,
} from "../../../src/shared/transcript.ts";
import { ApiError } from "../lib/api.ts";
import { type AnswerOf, call } from "../lib/api-client.ts";
import { benchMark } from "../lib/bench-mark.ts";

export const PAGE_SIZE = 80;

export interface OpenTranscript {
  state: TranscriptState;
  set: SetStoreFunction<TranscriptState>;
  meta: {
    loading: boolean;
    loadingOlder: boolean;
    hasMore: boolean;
    error?: string;
    /** The server has no such chat (404: deleted, or a stale link): the page says so instead of a chat. */
    missing?: boolean;
    version: number;
    /** Why the last turn did nothing (`/compact` with too little to compact); cleared by the next turn. */
    notice?: TurnNotice;
  };
  setMeta: SetStoreFunction<OpenTranscript["meta"]>;
}

type MessagesPage = AnswerOf<"GET /api/sessions/:id/messages">;

const open = new Map<string, OpenTranscript>();
let subscribe: (sessionId: string) => void = () => {};

/** Wire the socket once (state/connection.ts). */
export function setSubscriber(fn: (sessionId: string) => void): void {
  subscribe = fn;
}

export function transcript(sessionId: string): OpenTranscript {
  let entry = open.get(sessionId);
  if (!entry) {
    const [state, set] = createStore<TranscriptState>(emptyTranscript());
    const [meta, setMeta] = createStore<OpenTranscript["meta"]>({
      loading: true,
      loadingOlder: false,
      hasMore: false,
      version: 0,
    });
    entry = { state, set, meta, setMeta };
    open.set(sessionId, entry);
    void load(sessionId, entry);
  }
  return entry;
}

export function lastSeq(sessionId: string): number {
  return open.get(sessionId)?.state.lastSeq ?? 0;
}

declare global {
  interface Window {
    /** Started by index.html before the app loads, for the chat in the address bar (used once). */
    __SAGE_PREFETCH__?: { url: string; response: Promise<Response> };
  }
}

/** The newest page: the one index.html already asked for when it is this session's, else a new request. */
async function newestPage(sessionId: string): Promise<MessagesPage> {
  const url = `/api/sessions/${encodeURIComponent(sessionId)}/messages?limit=${PAGE_SIZE}`;
  const prefetch = window.__SAGE_PREFETCH__;
  window.__SAGE_PREFETCH__ = undefined;
  if (prefetch?.url === url) {
    try {
      const response = await prefetch.response;
      if (response.ok) return (await response.json()) as MessagesPage;
    } catch {
      // Fall through to a normal request, which reports errors properly.
    }
  }
  return call("GET /api/sessions/:id/messages", { params: { id: sessionId }, query: { limit: PAGE_SIZE } });
}

async function load(sessionId: string, entry: OpenTranscript): Promise<void> {
  entry.setMeta({ loading: true, error: undefined, missing: false });
  try {
    const page = await newestPage(sessionId);
    benchMark("messages-received");
    batch(() => {
      entry.set(
        produce((state) => {
          Object.assign(state, emptyTranscript());
          loadMessages(state, page.messages, page.lastSeq);
          derivePending(state, page.messages);
        }),
      );
      entry.setMeta({ loading: false, hasMore: page.hasMore, version: entry.meta.version + 1 });
    });
    subscribe(sessionId);
  } catch (error) {
    const missing = error instanceof ApiError && error.status === 404;
    entry.setMeta({ loading: false, error: (error as Error).message, missing });
  }
}

/** A stored page says whether a turn is running; the replayed events fill in its live details. */
function derivePending(state: TranscriptState, messages: Message[]): void {
  const last = messages[messages.length - 1];
  if (last?.info.status === "streaming") state.status = "running";
}

export async function loadOlder(sessionId: string): Promise<void> {
  const entry = open.get(sessionId);
  if (!entry || entry.meta.loadingOlder || !entry.meta.hasMore) return;
  const oldest = entry.state.order[0];
  if (!oldest) return;
  entry.setMeta("loadingOlder", true);
  try {
    const page = await call("GET /api/sessions/:id/messages", {
      params: { id: sessionId },
      query: { limit: PAGE_SIZE, before: oldest },
    });
    entry.set(
      produce((state) => {
        const ids: string[] = [];
        for (const message of page.messages) {
          if (state.messages[message.info.id]) continue;
          state.messages[message.info.id] = message.info;
          state.parts[message.info.id] = message.parts;
          ids.push(message.info.id);
        }
        // One new array, not unshift: shifting a 10,000-entry store array would signal every index.
        state.order = [...ids, ...state.order];
      }),
    );
    entry.setMeta({ loadingOlder: false, hasMore: page.hasMore });
  } catch (error) {
    entry.setMeta({ loadingOlder: false, error: (error as Error).message });
  }
}

/** Apply a batch of events (one animation frame's worth) to the open transcripts they concern. */
export function applyEvents(events: ServerEvent[]): void {
  const bySession = new Map<string, ServerEvent[]>();
  for (const event of events) {
    if (!open.has(event.sessionId)) continue;
    const list = bySession.get(event.sessionId) ?? [];
    list.push(event);
    bySession.set(event.sessionId, list);
  }
  batch(() => {
    for (const [sessionId, list] of bySession) {
      const entry = open.get(sessionId) as OpenTranscript;
      if (list.some((e) => e.type === "session.head.changed" && e.seq > entry.state.lastSeq)) {
        void load(sessionId, entry); // another branch became active: reload its newest page
        continue;
      }
      const notice = noticeAfter(list, entry.state.lastSeq, entry.meta.notice);
      if (notice !== entry.meta.notice) entry.setMeta("notice", notice);
      entry.set(
        produce((state) => {
          for (const event of list) applyEvent(state, event);
        }),
      );
    }
  });
}

/** The notice to show after `events` (only those newer than `lastSeq` count): a turn's start clears it. */
function noticeAfter(events: ServerEvent[], lastSeq: number, current: TurnNotice | undefined) {
  let notice = current;
  for (const event of events) {
    if (event.seq <= lastSeq) continue;
    if (event.type === "turn.started") notice = undefined;
    if (event.type === "turn.ended") notice = event.notice;
  }
  return notice;
}

/** Hide the turn notice (the user closed it). */
export function dismissNotice(sessionId: string): void {
  open.get(sessionId)?.setMeta("notice", undefined);
}

/** Forget a session (deleted): its store is dropped. */
export function closeTranscript(sessionId: string): void {
  open.delete(sessionId);
}

export function reloadTranscript(sessionId: string): void {
  const entry = open.get(sessionId);
  if (entry) void load(sessionId, entry);
}

export function openSessionIds(): string[] {
  return [...open.keys()];
}
