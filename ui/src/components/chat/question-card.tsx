/**
 * Questions from the agent (ask_user), the step limit ("continue?") or a detected loop (the same call
 * failing again and again, shown with its arguments and error), answered inline. Single choice is a
 * radio group, multiple a set of checkboxes, text a textarea. Survives reloads (it is an event).
 */

import { For, Match, Show, Switch } from "solid-js";
import { createStore } from "solid-js/store";
import type { RepeatedCall } from "../../../../src/shared/events.ts";
import type { PendingQuestion } from "../../../../src/shared/transcript.ts";
import { t } from "../../i18n/index.ts";
import { send } from "../../state/connection.ts";

export function QuestionCard(props: { question: PendingQuestion; sessionId: string }) {
  const [answers, setAnswers] = createStore<Record<string, string | string[]>>({});
  const submit = (event?: Event) => {
    event?.preventDefault();
    send({
      type: "answer",
      sessionId: props.sessionId,
      questionId: props.question.questionId,
      answers: { ...answers },
    });
  };
  const cancel = () =>
    send({
      type: "answer",
      sessionId: props.sessionId,
      questionId: props.question.questionId,
      cancelled: true,
    });
  const toggle = (id: string, option: string, on: boolean) => {
    const current = (answers[id] as string[] | undefined) ?? [];
    setAnswers(id, on ? [...current, option] : current.filter((o) => o !== option));
  };
  return (
    <form
      class="my-2 rounded-lg border border-accent/50 bg-accent/6 p-3 flex flex-col gap-3 text-sm"
      onSubmit={submit}
      data-testid="question-card"
      data-purpose={props.question.purpose}
    >
      <For each={props.question.questions}>
        {(question) => (
          <fieldset class="border-0 p-0 m-0 flex flex-col gap-1.5">
            <legend class="font-medium mb-1">
              {props.question.purpose === "continue"
                ? t("question.continueTitle")
                : props.question.purpose === "loop"
                  ? t("question.loopTitle")
                  : question.prompt}
            </legend>
            {props.question.purpose === "continue" && <p class="m-0 text-muted">{question.prompt}</p>}
            <Show when={props.question.purpose === "loop" && props.question.repeated}>
              {(repeated) => <RepeatedCallView call={repeated()} />}
            </Show>
            <Switch>
              <Match when={question.kind === "single"}>
                <For each={question.options ?? []}>
                  {(option) => (
                    <label class="flex items-center gap-2 cursor-pointer">
                      <input
                        type="radio"
                        name={`${props.question.questionId}-${question.id}`}
                        value={option}
                        onChange={() => setAnswers(question.id, option)}
                      />
                      {option}
                    </label>
                  )}
                </For>
              </Match>
              <Match when={question.kind === "multiple"}>
                <For each={question.options ?? []}>
                  {(option) => (
                    <label class="flex items-center gap-2 cursor-pointer">
                      <input
                        type="checkbox"
                        value={option}
                        onChange={(e) => toggle(question.id, option, e.currentTarget.checked)}
                      />
                      {option}
                    </label>
                  )}
                </For>
              </Match>
              <Match when={question.kind === "text"}>
                <textarea
                  class="input min-h-16"
                  aria-label={question.prompt}
                  onInput={(e) => setAnswers(question.id, e.currentTarget.value)}
                  data-testid="question-text"
                />
              </Match>
            </Switch>
          </fieldset>
        )}
      </For>
      <div class="flex gap-2">
        <button type="submit" class="btn-primary" data-testid="question-submit">
          {t("question.submit")}
        </button>
        <button type="button" class="btn-ghost" onClick={cancel} data-testid="question-cancel">
          {t("question.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The call a loop question is about: what failed, how often, with which arguments and error. */
function RepeatedCallView(props: { call: RepeatedCall }) {
  return (
    <div class="flex flex-col gap-1 mb-1" data-testid="repeated-call">
      <p class="m-0 text-muted">
        {t("question.loopBody", { tool: props.call.tool, count: props.call.count })}
      </p>
      <pre class="m-0 max-h-32 overflow-auto rounded bg-panel px-2 py-1 text-xs whitespace-pre-wrap break-all">
        {props.call.tool} {props.call.input}
      </pre>
      <p class="m-0 text-xs text-muted">{t("question.loopError")}</p>
      <pre class="m-0 max-h-24 overflow-auto rounded bg-panel px-2 py-1 text-xs text-danger whitespace-pre-wrap break-words">
        {props.call.error}
      </pre>
    </div>
  );
}
