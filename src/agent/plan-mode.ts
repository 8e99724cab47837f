/**
 * Plan mode: a per-message switch under which the agent may read and search but not change anything,
 * and ends by proposing a plan (the `submit_plan` tool) that the user approves, edits or rejects.
 *
 * Contract:
 * - While planning, the tool runner asks `refusal(tool, input)` before anything else (before the
 *   approval prompt); a reason refuses the call to the model with that reason. Which calls count as
 *   changes is the session layer's policy (src/sandbox/plan-mode-policy.ts), given to the constructor.
 * - `approve()` ends plan mode: the same turn goes on in normal mode (the loop rebuilds its system
 *   prompt without the plan-mode instruction; the runner stops refusing).
 * - `reject()` ends the turn: the loop returns after the current step's tool calls.
 * - A turn without plan mode has no `PlanMode` at all (`TurnRequest.planMode` undefined).
 */
import type { AnyTool } from "./tool-contract.ts";

export type PlanState = "planning" | "approved" | "rejected";

/** The system prompt section of a turn in plan mode. */
export const PLAN_MODE_INSTRUCTION = `PLAN MODE is on for this request. Investigate first: read files, search, list folders,
run only read-only shell commands. Do not change anything: writing or editing files, patches, shell
commands that change things and browser actions are refused until the user approves a plan.
When you understand the task, call submit_plan once with a short summary and the concrete steps you
will take. The user will approve, edit or reject it. If they approve, you continue in this same turn in
normal mode with the steps as your todo list.`;

/** The turn's reason when the user rejected the plan. */
export const PLAN_REJECTED = "The user rejected the plan.";

export class PlanMode {
  private current: PlanState = "planning";

  constructor(private readonly refuse: (tool: AnyTool, input: unknown) => string | undefined) {}

  get state(): PlanState {
    return this.current;
  }

  /** Still planning: changes are refused and the system prompt carries the plan-mode instruction. */
  get active(): boolean {
    return this.current === "planning";
  }

  /** Why this call may not run now, or undefined when it may (always, once plan mode ended). */
  refusal(tool: AnyTool, input: unknown): string | undefined {
    return this.active ? this.refuse(tool, input) : undefined;
  }

  approve(): void {
    if (this.current === "planning") this.current = "approved";
  }

  reject(): void {
    if (this.current === "planning") this.current = "rejected";
  }
}

declare module "./tool-contract.ts" {
  interface ToolServices {
    /** The turn's plan mode, when the user sent the message in plan mode (the submit_plan tool). */
    plan?: PlanMode;
  }
}
