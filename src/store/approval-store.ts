/**
 * The one owner of table `approvals`: approvals a user remembered "always for this agent", each for one
 * tool and one pattern (a command prefix, a host, a path, `*`: see src/sandbox/approval-scopes.ts).
 * Approvals remembered for a single session live in that session's memory and are never stored.
 *
 * Readers and writers: the session's tool guard (reads an agent's patterns for every call, adds one per
 * "always" answer), Settings → Tools & approvals (lists and revokes, src/sessions/remembered-approvals.ts)
 * and the agent repository (forgets an agent's approvals inside the transaction that deletes it).
 */
import type { Database } from "bun:sqlite";
import { newId } from "../core/ids.ts";

export interface StoredApproval {
  id: string;
  agentId: string;
  tool: string;
  pattern: string;
  createdAt: number;
}

interface ApprovalRow {
  id: string;
  agent_id: string;
  tool: string;
  pattern: string;
  created_at: number;
}

export class ApprovalStore {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /** Every remembered approval of the user, newest first. */
  list(): StoredApproval[] {
    const rows = this.db
      .query(
        "SELECT id, agent_id, tool, pattern, created_at FROM approvals WHERE user_id = ? ORDER BY created_at DESC, id DESC",
      )
      .all(this.userId) as ApprovalRow[];
    return rows.map((row) => ({
      id: row.id,
      agentId: row.agent_id,
      tool: row.tool,
      pattern: row.pattern,
      createdAt: row.created_at,
    }));
  }

  /** The patterns remembered for one agent and tool (read for every tool call: revoking acts at once). */
  patterns(agentId: string, tool: string): string[] {
    return (
      this.db
        .query("SELECT pattern FROM approvals WHERE user_id = ? AND agent_id = ? AND tool = ?")
        .all(this.userId, agentId, tool) as { pattern: string }[]
    ).map((row) => row.pattern);
  }

  /** Remember one approval; returns its id. */
  add(agentId: string, tool: string, pattern: string): string {
    const id = newId("apv");
    this.db
      .query(
        "INSERT INTO approvals (id, user_id, agent_id, tool, pattern, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(id, this.userId, agentId, tool, pattern, Date.now());
    return id;
  }

  /** Forget one approval; false when the user has none with this id. */
  remove(id: string): boolean {
    return (
      this.db.query("DELETE FROM approvals WHERE id = ? AND user_id = ?").run(id, this.userId).changes > 0
    );
  }

  /** Forget every approval of an agent (it is being deleted; runs inside the caller's transaction). */
  removeForAgent(agentId: string): void {
    this.db.query("DELETE FROM approvals WHERE user_id = ? AND agent_id = ?").run(this.userId, agentId);
  }
}
