/** list_scheduled_tasks: the user's scheduled tasks (Tasks page), with next and last runs. Read-only. */
import { Type as T } from "@sinclair/typebox";
import { defineTool } from "../agent/tool-contract.ts";
import { describeTask, requireScheduledTasks } from "./scheduled-task-support.ts";

export const listScheduledTasksTool = defineTool({
  name: "list_scheduled_tasks",
  description: "List the scheduled tasks: ids, schedules, next and last runs.",
  kind: "read",
  parameters: T.Object({
    include_disabled: T.Optional(T.Boolean({ description: "default true" })),
  }),
  async execute(params, ctx) {
    const tasks = requireScheduledTasks(ctx);
    const all = tasks.list().filter((task) => params.include_disabled !== false || task.enabled);
    const paused = tasks.paused();
    if (all.length === 0) return { text: "There are no scheduled tasks.", details: { count: 0 } };
    return {
      text: `${all.length} scheduled task${all.length === 1 ? "" : "s"} (now is ${new Date().toString()})${paused ? "; scheduled work is paused by the user" : ""}:\n${all.map(describeTask).join("\n")}`,
      details: { count: all.length },
    };
  },
});
