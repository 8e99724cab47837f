/**
 * A turn sent in plan mode (`SubmitOptions.plan`): its `PlanMode` (refusing changes by the sandbox's
 * plan-mode policy), the submit_plan tool added to the agent's tools, and the plan offered to tools as
 * a service. A turn without plan mode is returned unchanged.
 */
import { PlanMode } from "../agent/plan-mode.ts";
import type { AnyTool, ToolServices } from "../agent/tool-contract.ts";
import { planModeRefusal } from "../sandbox/plan-mode-policy.ts";
import { submitPlanTool } from "../tools/submit-plan.ts";

export function planTurn(
  plan: boolean | undefined,
  tools: AnyTool[],
  services: ToolServices,
): { tools: AnyTool[]; services: ToolServices; planMode?: PlanMode } {
  if (!plan) return { tools, services };
  const planMode = new PlanMode(planModeRefusal);
  return {
    tools: [...tools.filter((tool) => tool.name !== submitPlanTool.name), submitPlanTool],
    services: { ...services, plan: planMode },
    planMode,
  };
}
