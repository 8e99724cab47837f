/**
 * Remembered "always for this agent" approvals (stored by src/store/approval-store.ts, added by the tool
 * guard when the user answers "always"), listed for Settings → Tools & approvals and revocable there. Revoking takes
 * effect at the next tool call: the guard reads the table for every call. Approvals remembered for a
 * single session live in that session's memory and are not listed here.
 */
import type { AgentRepository } from "../agent-configs/repository.ts";
import { NotFoundError } from "../core/errors.ts";
import type { RememberedApproval } from "../shared/tools-api.ts";
import type { ApprovalStore } from "../store/approval-store.ts";

export class RememberedApprovals {
  constructor(
    private readonly store: Pick<ApprovalStore, "list" | "remove">,
    private readonly agents: Pick<AgentRepository, "find">,
  ) {}

  /** Newest first, each with its agent's name when the agent still exists. */
  list(): RememberedApproval[] {
    return this.store.list().map((approval) => {
      const agentName = this.agents.find(approval.agentId)?.config.name;
      return {
        id: approval.id,
        agentId: approval.agentId,
        ...(agentName ? { agentName } : {}),
        tool: approval.tool,
        pattern: approval.pattern,
        createdAt: approval.createdAt,
      };
    });
  }

  /** Forget one approval; throws `NotFoundError` when there is none with this id. */
  revoke(id: string): void {
    if (!this.store.remove(id)) throw new NotFoundError("Remembered approval", id);
  }
}
