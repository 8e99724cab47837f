/**
 * `delegate`: hand a task to another configured agent, or to a sub-agent defined on the spot (name,
 * instructions, a subset of this agent's tools). Each call runs as a child session (its own context,
 * shown in its own chat, opened from this call's card) in this agent's workspace; several calls in one
 * step run in parallel and their answers come back in call order. Needs `ctx.services.delegation`
 * (src/agent/delegation.ts); refusals (depth, limits, targets) come back as tool errors.
 *
 * Details for the card: `{ childSessionId, name, status, truncated, steps }` (steps: the child's last
 * tool calls, as its progress lines showed them, so the card still shows them once the call ended).
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { SubAgentSpec } from "../shared/delegation.ts";

export const delegateParameters = T.Object({
  task: T.String({
    minLength: 1,
    maxLength: 50_000,
    description:
      "The complete task for the other agent: it sees nothing of this conversation, so include every fact, path and constraint it needs, and say what its answer should contain.",
  }),
  agent: T.Optional(
    T.String({
      description:
        "A configured agent to hand the task to (its name or id, from the list in your instructions).",
    }),
  ),
  subagent: T.Optional(
    T.Composite([SubAgentSpec], {
      description:
        "Or define a sub-agent for this task: a name, its instructions, and optionally which of your tools it may use (default: all of them).",
    }),
  ),
});

export const delegateTool = defineTool({
  name: "delegate",
  description:
    "Hand a self-contained task to another agent and get its final answer back. Give either `agent` (a configured agent) or `subagent` (one you define now: name, instructions, tools). " +
    "Call it several times in one step to run tasks in parallel. Use it for independent pieces of a big job (research, review, a separate part of the code); do small things yourself.",
  parameters: delegateParameters,
  kind: "interaction",
  async execute(params, ctx) {
    const delegation = ctx.services.delegation;
    if (!delegation) throw new ToolError("Delegation is not available here (no session).");
    if ((params.agent === undefined) === (params.subagent === undefined))
      throw new ToolError(
        "Give exactly one of `agent` (a configured agent) or `subagent` (one defined now).",
      );
    const outcome = await delegation.run(
      {
        task: params.task,
        ...(params.agent !== undefined ? { agent: params.agent } : {}),
        ...(params.subagent !== undefined ? { subagent: params.subagent } : {}),
      },
      ctx,
    );
    const details = {
      childSessionId: outcome.childSessionId,
      name: outcome.name,
      status: outcome.status,
      truncated: outcome.truncated,
      steps: outcome.steps,
    };
    if (outcome.status === "stopped")
      return {
        text: `${outcome.name} was stopped before it finished.\n\n${outcome.answer}`.trim(),
        details: { ...details, stopped: true },
      };
    if (outcome.status === "error")
      throw new ToolError(
        `${outcome.name} failed: ${outcome.reason ?? "unknown error"}${outcome.answer ? `\n\nIts last answer:\n${outcome.answer}` : ""}`,
      );
    return {
      text: outcome.answer || `${outcome.name} finished without an answer.`,
      details,
    };
  },
});
