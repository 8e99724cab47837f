/** A task's runs, newest first: when, how, the outcome (with why), and a link to each run's chat. */
import { For, Show } from "solid-js";
import type { RunStatus, RunTrigger, TaskRun } from "../../../../src/shared/schedule.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";
import { formatTime } from "./task-times.ts";

const STATUS_CLASS: Record<RunStatus, string> = {
  running: "text-accent",
  waiting: "text-warn",
  completed: "text-ok",
  error: "text-danger",
  stopped: "text-muted",
  interrupted: "text-warn",
  skipped: "text-muted",
};

export function TaskHistory(props: { runs: TaskRun[] }) {
  return (
    <section class="flex flex-col gap-2" aria-labelledby="task-history-title">
      <div class="flex items-baseline gap-3">
        <h2 id="task-history-title" class="m-0 text-base font-semibold">
          {t("tasks.history")}
        </h2>
        <span class="text-xs text-muted">{t("tasks.history.updating")}</span>
      </div>
      <Show
        when={props.runs.length > 0}
        fallback={
          <p class="m-0 text-sm text-muted" data-testid="task-history-empty">
            {t("tasks.history.empty")}
          </p>
        }
      >
        <div class="overflow-x-auto">
          <table class="w-full text-sm border-collapse" data-testid="task-history">
            <thead>
              <tr class="text-left text-muted text-xs">
                <th class="font-medium py-1 pr-3">{t("tasks.history.started")}</th>
                <th class="font-medium py-1 pr-3">{t("tasks.history.ended")}</th>
                <th class="font-medium py-1 pr-3">{t("tasks.history.trigger")}</th>
                <th class="font-medium py-1 pr-3">{t("tasks.history.outcome")}</th>
                <th class="font-medium py-1">{t("tasks.history.chat")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.runs}>
                {(run) => (
                  <tr class="border-t border-line align-top" data-testid="task-run" data-status={run.status}>
                    <td class="py-1.5 pr-3 whitespace-nowrap">{formatTime(run.startedAt)}</td>
                    <td class="py-1.5 pr-3 whitespace-nowrap">{formatTime(run.endedAt)}</td>
                    <td class="py-1.5 pr-3">{triggerLabel(run.trigger)}</td>
                    <td class="py-1.5 pr-3">
                      <span class={`font-medium ${STATUS_CLASS[run.status]}`} data-testid="task-run-status">
                        {statusLabel(run.status)}
                      </span>
                      <Show when={run.detail}>
                        {(detail) => <span class="block text-xs text-muted">{detailText(detail())}</span>}
                      </Show>
                    </td>
                    <td class="py-1.5">
                      <Show when={run.sessionId}>
                        {(sessionId) => (
                          <a
                            href={`/s/${sessionId()}`}
                            onClick={linkHandler(`/s/${sessionId()}`)}
                            class="text-accent"
                            data-testid="task-run-chat"
                          >
                            {t("tasks.history.open")}
                          </a>
                        )}
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

/**
 * The server's history details are English sentences (agents read them too); the ones the scheduler
 * writes itself are shown in the user's language. A turn's error reason is shown as it came.
 */
const DETAILS: [RegExp, (match: RegExpExecArray) => string][] = [
  [
    /^Missed (once|\d+ times|more than \d+ times) while Sage was not running/,
    (m) => t("tasks.detail.skipped", { times: times(m[1]) }),
  ],
  [
    /^Made up for a missed schedule \(missed (once|\d+ times|more than \d+ times)\)\.$/,
    (m) => t("tasks.detail.madeUp", { times: times(m[1]) }),
  ],
  [/^Skipped: the previous run was still going\.$/, () => t("tasks.detail.overlap")],
  [/^Sage stopped during this run/, () => t("tasks.detail.crashed")],
  [/^Sage was closed during this run\.$/, () => t("tasks.detail.closed")],
  [/^Waiting for your approval: (.*)$/s, (m) => t("tasks.detail.approval", { title: m[1] ?? "" })],
  [/^Waiting for your answer to a question\.$/, () => t("tasks.detail.question")],
  [/^Waiting for your go-ahead to continue\.$/, () => t("tasks.detail.goAhead")],
  [/^Taken out of the queue before it started\.$/, () => t("tasks.detail.dequeued")],
];

function times(text: string | undefined): string {
  if (text === "once") return t("tasks.detail.once");
  const count = /(\d+)/.exec(text ?? "")?.[1] ?? "";
  return text?.startsWith("more")
    ? t("tasks.detail.moreThan", { count })
    : t("tasks.detail.times", { count });
}

export function detailText(detail: string): string {
  for (const [pattern, text] of DETAILS) {
    const match = pattern.exec(detail);
    if (match) return text(match);
  }
  return detail;
}

export function statusLabel(status: RunStatus): string {
  return t(`tasks.status.${status}` as MessageKey);
}

export function triggerLabel(trigger: RunTrigger): string {
  return t(`tasks.trigger.${trigger}` as MessageKey);
}
