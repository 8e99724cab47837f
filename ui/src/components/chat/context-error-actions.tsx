/**
 * What to do when a conversation does not fit the model even after compacting (the turn ended with a
 * context-length error): one click each to switch this chat to the configured model with the largest
 * window and retry, or to continue in a new chat from a summary. Without a known larger model the first
 * button opens the model picker instead.
 */
import { createMemo, Show } from "solid-js";
import type { SessionModel } from "../../../../src/shared/session.ts";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { providers } from "../../state/providers.ts";
import { notifyError } from "../../state/toasts.ts";
import { continueInNewChat, continuing, regenerate } from "./actions.ts";

/** The window the server assumes for a model that does not state one (src/agent/context-budget.ts). */
const ASSUMED_WINDOW = 128_000;
const NUMBER = new Intl.NumberFormat();

export function ContextErrorActions(props: { sessionId: string; modelId?: string; userMessageId?: string }) {
  const bigger = createMemo(() => {
    const models = providers.list.flatMap((provider) =>
      provider.models.map((model) => ({ providerId: provider.id, model })),
    );
    const current = models.find((m) => m.model.id === props.modelId)?.model.contextWindow ?? ASSUMED_WINDOW;
    const larger = models.filter((m) => (m.model.contextWindow ?? 0) > current);
    larger.sort((a, b) => (b.model.contextWindow ?? 0) - (a.model.contextWindow ?? 0));
    return larger[0];
  });
  const useBigger = async (pick: SessionModel) => {
    try {
      await call("PATCH /api/sessions/:id", { params: { id: props.sessionId }, json: { model: pick } });
    } catch (error) {
      notifyError((error as Error).message);
      return;
    }
    if (props.userMessageId) await regenerate(props.sessionId, props.userMessageId);
  };
  const openPicker = () => {
    const select = document.querySelector<HTMLSelectElement>('[data-testid="model-picker"]');
    select?.focus();
    try {
      select?.showPicker();
    } catch {
      // Not every engine opens a select's list from script; the focus ring shows where it is.
    }
  };
  const button = "btn-ghost py-0.5 text-danger underline whitespace-nowrap";
  return (
    <span class="flex flex-wrap gap-x-2" data-testid="context-actions">
      <Show
        when={bigger()}
        fallback={
          <button type="button" class={button} onClick={openPicker} data-testid="context-pick-model">
            {t("error.contextPickModel")}
          </button>
        }
      >
        {(choice) => (
          <button
            type="button"
            class={button}
            onClick={() => void useBigger({ providerId: choice().providerId, model: choice().model.id })}
            data-testid="context-bigger-model"
          >
            {t("error.contextBiggerModel", {
              model: choice().model.id,
              window: NUMBER.format(choice().model.contextWindow ?? 0),
            })}
          </button>
        )}
      </Show>
      <button
        type="button"
        class={button}
        disabled={continuing() !== undefined}
        onClick={() => void continueInNewChat(props.sessionId)}
        data-testid="context-new-chat"
      >
        {t("error.contextNewChat")}
      </button>
    </span>
  );
}
