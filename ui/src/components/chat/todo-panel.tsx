/** The session's plan (todo tool), live. */
import { For, Show } from "solid-js";
import type { TodoItem } from "../../../../src/shared/events.ts";
import { type MessageKey, t } from "../../i18n/index.ts";

const MARK: Record<TodoItem["status"], string> = {
  pending: "○",
  in_progress: "◐",
  done: "●",
  cancelled: "⊘",
};

export function TodoPanel(props: { todos: TodoItem[] }) {
  const done = () => props.todos.filter((item) => item.status === "done").length;
  return (
    <Show when={props.todos.length > 0}>
      <details class="mx-auto w-full max-w-3xl px-4 mt-2" open data-testid="todo-panel">
        <summary class="text-xs text-muted cursor-pointer select-none">
          {t("todo.title")} · {done()}/{props.todos.length}
        </summary>
        <ul class="list-none m-0 mt-1 p-0 flex flex-col gap-0.5 text-sm">
          <For each={props.todos}>
            {(item) => (
              <li
                data-status={item.status}
                class={`flex gap-2 ${item.status === "done" || item.status === "cancelled" ? "text-muted line-through" : item.status === "in_progress" ? "text-accent font-medium" : ""}`}
              >
                <span aria-hidden="true">{MARK[item.status]}</span>
                <span class="sr-only">{t(`todo.status.${item.status}` as MessageKey)}:</span>
                <span>{item.text}</span>
              </li>
            )}
          </For>
        </ul>
      </details>
    </Show>
  );
}
