/**
 * The delegate tool's card body: which sub-agent got the task, its chat's live status with a link that
 * opens it, the child's steps as they happen (the tool's progress lines), and its final answer. The
 * child's approvals and questions show on this card too (they are asked in this session).
 */
import { createEffect, Show } from "solid-js";
import { childSessionOf } from "../../../../../src/shared/delegation.ts";
import type { ToolPart } from "../../../../../src/shared/parts.ts";
import { type MessageKey, t } from "../../../i18n/index.ts";
import { linkHandler } from "../../../lib/router.ts";
import { ensureSession, sessions } from "../../../state/sessions.ts";

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
  // Progress lines after the first (which names the child session) are the child's steps.
  const steps = () =>
    (props.part.progress ?? "")
      .split("\n")
      .filter((line) => line.startsWith("•"))
      .join("\n");
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
      <Show when={!props.part.output && steps()}>
        <pre class="m-0 font-mono whitespace-pre-wrap max-h-40 overflow-auto" data-testid="delegate-steps">
          {steps()}
        </pre>
      </Show>
      <Show when={props.part.output?.text}>
        <pre class="m-0 font-mono whitespace-pre-wrap max-h-80 overflow-auto" data-testid="tool-output">
          {props.part.output?.text}
        </pre>
      </Show>
    </div>
  );
}
