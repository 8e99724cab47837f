/** Agent configurations as stored (one JSON config per row) and the default agent. */
import type { Database } from "bun:sqlite";
import { Value } from "@sinclair/typebox/value";
import { ConflictError, NotFoundError, ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import { type Agent, AgentConfig, DEFAULT_AGENT_CONFIG } from "../shared/agent.ts";

interface AgentRow {
  id: string;
  name: string;
  config: string;
  is_default: number;
  created_at: number;
  updated_at: number;
}

export class AgentRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  list(): Agent[] {
    const rows = this.db
      .query("SELECT * FROM agents WHERE user_id = ? ORDER BY is_default DESC, name")
      .all(this.userId) as AgentRow[];
    return rows.map(toAgent);
  }

  get(id: string): Agent {
    const row = this.db
      .query("SELECT * FROM agents WHERE id = ? AND user_id = ?")
      .get(id, this.userId) as AgentRow | null;
    if (!row) throw new NotFoundError("Agent", id);
    return toAgent(row);
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

  create(config: AgentConfig, isDefault = false): Agent {
    const clean = validate(config);
    if (this.db.query("SELECT 1 FROM agents WHERE user_id = ? AND name = ?").get(this.userId, clean.name)) {
      throw new ConflictError(`An agent named "${clean.name}" already exists.`);
    }
    const id = newId("agt");
    const now = Date.now();
    this.db.transaction(() => {
      if (isDefault) this.db.query("UPDATE agents SET is_default = 0 WHERE user_id = ?").run(this.userId);
      this.db
        .query(
          "INSERT INTO agents (id, user_id, name, config, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(id, this.userId, clean.name, JSON.stringify(clean), isDefault ? 1 : 0, now, now);
    })();
    return this.get(id);
  }

  update(id: string, config: AgentConfig): Agent {
    const clean = validate(config);
    this.get(id);
    if (
      this.db
        .query("SELECT 1 FROM agents WHERE user_id = ? AND name = ? AND id != ?")
        .get(this.userId, clean.name, id)
    ) {
      throw new ConflictError(`An agent named "${clean.name}" already exists.`);
    }
    this.db
      .query("UPDATE agents SET name = ?, config = ?, updated_at = ? WHERE id = ?")
      .run(clean.name, JSON.stringify(clean), Date.now(), id);
    return this.get(id);
  }
}

function validate(config: AgentConfig): AgentConfig {
  const withDefaults = Value.Default(AgentConfig, structuredClone(config)) as AgentConfig;
  if (!Value.Check(AgentConfig, withDefaults)) {
    const first = [...Value.Errors(AgentConfig, withDefaults)][0];
    throw new ValidationError(
      `Invalid agent: ${first?.path ?? ""} ${first?.message ?? ""}`.trim(),
      first?.path.replace(/^\//, ""),
    );
  }
  if (!withDefaults.name.trim()) throw new ValidationError("The agent needs a name.", "name");
  return withDefaults;
}

function toAgent(row: AgentRow): Agent {
  const config = Value.Default(AgentConfig, JSON.parse(row.config)) as AgentConfig;
  return {
    id: row.id,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    config,
  };
}
