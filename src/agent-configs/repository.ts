/**
 * Agent configurations as stored (one JSON config per row) and the default agent.
 *
 * Contracts: there is always at least one agent (the default is created on first use, also by `list`,
 * so a brand-new install never lists none), and exactly one is the
 * default (deleting the default makes the oldest remaining one the default; the last agent cannot be
 * deleted). Names are unique per user, compared without case. Sessions of a deleted agent keep their
 * agent id; the runtime falls back to the default agent for them (src/sessions/turn-setup.ts).
 */
import type { Database } from "bun:sqlite";
import { Value } from "@sinclair/typebox/value";
import { ConflictError, NotFoundError, throwFirstIssue } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import { type Agent, AgentConfig, DEFAULT_AGENT_CONFIG, upgradeAgentConfig } from "../shared/agent.ts";
import { agentConfigIssues } from "../shared/agent-input.ts";
import { ApprovalStore } from "../store/approval-store.ts";
import { type WorkspaceRules, workspaceIssue } from "../workspace/workspace-location.ts";

interface AgentRow {
  id: string;
  name: string;
  config: string;
  is_default: number;
  created_at: number;
  updated_at: number;
}

const LAST_AGENT_MESSAGE = "Sage needs at least one agent: create another one before deleting this one.";

export class AgentRepository {
  /** An agent's remembered approvals go with it (deleted in the same transaction). */
  private readonly approvals: ApprovalStore;

  /**
   * `workspaceRules` gives the machine's workspace location rule (src/workspace/workspace-location.ts), read
   * at each save; without it only the machine-independent part (`/`, system folders) applies.
   */
  constructor(
    private readonly db: Database,
    private readonly userId: string,
    private readonly workspaceRules?: () => WorkspaceRules,
  ) {
    this.approvals = new ApprovalStore(db, userId);
  }

  list(): Agent[] {
    const rows = this.db
      .query("SELECT * FROM agents WHERE user_id = ? ORDER BY is_default DESC, name COLLATE NOCASE")
      .all(this.userId) as AgentRow[];
    return rows.length > 0 ? rows.map(toAgent) : [this.defaultAgent()];
  }

  get(id: string): Agent {
    const agent = this.find(id);
    if (!agent) throw new NotFoundError("Agent", id);
    return agent;
  }

  find(id: string): Agent | undefined {
    const row = this.db
      .query("SELECT * FROM agents WHERE id = ? AND user_id = ?")
      .get(id, this.userId) as AgentRow | null;
    return row ? toAgent(row) : undefined;
  }

  /** The default agent, created on first use. */
  defaultAgent(): Agent {
    const row = this.db
      .query("SELECT * FROM agents WHERE user_id = ? ORDER BY is_default DESC, created_at LIMIT 1")
      .get(this.userId) as AgentRow | null;
    return row ? toAgent(row) : this.create(DEFAULT_AGENT_CONFIG, true);
  }

  names(exceptId?: string): string[] {
    return (this.db.query("SELECT id, name FROM agents WHERE user_id = ?").all(this.userId) as AgentRow[])
      .filter((row) => row.id !== exceptId)
      .map((row) => row.name);
  }

  /** `base`, or `base (2)`, `base (3)` ... whichever is free. */
  uniqueName(base: string): string {
    const taken = new Set(this.names().map((name) => name.toLowerCase()));
    const trimmed = base.trim().slice(0, 72) || "Agent";
    if (!taken.has(trimmed.toLowerCase())) return trimmed;
    for (let n = 2; ; n++) {
      const candidate = `${trimmed} (${n})`;
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
  }

  create(config: AgentConfig, isDefault = false): Agent {
    const clean = this.validate(config);
    const id = newId("agt");
    const now = Date.now();
    this.db.transaction(() => {
      const first = !this.db.query("SELECT 1 FROM agents WHERE user_id = ?").get(this.userId);
      if (isDefault) this.db.query("UPDATE agents SET is_default = 0 WHERE user_id = ?").run(this.userId);
      this.db
        .query(
          "INSERT INTO agents (id, user_id, name, config, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(id, this.userId, clean.name, JSON.stringify(clean), isDefault || first ? 1 : 0, now, now);
    })();
    return this.get(id);
  }

  update(id: string, config: AgentConfig): Agent {
    this.get(id);
    const clean = this.validate(config, id);
    this.db
      .query("UPDATE agents SET name = ?, config = ?, updated_at = ? WHERE id = ?")
      .run(clean.name, JSON.stringify(clean), Date.now(), id);
    return this.get(id);
  }

  /** A copy named "<name> (copy)" (or "(copy) (2)" ...), never the default. */
  duplicate(id: string): Agent {
    const source = this.get(id);
    return this.create({ ...source.config, name: this.uniqueName(`${source.config.name} (copy)`) });
  }

  setDefault(id: string): Agent {
    this.get(id);
    this.db.transaction(() => {
      this.db.query("UPDATE agents SET is_default = 0 WHERE user_id = ?").run(this.userId);
      this.db.query("UPDATE agents SET is_default = 1, updated_at = ? WHERE id = ?").run(Date.now(), id);
    })();
    return this.get(id);
  }

  /** Delete an agent and its remembered approvals; refuses the last one (a `ConflictError`). */
  delete(id: string): void {
    const agent = this.get(id);
    this.db.transaction(() => {
      const count = (
        this.db.query("SELECT COUNT(*) AS n FROM agents WHERE user_id = ?").get(this.userId) as {
          n: number;
        }
      ).n;
      if (count <= 1) throw new ConflictError(LAST_AGENT_MESSAGE);
      this.db.query("DELETE FROM agents WHERE id = ?").run(id);
      this.approvals.removeForAgent(id);
      if (agent.isDefault) {
        const next = this.db
          .query("SELECT id FROM agents WHERE user_id = ? ORDER BY created_at LIMIT 1")
          .get(this.userId) as { id: string };
        this.db.query("UPDATE agents SET is_default = 1 WHERE id = ?").run(next.id);
      }
    })();
  }

  /** Agents that named a deleted provider go back to the default provider (and its models). */
  forgetProvider(providerId: string): number {
    let changed = 0;
    this.db.transaction(() => {
      for (const agent of this.list()) {
        if (agent.config.providerId !== providerId) continue;
        const { providerId: _provider, model: _model, fastModel: _fast, ...rest } = agent.config;
        this.db
          .query("UPDATE agents SET config = ?, updated_at = ? WHERE id = ?")
          .run(JSON.stringify(rest), Date.now(), agent.id);
        changed++;
      }
    })();
    return changed;
  }

  /**
   * Schema, name (non-empty, unique) and workspace (absolute, an allowed location, creatable); returns
   * the config with defaults.
   */
  validate(config: AgentConfig, exceptId?: string): AgentConfig {
    const withDefaults = Value.Default(
      AgentConfig,
      upgradeAgentConfig(structuredClone(config)),
    ) as AgentConfig;
    throwFirstIssue(agentConfigIssues(withDefaults, { takenNames: this.names(exceptId) }));
    const workspace = workspaceIssue(withDefaults.workspace, "workspace", this.workspaceRules?.());
    if (workspace) throwFirstIssue([workspace]);
    const clean = Value.Clean(AgentConfig, withDefaults) as AgentConfig;
    clean.name = clean.name.trim();
    if (clean.workspace !== undefined) {
      const trimmed = clean.workspace.trim();
      if (trimmed) clean.workspace = trimmed;
      else delete clean.workspace;
    }
    return clean;
  }
}

function toAgent(row: AgentRow): Agent {
  const config = Value.Default(AgentConfig, upgradeAgentConfig(JSON.parse(row.config))) as AgentConfig;
  return {
    id: row.id,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    config,
  };
}
