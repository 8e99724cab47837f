/**
 * The delegate tool's card body: which sub-agent got the task, its chat's live status with a link that
 * opens it, the child's steps as they happen (the tool's progress lines), and its outcome. Once the
 * call ended the steps stay (from the result's details, or what the card last showed when the call
 * failed) and its answer shows below them; a failure's reason is the card's error line. The child's
 * approvals and questions show on this card too (they are asked in this session).
 */
import { createEffect, Show } from "solid-js";
import { childSessionOf, delegationSteps } from "../../../../../src/shared/delegation-progress.ts";
import type { ToolPart } from "../../../../../src/shared/parts.ts";
import { type MessageKey, t } from "../../../i18n/index.ts";
import { linkHandler } from "../../../lib/router.ts";
import { ensureSession, sessions } from "../../../state/sessions.ts";
import { lastDelegateSteps, rememberDelegateSteps } from "../../../state/tool-cards.ts";

type Input = { task?: unknown; agent?: unknown; subagent?: { name?: unknown } };

/** The sub-agent's name as the call gave it. */
export function delegateName(part: ToolPart): string {
  const input = (part.input ?? {}) as Input;
  const name = input.subagent?.name ?? input.agent;
  return typeof name === "string" ? name : "";
}

/** The child session of a delegate call: named by its progress or result, or a summary that links back. */
export function childSessionId(part: ToolPart): string | undefined {
  return (
    childSessionOf(part.progress ?? part.output?.text, part.output?.details) ??
    Object.values(sessions.byId).find((session) => session.parent?.partId === part.id)?.id
  );
}

export function DelegateBody(props: { part: ToolPart }) {
  const child = () => childSessionId(props.part);
  // After a reload the sidebar's list has no sub-agents' chats: fetch this one's summary (its status).
  createEffect(() => {
    const id = child();
    if (id && !sessions.byId[id]) void ensureSession(id);
  });
  const status = () => {
    const id = child();
    return id ? sessions.byId[id]?.status : undefined;
  };
  const task = () => {
    const value = ((props.part.input ?? {}) as Input).task;
    return typeof value === "string" ? value : "";
  };
  const steps = () => {
    const shown = delegationSteps(props.part.progress, props.part.output?.details);
    return shown.length > 0 || props.part.progress ? shown : lastDelegateSteps(props.part.id);
  };
  // What the card shows while the child runs, for after a failure (whose result keeps no steps).
  createEffect(() => {
    if (props.part.progress) rememberDelegateSteps(props.part.id, steps());
  });
  const ended = () => props.part.status === "completed" || props.part.status === "error";
  return (
    <div class="flex flex-col gap-2 text-xs" data-testid="delegate-body">
      <div class="flex items-center gap-2 flex-wrap">
        <span class="font-medium">{t("delegate.to", { name: delegateName(props.part) })}</span>
        <Show when={status()}>
          {(value) => (
            <span class="text-muted" data-testid="delegate-child-status">
              {t(`delegate.status.${value()}` as MessageKey)}
            </span>
          )}
        </Show>
        <Show when={child()}>
          {(id) => (
            <a
              href={`/s/${id()}`}
              onClick={linkHandler(`/s/${id()}`)}
              class="underline text-accent"
              data-testid="delegate-open-child"
            >
              {t("delegate.open")}
            </a>
          )}
        </Show>
      </div>
      <details>
        <summary class="text-muted cursor-pointer">{t("delegate.task")}</summary>
        <p class="m-0 mt-1 whitespace-pre-wrap">{task()}</p>
      </details>
      <Show when={steps().length > 0}>
        <pre class="m-0 font-mono whitespace-pre-wrap max-h-40 overflow-auto" data-testid="delegate-steps">
          {steps().join("\n")}
        </pre>
      </Show>
      <Show when={ended() && props.part.output?.text}>
        <section class="flex flex-col gap-1" data-testid="delegate-outcome">
          <h4 class="m-0 text-xs font-semibold">
            {t(
              props.part.output?.details?.stopped === true
                ? "delegate.outcome.stopped"
                : "delegate.outcome.answer",
            )}
          </h4>
          <pre class="m-0 font-mono whitespace-pre-wrap max-h-80 overflow-auto" data-testid="tool-output">
            {props.part.output?.text}
          </pre>
        </section>
      </Show>
    </div>
  );
}
