/**
 * update_scheduled_task: change a scheduled task — its prompt, name, schedule, agent, chat mode, missed
 * policy — or enable / disable it. Only the fields given change. Asks the user by default.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import type { TaskPatch } from "../shared/schedule.ts";
import { describeTask, parseTime, requireScheduledTasks, taskDetails } from "./scheduled-task-support.ts";

export const updateScheduledTaskTool = defineTool({
  name: "update_scheduled_task",
  description:
    "Change a scheduled task by id: only the fields given change (as in schedule_task). `enabled` false/true disables or enables it.",
  kind: "write",
  parameters: T.Object({
    id: T.String({ minLength: 1, maxLength: 200 }),
    enabled: T.Optional(T.Boolean()),
    name: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
    prompt: T.Optional(T.String({ minLength: 1, maxLength: 20_000 })),
    at: T.Optional(T.String()),
    cron: T.Optional(T.String({ maxLength: 200 })),
    timezone: T.Optional(T.String({ maxLength: 100 })),
    same_chat: T.Optional(T.Boolean()),
    missed: T.Optional(T.Union([T.Literal("skip"), T.Literal("run-once")])),
    agent_id: T.Optional(T.String({ maxLength: 200 })),
  }),
  describe(params) {
    const { id, ...changes } = params;
    return {
      title: `Change scheduled task ${id}`,
      detail: JSON.stringify(changes, null, 2),
      detailKind: "json",
    };
  },
  async execute(params, ctx) {
    const tasks = requireScheduledTasks(ctx);
    if (params.at && params.cron) throw new ToolError("Give `at` or `cron`, not both.");
    const patch: TaskPatch = {
      ...(params.enabled !== undefined ? { enabled: params.enabled } : {}),
      ...(params.name !== undefined ? { name: params.name } : {}),
      ...(params.prompt !== undefined ? { prompt: params.prompt } : {}),
      ...(params.at ? { kind: "once" as const, runAt: parseTime(params.at, "at") } : {}),
      ...(params.cron ? { kind: "cron" as const, cron: params.cron } : {}),
      ...(params.timezone !== undefined ? { timezone: params.timezone } : {}),
      ...(params.same_chat !== undefined
        ? { sessionMode: params.same_chat ? ("same" as const) : ("new" as const) }
        : {}),
      ...(params.missed ? { missedPolicy: params.missed } : {}),
      ...(params.agent_id ? { agentId: params.agent_id } : {}),
    };
    if (Object.keys(patch).length === 0)
      throw new ToolError("Nothing to change: give at least one field besides `id`.");
    const task = tasks.update(params.id, patch);
    return { text: `Updated:\n${describeTask(task)}`, details: taskDetails(task) };
  },
});
