/**
 * The app's one socket, and where its events go: sidebar summaries to the sessions store, session
 * events to the open transcripts. Also the place UI code sends frames through.
 */
import type { ClientMessage } from "../../../src/shared/client-messages.ts";
import { tokenRefused } from "../lib/access.ts";
import { navigate } from "../lib/router.ts";
import { SocketClient } from "../lib/socket.ts";
import { offerDraft } from "./drafts.ts";
import { removeSession, upsertSession } from "./sessions.ts";
import { notifyError } from "./toasts.ts";
import { applyEvents, closeTranscript, lastSeq, setSubscriber } from "./transcripts.ts";

export const socket = new SocketClient({
  lastSeq,
  // Sage restarted with a new token: the page shows how to get back in (components/signed-out.tsx).
  onTokenRefused: tokenRefused,
  onEvents(events) {
    for (const event of events) {
      if (event.type === "session.summary") upsertSession(event.session);
      // The user clicked this chat's notification or tray entry, or opened a sage: link.
      else if (event.type === "app.open-session") {
        if (event.draft) offerDraft(event.sessionId, event.draft);
        navigate(`/s/${event.sessionId}`);
      } else if (event.type === "session.removed") {
        removeSession(event.sessionId);
        closeTranscript(event.sessionId);
      } else if (event.type === "error" && event.seq === 0) notifyError(event.message);
    }
    applyEvents(events);
  },
});

setSubscriber((sessionId) => socket.subscribe(sessionId));

export function send(frame: ClientMessage): void {
  socket.send(frame);
}

export function newClientTurnId(): string {
  return `c_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}
