/**
 * schedule_task: create a scheduled task from a chat — a prompt that an agent runs once at a time, or
 * on a cron pattern, in a new chat each time or in one chat. The task appears on the Tasks page at once.
 * Asks the user by default (kind "write"): a task makes an agent act later without them watching.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { describeTask, parseTime, requireScheduledTasks, taskDetails } from "./scheduled-task-support.ts";

const description = `Schedule a prompt for an agent to run later on its own: once (\`at\`, ISO 8601 local time like "2026-12-24T09:00") or on a cron pattern (\`cron\`, e.g. "0 9 * * 1-5"). The run does not see this chat, so the prompt must stand alone. The user manages tasks on the Tasks page.`;

export const scheduleTaskTool = defineTool({
  name: "schedule_task",
  description,
  kind: "write",
  parameters: T.Object({
    name: T.String({ minLength: 1, maxLength: 200 }),
    prompt: T.String({ minLength: 1, maxLength: 20_000 }),
    at: T.Optional(T.String()),
    cron: T.Optional(T.String({ maxLength: 200 })),
    timezone: T.Optional(T.String({ maxLength: 100, description: "IANA zone for cron" })),
    same_chat: T.Optional(T.Boolean({ description: "one chat for all runs" })),
    missed: T.Optional(T.Union([T.Literal("skip"), T.Literal("run-once")])),
    agent_id: T.Optional(T.String({ maxLength: 200, description: "default: you" })),
  }),
  describe(params) {
    const when = params.cron ? `cron "${params.cron}"` : `at ${params.at ?? "?"}`;
    return { title: `Schedule "${params.name}" (${when})`, detail: params.prompt, detailKind: "json" };
  },
  async execute(params, ctx) {
    const tasks = requireScheduledTasks(ctx);
    if (Boolean(params.at) === Boolean(params.cron))
      throw new ToolError("Give exactly one of `at` (a one-time task) or `cron` (a recurring task).");
    const task = tasks.create(
      {
        name: params.name,
        prompt: params.prompt,
        agentId: params.agent_id ?? ctx.agentId,
        ...(params.cron
          ? {
              kind: "cron" as const,
              cron: params.cron,
              ...(params.timezone ? { timezone: params.timezone } : {}),
            }
          : { kind: "once" as const, runAt: parseTime(params.at ?? "", "at") }),
        sessionMode: params.same_chat ? "same" : "new",
        missedPolicy: params.missed ?? "skip",
      },
      "agent",
    );
    return {
      text: `Scheduled (now is ${new Date().toString()}):\n${describeTask(task)}`,
      details: taskDetails(task),
    };
  },
});
