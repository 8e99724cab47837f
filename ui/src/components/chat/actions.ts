/** Chat actions that go to the server (HTTP), with errors shown as toasts. */
import { t } from "../../i18n/index.ts";
import { api } from "../../lib/api.ts";
import { newClientTurnId } from "../../state/connection.ts";
import { notify, notifyError } from "../../state/toasts.ts";

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
    api(`/api/sessions/${sessionId}/regenerate`, {
      method: "POST",
      json: { messageId: userMessageId, clientTurnId: newClientTurnId() },
    }),
  );
}

export function editMessage(sessionId: string, messageId: string, text: string): Promise<boolean> {
  return attempt(() =>
    api(`/api/sessions/${sessionId}/edit`, {
      method: "POST",
      json: { messageId, text, clientTurnId: newClientTurnId() },
    }),
  );
}

export function switchVersion(sessionId: string, messageId: string): Promise<boolean> {
  return attempt(() =>
    api(`/api/sessions/${sessionId}/switch-version`, { method: "POST", json: { messageId } }),
  );
}

/** The sibling (other version) of a message, by position among its versions. */
export async function siblingOf(
  sessionId: string,
  messageId: string,
  direction: -1 | 1,
): Promise<string | undefined> {
  try {
    const result = await api<{ siblings: string[] }>(
      `/api/sessions/${sessionId}/messages/${messageId}/versions`,
    );
    const index = result.siblings.indexOf(messageId);
    return result.siblings[index + direction];
  } catch (error) {
    notifyError((error as Error).message);
    return undefined;
  }
}

export async function undoTurnFiles(sessionId: string, turnId: string): Promise<void> {
  try {
    const result = await api<{ restored: string[]; deleted: string[]; skipped?: string[] }>(
      `/api/sessions/${sessionId}/turns/${turnId}/undo`,
      { method: "POST", json: {} },
    );
    notify(`${t("chat.undoFiles")}: ${result.restored.length + result.deleted.length}`);
  } catch (error) {
    notifyError((error as Error).message);
  }
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify(t("common.copied"), { timeoutMs: 1500 });
  } catch {
    notifyError(t("common.error"));
  }
}
