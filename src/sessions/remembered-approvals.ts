/**
 * Remembered "always for this agent" approvals (table approvals, written by the tool guard when the
 * user answers "always"), listed for Settings → Tools & approvals and revocable there. Revoking takes
 * effect at the next tool call: the guard reads the table for every call. Approvals remembered for a
 * single session live in that session's memory and are not listed here.
 */
import type { Database } from "bun:sqlite";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { NotFoundError } from "../core/errors.ts";
import type { RememberedApproval } from "../shared/tools-api.ts";

interface ApprovalRow {
  id: string;
  agent_id: string;
  tool: string;
  pattern: string;
  created_at: number;
}

export class RememberedApprovals {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
    private readonly agents: Pick<AgentRepository, "find">,
  ) {}

  /** Newest first, each with its agent's name when the agent still exists. */
  list(): RememberedApproval[] {
    const rows = this.db
      .query(
        "SELECT id, agent_id, tool, pattern, created_at FROM approvals WHERE user_id = ? ORDER BY created_at DESC, id DESC",
      )
      .all(this.userId) as ApprovalRow[];
    return rows.map((row) => {
      const agentName = this.agents.find(row.agent_id)?.config.name;
      return {
        id: row.id,
        agentId: row.agent_id,
        ...(agentName ? { agentName } : {}),
        tool: row.tool,
        pattern: row.pattern,
        createdAt: row.created_at,
      };
    });
  }

  /** Forget one approval; throws `NotFoundError` when there is none with this id. */
  revoke(id: string): void {
    const result = this.db.query("DELETE FROM approvals WHERE id = ? AND user_id = ?").run(id, this.userId);
    if (result.changes === 0) throw new NotFoundError("Remembered approval", id);
  }
}
