/**
 * `submit_plan`: the end of a plan-mode investigation (src/agent/plan-mode.ts). Shows the plan to the
 * user as a question of purpose "plan" (src/shared/plan.ts) and waits. Approved (as proposed or
 * edited): the steps become the session's todo list and plan mode ends, so the same turn goes on in
 * normal mode. Rejected or dismissed: plan mode ends with the turn. Offered only to plan-mode turns
 * (the session runner adds it); needs `ctx.services.plan`.
 *
 * Details for the card: `{ summary, steps, decision, edited?, reason? }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import type { TodoItem } from "../shared/events.ts";
import { PLAN_MAX_STEPS, PLAN_QUESTION_ID, PLAN_STEP_LIMIT, planReviewOf } from "../shared/plan.ts";

export const submitPlanParameters = T.Object({
  summary: T.String({
    minLength: 1,
    maxLength: 4000,
    description: "What you found and what the plan achieves, in a few sentences.",
  }),
  steps: T.Array(T.String({ minLength: 1, maxLength: PLAN_STEP_LIMIT }), {
    minItems: 1,
    maxItems: PLAN_MAX_STEPS,
    description: "The concrete steps you will take, in order, one action each.",
  }),
});

export const submitPlanTool = defineTool({
  name: "submit_plan",
  description:
    "Plan mode only: propose your plan to the user and wait for their review. Call it once, after " +
    "investigating. The user approves (possibly after editing the steps) or rejects it. On approval you " +
    "continue in normal mode with the steps as your todo list; on rejection stop and wait for the user.",
  parameters: submitPlanParameters,
  kind: "interaction",
  async execute(params, ctx) {
    const plan = ctx.services.plan;
    if (!plan) throw new ToolError("There is no plan to submit: this request is not in plan mode.");
    if (!plan.active) throw new ToolError(`The plan was already ${plan.state}; do not submit it again.`);
    const steps = params.steps.map((step) => step.trim()).filter((step) => step.length > 0);
    if (steps.length === 0) throw new ToolError("The plan has no steps; list at least one.");
    const summary = params.summary.trim();
    const answers = await ctx.ask(
      [{ id: PLAN_QUESTION_ID, prompt: summary, kind: "multiple", options: steps }],
      "plan",
    );
    if (ctx.signal.aborted) throw new ToolError("The turn was stopped before the plan was reviewed.");
    const review = planReviewOf(answers, steps);
    if (review.decision === "reject") {
      plan.reject();
      return {
        text: review.reason
          ? `The user rejected the plan: ${review.reason}\nDo not carry it out. The turn ends here.`
          : "The user rejected the plan. Do not carry it out. The turn ends here.",
        details: { summary, steps, decision: "reject", ...(review.reason ? { reason: review.reason } : {}) },
      };
    }
    plan.approve();
    const todos: TodoItem[] = review.steps.map((text, index) => ({
      id: `t${index + 1}`,
      text,
      status: "pending",
    }));
    ctx.services.todos?.set(todos);
    const list = review.steps.map((step, index) => `${index + 1}. ${step}`).join("\n");
    return {
      text:
        `The user approved the plan${review.edited ? " after editing its steps (follow their version)" : ""}. ` +
        "Plan mode is over: you may now change files and run commands. The steps are your todo list: " +
        `work through them in order, marking each in_progress and then done with the todo tool.\n\n${list}`,
      details: { summary, steps: review.steps, decision: "approve", edited: review.edited },
    };
  },
});
