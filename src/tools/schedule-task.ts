/**
 * schedule_task: create a scheduled task from a chat — a prompt that an agent runs once at a time, or
 * on a cron pattern, in a new chat each time or in one chat. The task appears on the Tasks page at once.
 * Asks the user by default (kind "write"): a task makes an agent act later without them watching.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { describeTask, parseTime, requireScheduledTasks, taskDetails } from "./scheduled-task-support.ts";

const description = `Create a scheduled task: a prompt that an agent runs later on its own, once or repeatedly. The user sees and manages it on the Tasks page; every run is a chat they can open.

- One-time: \`at\` is an ISO 8601 date-time, e.g. "2026-12-24T09:00" (the computer's local time) or with an offset/Z.
- Recurring: \`cron\` is a cron pattern: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5" (9:00 on weekdays), "*/30 * * * *" (every 30 minutes). Give \`timezone\` (IANA, e.g. "Europe/Paris") to fix the zone; the computer's local time otherwise.
- The prompt must stand on its own: the run does not see this conversation (unless same_chat is true, where runs append to one chat).
- Missed runs (Sage closed, computer asleep): "skip" (default) or "run-once" to run once when Sage is back.
- agent_id: the agent that runs it (this agent when omitted).`;

export const scheduleTaskTool = defineTool({
  name: "schedule_task",
  description,
  kind: "write",
  parameters: T.Object({
    name: T.String({ minLength: 1, maxLength: 200, description: "A short name for the Tasks page." }),
    prompt: T.String({ minLength: 1, maxLength: 20_000, description: "What the agent does at each run." }),
    at: T.Optional(T.String({ description: "One-time: when to run (ISO 8601)." })),
    cron: T.Optional(T.String({ maxLength: 200, description: "Recurring: a cron pattern." })),
    timezone: T.Optional(T.String({ maxLength: 100, description: "IANA time zone of the cron pattern." })),
    same_chat: T.Optional(
      T.Boolean({ description: "Append every run to one chat (default: a new chat each run)." }),
    ),
    missed: T.Optional(T.Union([T.Literal("skip"), T.Literal("run-once")])),
    agent_id: T.Optional(T.String({ maxLength: 200 })),
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
