/**
 * A session's todo list as a turn's tools see it (the `todo` tool, plan mode's steps): read from the
 * session row on each `get`, and on `set` stored there and announced with a `todo.updated` event, so
 * every window shows the new list and a reload finds it.
 */
import type { DraftEvent, TodoItem } from "../shared/events.ts";
import type { SessionRepository } from "./repository.ts";

export interface SessionTodos {
  get(): TodoItem[];
  set(items: TodoItem[]): void;
}

export function sessionTodos(
  repo: Pick<SessionRepository, "getSession" | "update">,
  sessionId: string,
  emit: (draft: DraftEvent) => void,
): SessionTodos {
  return {
    get: () => JSON.parse(repo.getSession(sessionId).todos) as TodoItem[],
    set: (items) => {
      repo.update(sessionId, { todos: JSON.stringify(items) });
      emit({ type: "todo.updated", sessionId, todos: items });
    },
  };
}
