/**
 * Inline approval: what the tool will do (command, diff or URL), where it goes when that is this
 * computer or the local network, what "for this chat" / "always" will cover (a choice when the request
 * offers several scopes, narrowest first and preselected), and the four answers. Deny can carry a
 * reason the model receives. Keyboard: the first button takes focus so Enter allows once.
 */
import { createSignal, For, Match, onMount, Show, Switch } from "solid-js";
import type { ApprovalScope } from "../../../../src/shared/events.ts";
import type { PendingApproval } from "../../../../src/shared/transcript.ts";
import { t } from "../../i18n/index.ts";
import { send } from "../../state/connection.ts";
import { DiffView } from "./parts/diff-view.tsx";

export function ApprovalPrompt(props: { approval: PendingApproval; sessionId: string }) {
  const [denying, setDenying] = createSignal(false);
  const [reason, setReason] = createSignal("");
  const scopes = () => props.approval.scopes ?? [];
  const [scope, setScope] = createSignal(scopes()[0]?.pattern);
  let first!: HTMLButtonElement;
  onMount(() => focusWhenShown(first));
  const decide = (decision: "once" | "session" | "always" | "deny") => {
    const chosen = scope();
    send({
      type: "approve",
      sessionId: props.sessionId,
      approvalId: props.approval.approvalId,
      decision,
      ...(decision === "deny" && reason().trim() ? { reason: reason().trim() } : {}),
      ...((decision === "session" || decision === "always") && chosen !== undefined ? { scope: chosen } : {}),
    });
  };
  return (
    <fieldset
      class="m-0 min-w-0 border-0 border-t border-warn/40 bg-warn/8 px-3 py-2 flex flex-col gap-2"
      aria-label={t("approval.title", { tool: props.approval.tool })}
      data-testid="approval-prompt"
    >
      <div class="text-sm font-medium">{t("approval.title", { tool: props.approval.tool })}</div>
      {/* The title only when it says more than the detail below (a URL's title is often the URL). */}
      <Show when={!props.approval.title.includes(props.approval.detail)}>
        <div class="text-xs text-muted break-all" data-testid="approval-title">
          {props.approval.title}
        </div>
      </Show>
      <Switch>
        <Match when={props.approval.detailKind === "diff"}>
          <DiffView diff={props.approval.detail} maxLines={200} />
        </Match>
        <Match when={props.approval.detailKind === "command"}>
          <pre class="m-0 rounded bg-[#0f1411] text-[#d7e2dc] text-xs font-mono p-2 whitespace-pre-wrap">
            {props.approval.detail}
          </pre>
        </Match>
        <Match when={true}>
          <pre class="m-0 text-xs font-mono whitespace-pre-wrap break-all max-h-48 overflow-auto">
            {props.approval.detail}
          </pre>
        </Match>
      </Switch>
      <Show when={props.approval.locality}>
        {(locality) => (
          <p class="m-0 text-sm font-medium text-warn" role="note" data-testid="approval-locality">
            {t(`approval.locality.${locality()}`)}
          </p>
        )}
      </Show>
      <Show when={scopes().length > 0 && !denying()}>
        <ScopeChoice
          name={`approval-scope-${props.approval.approvalId}`}
          scopes={scopes()}
          chosen={scope()}
          onChoose={setScope}
        />
      </Show>
      <Show
        when={!denying()}
        fallback={
          <div class="flex gap-2 items-center">
            <input
              class="input py-1 text-sm"
              placeholder={t("approval.reason")}
              aria-label={t("approval.reason")}
              value={reason()}
              onInput={(e) => setReason(e.currentTarget.value)}
              onKeyDown={(e) => e.key === "Enter" && decide("deny")}
              ref={(el) => queueMicrotask(() => el.focus())}
              data-testid="deny-reason"
            />
            <button
              type="button"
              class="btn-danger"
              onClick={() => decide("deny")}
              data-testid="confirm-deny"
            >
              {t("approval.deny")}
            </button>
          </div>
        }
      >
        <div class="flex gap-2 flex-wrap">
          <button
            type="button"
            ref={first}
            class="btn-primary"
            onClick={() => decide("once")}
            data-testid="approve-once"
          >
            {t("approval.once")}
          </button>
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={() => decide("session")}
            data-testid="approve-session"
          >
            {t("approval.session")}
          </button>
          <button
            type="button"
            class="btn-ghost border border-line"
            onClick={() => decide("always")}
            data-testid="approve-always"
          >
            {t("approval.always")}
          </button>
          <button
            type="button"
            class="btn-ghost text-danger"
            onClick={() => setDenying(true)}
            data-testid="deny"
          >
            {t("approval.deny")}
          </button>
        </div>
      </Show>
    </fieldset>
  );
}

/** What "for this chat" / "always" will cover: one line, or a radio group when there is a choice. */
function ScopeChoice(props: {
  /** The radio group's name (unique per prompt: several may be open at once). */
  name: string;
  scopes: ApprovalScope[];
  chosen: string | undefined;
  onChoose: (pattern: string) => void;
}) {
  const label = (scope: ApprovalScope) => t(`approval.scope.${scope.kind}`, { target: scope.target });
  return (
    <Show
      when={props.scopes.length > 1}
      fallback={
        <p class="m-0 text-xs text-muted" data-testid="approval-scope">
          {t("approval.scopeLegend")} <span class="text-fg">{label(props.scopes[0] as ApprovalScope)}</span>
        </p>
      }
    >
      <fieldset class="m-0 p-0 border-0 flex flex-col gap-1 text-xs" data-testid="approval-scopes">
        <legend class="p-0 mb-1 text-muted">{t("approval.scopeLegend")}</legend>
        <For each={props.scopes}>
          {(scope) => (
            <label class="flex items-start gap-2 cursor-pointer">
              <input
                type="radio"
                class="mt-0.5"
                name={props.name}
                value={scope.pattern}
                checked={props.chosen === scope.pattern}
                onChange={() => props.onChoose(scope.pattern)}
                data-testid={`approval-scope-${scope.kind}`}
              />
              <span class="break-all">{label(scope)}</span>
            </label>
          )}
        </For>
      </fieldset>
    </Show>
  );
}

/**
 * Focus `button` as soon as it can take focus. A prompt that arrives in a transcript row the virtual
 * list has not measured yet is mounted hidden (`visibility: hidden`), where `focus()` does nothing;
 * so try again on the next frames (up to ~0.5 s), unless the user has moved the focus meanwhile.
 */
function focusWhenShown(button: HTMLButtonElement | undefined, framesLeft = 30): void {
  const before = document.activeElement;
  const attempt = (left: number) => {
    if (!button?.isConnected || document.activeElement === button || document.activeElement !== before)
      return;
    button.focus({ preventScroll: true });
    if (document.activeElement !== button && left > 0) requestAnimationFrame(() => attempt(left - 1));
  };
  attempt(framesLeft);
}
