/** The chat page: the empty state without a session, else the transcript and the composer. */
import { Show } from "solid-js";
import { t } from "../../i18n/index.ts";

export function ChatPage(props: { sessionId?: string; focusMessageId?: string }) {
  return (
    <Show when={props.sessionId} fallback={<p class="p-8 text-muted">{t("chat.noSession")}</p>}>
      <div class="p-8">{props.sessionId}</div>
    </Show>
  );
}
