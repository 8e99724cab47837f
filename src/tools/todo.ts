/** `todo`: the session's plan, shown live in the UI. The model sends the whole list each time. */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import type { TodoItem } from "../shared/events.ts";

const Status = T.Union([
  T.Literal("pending"),
  T.Literal("in_progress"),
  T.Literal("done"),
  T.Literal("cancelled"),
]);

export const todoParameters = T.Object({
  todos: T.Array(
    T.Object({
      id: T.Optional(T.String({ description: "Stable id; omit for new items" })),
      text: T.String({ minLength: 1, maxLength: 500 }),
      status: Status,
    }),
    { maxItems: 100, description: "The complete plan, in order. Replaces the previous list." },
  ),
});

const MARK: Record<TodoItem["status"], string> = {
  pending: "[ ]",
  in_progress: "[~]",
  done: "[x]",
  cancelled: "[-]",
};

export const todoTool = defineTool({
  name: "todo",
  description:
    "Keep a visible plan for multi-step work. Send the complete list every time (it replaces the old one). " +
    "Mark exactly one item in_progress while you work on it and mark items done as soon as they are finished. " +
    "Use it for tasks with three or more steps; skip it for trivial requests.",
  parameters: todoParameters,
  kind: "interaction",
  async execute(params, ctx) {
    const todos = ctx.services.todos;
    if (!todos) throw new ToolError("The plan is not available here (no session).");
    const items: TodoItem[] = params.todos.map((item, index) => ({
      id: item.id || `t${index + 1}`,
      text: item.text.trim(),
      status: item.status,
    }));
    todos.set(items);
    const done = items.filter((i) => i.status === "done").length;
    const lines = items.map((i) => `${MARK[i.status]} ${i.text}`);
    return {
      text: `Plan updated (${done}/${items.length} done):\n${lines.join("\n")}`,
      details: { todos: items },
    };
  },
});
