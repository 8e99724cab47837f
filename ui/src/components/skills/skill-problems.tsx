/** A skill's problems, inline: which file (and line / field), what is wrong; errors styled as errors. */
import { For, Show } from "solid-js";
import type { SkillProblem } from "../../../../src/shared/skills.ts";
import { t } from "../../i18n/index.ts";

export function SkillProblems(props: {
  problems: readonly SkillProblem[];
  /** Called with a file when the user picks "open" on a problem in that file. */
  onOpenFile?: (file: string) => void;
}) {
  return (
    <Show when={props.problems.length > 0}>
      <ul
        class="m-0 p-0 list-none flex flex-col gap-1.5"
        data-testid="skill-problems"
        aria-label={t("skills.problems.label")}
      >
        <For each={props.problems}>
          {(problem) => (
            <li
              class={`rounded-md border px-3 py-2 text-sm ${
                problem.severity === "error"
                  ? "border-danger/50 bg-danger/10 text-fg"
                  : "border-warn/50 bg-warn/10 text-fg"
              }`}
              data-testid="skill-problem"
              data-severity={problem.severity}
            >
              <div class="flex items-center gap-2 flex-wrap">
                <span
                  class={`text-xs font-semibold uppercase tracking-wide ${
                    problem.severity === "error" ? "text-danger" : "text-warn"
                  }`}
                >
                  {problem.severity === "error" ? t("skills.problems.error") : t("skills.problems.warning")}
                </span>
                <span class="font-mono text-xs" data-testid="skill-problem-file">
                  {problem.file === "" ? t("skills.problems.folder") : problem.file}
                  {problem.line ? `:${problem.line}` : ""}
                </span>
                <Show when={problem.field}>
                  {(field) => (
                    <span class="text-xs text-muted">{t("skills.problems.field", { field: field() })}</span>
                  )}
                </Show>
                <Show when={props.onOpenFile && problem.file !== "" && !problem.file.startsWith("/")}>
                  <button
                    type="button"
                    class="ml-auto text-xs underline text-accent bg-transparent border-0 cursor-pointer p-0"
                    onClick={() => props.onOpenFile?.(problem.file)}
                  >
                    {t("skills.problems.open")}
                  </button>
                </Show>
              </div>
              <p class="m-0 mt-1 break-words" data-testid="skill-problem-message">
                {problem.message}
              </p>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
