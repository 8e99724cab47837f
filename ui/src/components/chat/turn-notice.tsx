/**
 * Why the last turn did nothing, said in the chat: `/compact` with too little conversation (with the
 * numbers) or a failed summary request. Informational, not an error box: nothing was changed or lost.
 * It stays until the user closes it or the next turn starts (see state/transcripts.ts `noticeAfter`).
 */
import { Match, Switch } from "solid-js";
import type { TurnNotice } from "../../../../src/shared/events.ts";
import { t } from "../../i18n/index.ts";

const NUMBER = new Intl.NumberFormat();

type NoticeOf<C extends TurnNotice["code"]> = Extract<TurnNotice, { code: C }>;

function ofCode<C extends TurnNotice["code"]>(notice: TurnNotice, code: C): NoticeOf<C> | undefined {
  return notice.code === code ? (notice as NoticeOf<C>) : undefined;
}

export function TurnNoticeLine(props: { notice: TurnNotice; onDismiss(): void }) {
  return (
    <div
      class="mx-auto w-full max-w-3xl px-4"
      role="status"
      data-testid="turn-notice"
      data-code={props.notice.code}
    >
      <div class="flex items-start gap-2 rounded-md border border-line bg-raised px-3 py-2 text-xs">
        <span aria-hidden="true" class={props.notice.code === "compact-failed" ? "text-warn" : "text-accent"}>
          ⓘ
        </span>
        <p class="m-0 flex-1" data-testid="turn-notice-text">
          <Switch>
            <Match when={ofCode(props.notice, "nothing-to-compact")}>
              {(notice) => (
                <>
                  <span class="font-medium">{t("chat.notice.nothingToCompact")}</span>{" "}
                  {t("chat.notice.nothingToCompactWhy", {
                    messages: notice().messages,
                    kept: notice().keptMessages,
                    tokens: NUMBER.format(notice().tokens),
                    limit: NUMBER.format(notice().limit),
                  })}
                </>
              )}
            </Match>
            <Match when={ofCode(props.notice, "compact-failed")}>
              {(notice) => (
                <>
                  <span class="font-medium">{t("chat.notice.compactFailed")}</span>{" "}
                  {t("chat.notice.compactFailedWhy", { error: notice().error })}
                </>
              )}
            </Match>
          </Switch>
        </p>
        <button
          type="button"
          class="icon-btn w-5 h-5 shrink-0"
          aria-label={t("common.close")}
          title={t("common.close")}
          onClick={() => props.onDismiss()}
          data-testid="turn-notice-dismiss"
        >
          ×
        </button>
      </div>
    </div>
  );
}
