/**
 * Text waiting to be put into a chat's message box, unsent: a `sage://new?prompt=...` link (delivered
 * by the `app.open-session` event, or by `?draft=` in the first URL when the link started Sage).
 * The composer of that chat takes it once (`takeDraft`), whenever it is mounted or the draft arrives.
 */
import { createSignal } from "solid-js";

const [drafts, setDrafts] = createSignal<ReadonlyMap<string, string>>(new Map());

export function offerDraft(sessionId: string, text: string): void {
  if (!text) return;
  setDrafts((current) => new Map(current).set(sessionId, text));
}

/** The draft waiting for `sessionId` (reactive). */
export function pendingDraft(sessionId: string): string | undefined {
  return drafts().get(sessionId);
}

/** Remove and return the draft waiting for `sessionId`. */
export function takeDraft(sessionId: string): string | undefined {
  const text = drafts().get(sessionId);
  if (text === undefined) return undefined;
  setDrafts((current) => {
    const next = new Map(current);
    next.delete(sessionId);
    return next;
  });
  return text;
}
