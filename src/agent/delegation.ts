/**
 * The contract between the `delegate` tool and the session layer that runs sub-agents
 * (src/sessions/sub-agents.ts). One `DelegationService` per parent turn.
 *
 * Contract of `run`:
 * - Refusals (depth limit, the turn's delegation limit, an agent this one may not delegate to, tools
 *   the parent does not have) throw a `ToolError` whose message tells the model what to do instead.
 * - Otherwise the task runs as a child session; `ctx.progress` receives a first line naming the child
 *   session (src/shared/delegation.ts `childSessionLine`), then a line per step of the child.
 * - The parent's stop (`ctx.signal`) stops the child; `run` resolves once the child's turn has ended,
 *   with its status and final answer (cut to DELEGATION_ANSWER_LIMIT characters).
 * - The child's approvals and questions are asked in the parent's session, on the delegate call's card.
 */
import type { SubAgentSpec } from "../shared/delegation.ts";
import type { ToolContext } from "./tool-contract.ts";

export interface DelegationTarget {
  id: string;
  name: string;
  description: string;
}

export interface DelegationRequest {
  task: string;
  /** A configured agent, by id or name. */
  agent?: string;
  /** A sub-agent defined on the spot (runs as the parent's agent with these instructions and tools). */
  subagent?: SubAgentSpec;
}

export interface DelegationOutcome {
  childSessionId: string;
  name: string;
  status: "completed" | "stopped" | "error";
  /** The child's final answer (its last assistant text), bounded. */
  answer: string;
  truncated: boolean;
  /** Why the child's turn did not complete, when it did not. */
  reason?: string;
  /** The child's last steps (at most DELEGATION_STEPS_KEPT), as its progress lines showed them. */
  steps: string[];
}

export interface DelegationService {
  /** The configured agents this agent may delegate to. */
  targets(): DelegationTarget[];
  run(
    request: DelegationRequest,
    ctx: Pick<ToolContext, "signal" | "progress" | "callId" | "messageId" | "partId">,
  ): Promise<DelegationOutcome>;
}

declare module "./tool-contract.ts" {
  interface ToolServices {
    /** Sub-agents of the running turn (the delegate tool); absent outside a session turn. */
    delegation?: DelegationService;
  }
}
