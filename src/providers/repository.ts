/**
 * Model providers as stored: the row (never the key) plus the key in the SecretStore under `key_ref`.
 */
import type { Database } from "bun:sqlite";
import type { ProviderAccess } from "../agent/providers.ts";
import { ConflictError, NotFoundError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { ModelInfo, Provider, ProviderKind } from "../shared/provider.ts";
import { maskKey, type SecretStore } from "./secret-store.ts";

interface ProviderRow {
  id: string;
  name: string;
  kind: ProviderKind;
  preset: string | null;
  base_url: string;
  key_ref: string | null;
  models: string;
  default_model: string | null;
  fast_model: string | null;
  is_default: number;
}

export interface ProviderInput {
  name: string;
  kind: ProviderKind;
  preset?: string;
  baseUrl: string;
  apiKey?: string;
  models?: ModelInfo[];
  defaultModel?: string;
  fastModel?: string;
  isDefault?: boolean;
}

export class ProviderRepository {
  /** Key hints cached in memory so listing providers never touches the keychain. */
  private readonly hints = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly userId: string,
    readonly secrets: SecretStore,
  ) {}

  list(): Provider[] {
    const rows = this.db
      .query("SELECT * FROM providers WHERE user_id = ? ORDER BY is_default DESC, name")
      .all(this.userId) as ProviderRow[];
    return rows.map((row) => this.toProvider(row));
  }

  get(id: string): Provider {
    return this.toProvider(this.row(id));
  }

  defaultProvider(): Provider | undefined {
    const row = this.db
      .query("SELECT * FROM providers WHERE user_id = ? ORDER BY is_default DESC, created_at LIMIT 1")
      .get(this.userId) as ProviderRow | null;
    return row ? this.toProvider(row) : undefined;
  }

  async create(input: ProviderInput): Promise<Provider> {
    const id = newId("prv");
    const now = Date.now();
    const keyRef = input.apiKey ? `provider:${id}` : null;
    if (
      this.db.query("SELECT 1 FROM providers WHERE user_id = ? AND name = ?").get(this.userId, input.name)
    ) {
      throw new ConflictError(`A provider named "${input.name}" already exists.`);
    }
    if (input.apiKey && keyRef) {
      await this.secrets.set(keyRef, input.apiKey);
      this.hints.set(id, maskKey(input.apiKey));
    }
    const first = !this.db.query("SELECT 1 FROM providers WHERE user_id = ?").get(this.userId);
    this.db.transaction(() => {
      if (input.isDefault)
        this.db.query("UPDATE providers SET is_default = 0 WHERE user_id = ?").run(this.userId);
      this.db
        .query(
          `INSERT INTO providers (id, user_id, name, kind, preset, base_url, key_ref, models, default_model, fast_model, is_default, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          this.userId,
          input.name,
          input.kind,
          input.preset ?? null,
          input.baseUrl,
          keyRef,
          JSON.stringify(input.models ?? []),
          input.defaultModel ?? null,
          input.fastModel ?? null,
          input.isDefault || first ? 1 : 0,
          now,
          now,
        );
    })();
    return this.get(id);
  }

  /** The provider with its key, for a model call. */
  async access(id: string): Promise<ProviderAccess> {
    const row = this.row(id);
    const apiKey = row.key_ref ? await this.secrets.get(row.key_ref) : undefined;
    return { id: row.id, name: row.name, kind: row.kind, baseUrl: row.base_url, apiKey };
  }

  private row(id: string): ProviderRow {
    const row = this.db
      .query("SELECT * FROM providers WHERE id = ? AND user_id = ?")
      .get(id, this.userId) as ProviderRow | null;
    if (!row) throw new NotFoundError("Provider", id);
    return row;
  }

  private toProvider(row: ProviderRow): Provider {
    const provider: Provider = {
      id: row.id,
      name: row.name,
      kind: row.kind,
      baseUrl: row.base_url,
      hasKey: row.key_ref !== null,
      models: JSON.parse(row.models) as ModelInfo[],
      isDefault: row.is_default === 1,
    };
    if (row.preset) provider.preset = row.preset;
    if (row.default_model) provider.defaultModel = row.default_model;
    if (row.fast_model) provider.fastModel = row.fast_model;
    const hint = this.hints.get(row.id);
    if (hint) provider.keyHint = hint;
    return provider;
  }
}
