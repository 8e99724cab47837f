/**
 * A plan-mode turn's plan waiting for the user (a question of purpose "plan", src/shared/plan.ts):
 * the summary and numbered steps with Approve, Edit (the steps become a textarea, one per line, and
 * Approve sends the edited list) and Reject (with an optional reason). Survives reloads: it is a
 * pending question of the session's live state.
 */
import { createSignal, For, Show } from "solid-js";
import { PLAN_QUESTION_ID, PlanAnswerKey } from "../../../../src/shared/plan.ts";
import type { PendingQuestion } from "../../../../src/shared/transcript.ts";
import { t } from "../../i18n/index.ts";
import { send } from "../../state/connection.ts";

export function PlanCard(props: { question: PendingQuestion; sessionId: string }) {
  const plan = () => props.question.questions.find((q) => q.id === PLAN_QUESTION_ID);
  const steps = () => plan()?.options ?? [];
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createSignal("");
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal("");

  const answer = (answers: Record<string, string | string[]>) =>
    send({ type: "answer", sessionId: props.sessionId, questionId: props.question.questionId, answers });
  const editedSteps = () =>
    draft()
      .split("\n")
      .map((line) => line.replace(/^\s*\d+[.)]\s*/, "").trim())
      .filter((line) => line.length > 0);
  const approve = () =>
    answer({
      [PlanAnswerKey.decision]: "approve",
      [PlanAnswerKey.steps]: editing() ? editedSteps() : steps(),
    });
  const reject = () =>
    answer({
      [PlanAnswerKey.decision]: "reject",
      ...(reason().trim() ? { [PlanAnswerKey.reason]: reason().trim() } : {}),
    });

  return (
    <section
      class="my-2 rounded-lg border border-accent/50 bg-accent/6 p-3 flex flex-col gap-3 text-sm break-words"
      aria-label={t("plan.title")}
      data-testid="plan-card"
    >
      <h3 class="m-0 text-sm font-semibold">{t("plan.title")}</h3>
      <p class="m-0 whitespace-pre-wrap" data-testid="plan-summary">
        {plan()?.prompt}
      </p>
      <Show
        when={editing()}
        fallback={
          <ol class="m-0 pl-6 list-decimal flex flex-col gap-1" data-testid="plan-steps">
            <For each={steps()}>{(step) => <li>{step}</li>}</For>
          </ol>
        }
      >
        <label class="flex flex-col gap-1">
          <span class="text-xs text-muted">{t("plan.editHint")}</span>
          <textarea
            ref={(element) => queueMicrotask(() => element.focus())}
            class="input min-h-24 font-mono text-xs"
            value={draft()}
            onInput={(e) => setDraft(e.currentTarget.value)}
            data-testid="plan-edit"
          />
        </label>
      </Show>
      <Show when={rejecting()}>
        <label class="flex flex-col gap-1">
          <span class="text-xs text-muted">{t("plan.rejectReason")}</span>
          <input
            ref={(element) => queueMicrotask(() => element.focus())}
            class="input"
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            data-testid="plan-reject-reason"
          />
        </label>
      </Show>
      <div class="flex gap-2 flex-wrap">
        <Show
          when={!rejecting()}
          fallback={
            <>
              <button type="button" class="btn-danger" onClick={reject} data-testid="plan-reject-confirm">
                {t("plan.rejectConfirm")}
              </button>
              <button type="button" class="btn-ghost" onClick={() => setRejecting(false)}>
                {t("plan.cancelEdit")}
              </button>
            </>
          }
        >
          <button
            type="button"
            class="btn-primary"
            onClick={approve}
            disabled={editing() && editedSteps().length === 0}
            data-testid="plan-approve"
          >
            {t("plan.approve")}
          </button>
          <Show
            when={!editing()}
            fallback={
              <button type="button" class="btn-ghost" onClick={() => setEditing(false)}>
                {t("plan.cancelEdit")}
              </button>
            }
          >
            <button
              type="button"
              class="btn-ghost"
              onClick={() => {
                setDraft(steps().join("\n"));
                setEditing(true);
              }}
              data-testid="plan-edit-start"
            >
              {t("plan.edit")}
            </button>
          </Show>
          <button
            type="button"
            class="btn-ghost"
            onClick={() => setRejecting(true)}
            data-testid="plan-reject"
          >
            {t("plan.reject")}
          </button>
        </Show>
      </div>
    </section>
  );
}
