/**
 * What a sub-agent's chat shows instead of the composer: the chat is read-only (its turns are started by
 * the parent's delegate call; the server refuses the user's messages there), so it names whose work it
 * is and for which chat, with a link to continue there. While the sub-agent works, Stop stops it here.
 */
import { createEffect, Show } from "solid-js";
import type { SessionSummary } from "../../../../src/shared/session.ts";
import { t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";
import { send } from "../../state/connection.ts";
import { ensureSession, sessions } from "../../state/sessions.ts";
import { StopIcon } from "../icons.tsx";

type ParentLink = NonNullable<SessionSummary["parent"]>;

export function SubAgentNote(props: {
  sessionId: string;
  parent: ParentLink;
  agentLabel: string;
  running: boolean;
}) {
  // The parent may be beyond the sidebar's loaded pages: fetch its summary for the title.
  createEffect(() => void ensureSession(props.parent.sessionId));
  const parentTitle = () => sessions.byId[props.parent.sessionId]?.title || t("delegate.parentUntitled");
  const href = () => `/s/${props.parent.sessionId}`;
  return (
    <div class="mx-auto w-full max-w-3xl px-4 pb-4 flex items-center gap-2">
      <p
        class="m-0 flex-1 rounded-xl border border-line bg-raised px-4 py-3 text-sm text-muted"
        role="note"
        data-testid="subagent-readonly"
      >
        {t("delegate.readOnly", { name: props.parent.name ?? props.agentLabel, parent: parentTitle() })}{" "}
        <a
          href={href()}
          onClick={linkHandler(href())}
          class="underline text-accent"
          data-testid="subagent-continue-link"
        >
          {t("delegate.readOnlyLink")}
        </a>
      </p>
      <Show when={props.running}>
        <button
          type="button"
          class="btn-danger"
          onClick={() => send({ type: "stop", sessionId: props.sessionId })}
          data-testid="stop"
        >
          <StopIcon size={12} /> {t("composer.stop")}
        </button>
      </Show>
    </div>
  );
}
