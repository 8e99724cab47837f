/** delete_scheduled_task: remove a scheduled task and its run history (its chats stay). Asks by default. */
import { Type as T } from "@sinclair/typebox";
import { defineTool } from "../agent/tool-contract.ts";
import { requireScheduledTasks } from "./scheduled-task-support.ts";

export const deleteScheduledTaskTool = defineTool({
  name: "delete_scheduled_task",
  description: "Delete a scheduled task by id, with its run history (its chats stay).",
  kind: "write",
  parameters: T.Object({ id: T.String({ minLength: 1, maxLength: 200 }) }),
  describe(params) {
    return { title: `Delete scheduled task ${params.id}`, detail: params.id, detailKind: "json" };
  },
  async execute(params, ctx) {
    const tasks = requireScheduledTasks(ctx);
    const task = tasks.get(params.id);
    tasks.delete(params.id);
    return { text: `Deleted the scheduled task "${task.name}" [${task.id}].`, details: { taskId: task.id } };
  },
});
