/** Chat actions that go to the server (HTTP), with errors shown as toasts. */

import { createSignal } from "solid-js";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { navigate } from "../../lib/router.ts";
import { newClientTurnId } from "../../state/connection.ts";
import { upsertSession } from "../../state/sessions.ts";
import { dismiss, notify, notifyError } from "../../state/toasts.ts";
import { markUndone } from "../../state/turn-changes.ts";

async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    notifyError((error as Error).message);
    return false;
  }
}

export function regenerate(sessionId: string, userMessageId: string): Promise<boolean> {
  return attempt(() =>
    call("POST /api/sessions/:id/regenerate", {
      params: { id: sessionId },
      json: { messageId: userMessageId, clientTurnId: newClientTurnId() },
    }),
  );
}

/** A new version of a user message; `plan`: run it in plan mode (absent: as the message was sent). */
export function editMessage(
  sessionId: string,
  messageId: string,
  text: string,
  plan?: boolean,
): Promise<boolean> {
  return attempt(() =>
    call("POST /api/sessions/:id/edit", {
      params: { id: sessionId },
      json: { messageId, text, clientTurnId: newClientTurnId(), ...(plan === undefined ? {} : { plan }) },
    }),
  );
}

export function switchVersion(sessionId: string, messageId: string): Promise<boolean> {
  return attempt(() =>
    call("POST /api/sessions/:id/switch-version", { params: { id: sessionId }, json: { messageId } }),
  );
}

/** The sibling (other version) of a message, by position among its versions. */
export async function siblingOf(
  sessionId: string,
  messageId: string,
  direction: -1 | 1,
): Promise<string | undefined> {
  try {
    const result = await call("GET /api/sessions/:id/messages/:messageId/versions", {
      params: { id: sessionId, messageId },
    });
    const index = result.siblings.indexOf(messageId);
    return result.siblings[index + direction];
  } catch (error) {
    notifyError((error as Error).message);
    return undefined;
  }
}

/** Undo a turn's file changes; says what was put back (and what could not be); true when it ran. */
export async function undoTurnFiles(sessionId: string, turnId: string): Promise<boolean> {
  try {
    const result = await call("POST /api/sessions/:id/turns/:turnId/undo", {
      params: { id: sessionId, turnId },
      json: {},
    });
    markUndone(sessionId, turnId, result.undoneAt ?? Date.now());
    const done = [...result.restored, ...result.deleted];
    notify(
      done.length > 0
        ? t("chat.undo.done", { count: done.length, files: fileList(done) })
        : t("chat.undo.nothing"),
    );
    if (result.notRestorable.length > 0) {
      notifyError(
        t("chat.undo.notRestorable", {
          files: result.notRestorable.map((file) => `${file.path}: ${file.reason}`).join("; "),
        }),
      );
    }
    return true;
  } catch (error) {
    notifyError((error as Error).message);
    return false;
  }
}

/** "a.ts, b.md, c.txt +2 more": a few names, then how many others. */
export function fileList(paths: string[], shown = 3): string {
  const names = paths.slice(0, shown).join(", ");
  return paths.length > shown ? `${names} ${t("chat.undo.more", { count: paths.length - shown })}` : names;
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify(t("common.copied"), { timeoutMs: 1500 });
  } catch {
    notifyError(t("common.error"));
  }
}

const [continuing, setContinuing] = createSignal<string | undefined>();

/** The chat being summarised for "continue in a new chat", if any (buttons wait while it runs). */
export { continuing };

/**
 * "Continue in a new chat": the server writes a summary of this chat into a new one (it takes a model
 * call), which then opens. Errors are toasts; the old chat is unchanged either way.
 */
export async function continueInNewChat(sessionId: string): Promise<boolean> {
  if (continuing()) return false;
  setContinuing(sessionId);
  const toast = notify(t("chat.continuing"), { timeoutMs: 180_000 });
  try {
    const session = await call("POST /api/sessions/:id/continue", { params: { id: sessionId } });
    upsertSession(session);
    navigate(`/s/${session.id}`);
    return true;
  } catch (error) {
    notifyError((error as Error).message);
    return false;
  } finally {
    dismiss(toast);
    setContinuing(undefined);
  }
}
