/**
 * Model providers as stored: the row (never the key) plus the key in the SecretStore under `key_ref`.
 *
 * Contract: a key goes in through `create`/`update` and comes out only through `access` (for a model
 * call). Every key seen is reported to `onSecret` (the logger redacts it from then on). `Provider`
 * values carry `hasKey` and a masked `keyHint`, never the key. Keys are read when first needed and
 * held in memory only while in use (the policy is in src/providers/key-cache.ts).
 */
import type { Database } from "bun:sqlite";
import type { ProviderAccess } from "../agent/providers.ts";
import { ConflictError, NotFoundError, throwFirstIssue } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { ModelInfo, Provider, ProviderKind } from "../shared/provider.ts";
import {
  type ProviderDraft,
  type ProviderUpdate,
  providerDraftIssues,
  providerUpdateIssues,
} from "../shared/provider-input.ts";
import { KeyCache } from "./key-cache.ts";
import { maskKey, type SecretStore } from "./secret-store.ts";
import { missingKeyHint } from "./select-secret-store.ts";

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
  created_at: number;
}

/** Kept for callers written before drafts were validated (tests seed providers with it). */
export type ProviderInput = ProviderDraft;

/** The stored key of a provider cannot be read (keychain gone, file damaged). */
export class MissingKeyError extends Error {
  override readonly name = "MissingKeyError";
  constructor(
    readonly providerName: string,
    hint: string,
  ) {
    super(`The API key of "${providerName}" cannot be read. ${hint} Enter it again in Settings → Providers.`);
  }
}

export interface ProviderRepositoryOptions {
  /** Called with every key the repository stores or reads (for log redaction). */
  onSecret?(value: string): void;
  /** How long a key read for a model call stays in memory after its last use (default 10 minutes). */
  keyIdleMs?: number;
}

export class ProviderRepository {
  /** Key hints cached in memory so listing providers touches the keychain once per key at most. */
  private readonly hints = new Map<string, string>();
  /** Keys read for model calls, dropped when idle (src/providers/key-cache.ts). */
  readonly keys: KeyCache;

  constructor(
    private readonly db: Database,
    private readonly userId: string,
    readonly secrets: SecretStore,
    private readonly options: ProviderRepositoryOptions = {},
  ) {
    this.keys = new KeyCache(options.keyIdleMs);
  }

  /** Drop every key held in memory (shutdown). */
  dispose(): void {
    this.keys.clear();
  }

  list(): Provider[] {
    return this.rows().map((row) => this.toProvider(row));
  }

  get(id: string): Provider {
    return this.toProvider(this.row(id));
  }

  find(id: string): Provider | undefined {
    const row = this.findRow(id);
    return row ? this.toProvider(row) : undefined;
  }

  defaultProvider(): Provider | undefined {
    const row = this.db
      .query("SELECT * FROM providers WHERE user_id = ? ORDER BY is_default DESC, created_at LIMIT 1")
      .get(this.userId) as ProviderRow | null;
    return row ? this.toProvider(row) : undefined;
  }

  /** Where keys are kept on this machine (waits for the keychain probe at start). */
  async keyStorage(): Promise<SecretStore["kind"]> {
    await this.secrets.ready?.();
    return this.secrets.kind;
  }

  /**
   * Read each stored key once to show its masked hint (and register it for redaction). Called when
   * Settings → Providers asks (not at start-up); the key itself is not kept.
   */
  async loadKeyHints(): Promise<void> {
    for (const row of this.rows()) {
      if (!row.key_ref || this.hints.has(row.id)) continue;
      try {
        const key = await this.secrets.get(row.key_ref);
        if (key) this.remember(row.id, key);
      } catch {
        // Unreadable keys show without a hint; `access` explains the problem when it matters.
      }
    }
  }

  async create(draft: ProviderDraft): Promise<Provider> {
    const clean = this.validateDraft(draft);
    const id = newId("prv");
    const keyRef = clean.apiKey ? `provider:${id}` : null;
    if (clean.apiKey && keyRef) {
      await this.secrets.set(keyRef, clean.apiKey);
      this.remember(id, clean.apiKey);
    }
    try {
      this.insert(id, clean, keyRef);
    } catch (error) {
      if (keyRef) await this.secrets.delete(keyRef).catch(() => {});
      throw error;
    }
    return this.get(id);
  }

  /** Insert without a key (portable import); runs inside the caller's transaction. */
  insertWithoutKey(draft: ProviderDraft): Provider {
    const clean = this.validateDraft({ ...draft, apiKey: undefined });
    const id = newId("prv");
    this.insert(id, clean, null);
    return this.get(id);
  }

  async update(id: string, update: ProviderUpdate): Promise<Provider> {
    const row = this.row(id);
    this.validateUpdate(row, update);
    let keyRef = row.key_ref;
    if (update.apiKey) {
      keyRef = row.key_ref ?? `provider:${id}`;
      this.keys.forget(keyRef);
      await this.secrets.set(keyRef, update.apiKey);
      this.remember(id, update.apiKey);
    } else if (update.clearKey && row.key_ref) {
      this.keys.forget(row.key_ref);
      await this.secrets.delete(row.key_ref);
      this.hints.delete(id);
      keyRef = null;
    }
    this.writeUpdate(row, update, keyRef);
    return this.get(id);
  }

  /** Update everything but the key (portable import); synchronous, so it fits in a transaction. */
  updateWithoutKey(id: string, update: Omit<ProviderUpdate, "apiKey" | "clearKey">): Provider {
    const row = this.row(id);
    this.validateUpdate(row, update);
    this.writeUpdate(row, update, row.key_ref);
    return this.get(id);
  }

  private validateUpdate(row: ProviderRow, update: ProviderUpdate): void {
    const others = this.rows()
      .filter((other) => other.id !== row.id)
      .map((other) => other.name);
    throwFirstIssue(providerUpdateIssues(update, { takenNames: others }));
    const merged = mergedModels(row, update);
    throwFirstIssue(
      providerDraftIssues({
        name: row.name,
        kind: row.kind,
        baseUrl: row.base_url,
        models: merged.models,
        defaultModel: merged.defaultModel ?? undefined,
        fastModel: merged.fastModel ?? undefined,
      }).filter((issue) => issue.field === "defaultModel" || issue.field === "fastModel"),
    );
  }

  private writeUpdate(row: ProviderRow, update: ProviderUpdate, keyRef: string | null): void {
    const merged = mergedModels(row, update);
    this.db
      .query(
        `UPDATE providers SET name = ?, kind = ?, preset = ?, base_url = ?, key_ref = ?, models = ?,
           default_model = ?, fast_model = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        update.name?.trim() ?? row.name,
        update.kind ?? row.kind,
        update.preset ?? row.preset,
        update.baseUrl?.trim() ?? row.base_url,
        keyRef,
        JSON.stringify(merged.models),
        merged.defaultModel,
        merged.fastModel,
        Date.now(),
        row.id,
      );
  }

  /** Delete the provider and its key; another provider becomes the default if it was. */
  async delete(id: string): Promise<void> {
    const row = this.row(id);
    this.db.transaction(() => {
      this.db.query("DELETE FROM providers WHERE id = ?").run(id);
      if (row.is_default === 1) {
        const next = this.db
          .query("SELECT id FROM providers WHERE user_id = ? ORDER BY created_at LIMIT 1")
          .get(this.userId) as { id: string } | null;
        if (next) this.db.query("UPDATE providers SET is_default = 1 WHERE id = ?").run(next.id);
      }
    })();
    this.hints.delete(id);
    if (row.key_ref) {
      this.keys.forget(row.key_ref);
      await this.secrets.delete(row.key_ref).catch(() => {});
    }
  }

  setDefault(id: string): Provider {
    this.row(id);
    this.db.transaction(() => {
      this.db.query("UPDATE providers SET is_default = 0 WHERE user_id = ?").run(this.userId);
      this.db.query("UPDATE providers SET is_default = 1, updated_at = ? WHERE id = ?").run(Date.now(), id);
    })();
    return this.get(id);
  }

  /** The stored key (for testing a saved provider's connection); undefined when none is stored. */
  async storedKey(id: string): Promise<string | undefined> {
    return (await this.access(id)).apiKey;
  }

  /** The provider with its key, for a model call (read once, then held while in use: see KeyCache). */
  async access(id: string): Promise<ProviderAccess> {
    const row = this.row(id);
    let apiKey: string | undefined;
    if (row.key_ref) {
      const ref = row.key_ref;
      try {
        apiKey = await this.keys.get(ref, () => this.secrets.get(ref));
      } catch {
        apiKey = undefined;
      }
      if (apiKey === undefined) throw new MissingKeyError(row.name, missingKeyHint(this.secrets.kind));
      this.remember(row.id, apiKey);
    }
    return { id: row.id, name: row.name, kind: row.kind, baseUrl: row.base_url, apiKey };
  }

  private validateDraft(draft: ProviderDraft): ProviderDraft {
    throwFirstIssue(providerDraftIssues(draft, { takenNames: this.rows().map((row) => row.name) }));
    return {
      ...draft,
      name: draft.name.trim(),
      baseUrl: draft.baseUrl.trim(),
      apiKey: draft.apiKey?.trim() || undefined,
    };
  }

  private insert(id: string, draft: ProviderDraft, keyRef: string | null): void {
    const now = Date.now();
    this.db.transaction(() => {
      if (
        this.db.query("SELECT 1 FROM providers WHERE user_id = ? AND name = ?").get(this.userId, draft.name)
      ) {
        throw new ConflictError(`A provider named "${draft.name}" already exists.`);
      }
      const first = !this.db.query("SELECT 1 FROM providers WHERE user_id = ?").get(this.userId);
      if (draft.isDefault)
        this.db.query("UPDATE providers SET is_default = 0 WHERE user_id = ?").run(this.userId);
      this.db
        .query(
          `INSERT INTO providers (id, user_id, name, kind, preset, base_url, key_ref, models, default_model, fast_model, is_default, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          this.userId,
          draft.name,
          draft.kind,
          draft.preset ?? null,
          draft.baseUrl,
          keyRef,
          JSON.stringify(draft.models ?? []),
          draft.defaultModel ?? null,
          draft.fastModel ?? null,
          draft.isDefault || first ? 1 : 0,
          now,
          now,
        );
    })();
  }

  private remember(id: string, key: string): void {
    this.hints.set(id, maskKey(key));
    this.options.onSecret?.(key);
  }

  private rows(): ProviderRow[] {
    return this.db
      .query("SELECT * FROM providers WHERE user_id = ? ORDER BY is_default DESC, name")
      .all(this.userId) as ProviderRow[];
  }

  private findRow(id: string): ProviderRow | undefined {
    const row = this.db
      .query("SELECT * FROM providers WHERE id = ? AND user_id = ?")
      .get(id, this.userId) as ProviderRow | null;
    return row ?? undefined;
  }

  private row(id: string): ProviderRow {
    const row = this.findRow(id);
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

function mergedModels(
  row: ProviderRow,
  update: Pick<ProviderUpdate, "models" | "defaultModel" | "fastModel">,
): { models: ModelInfo[]; defaultModel: string | null; fastModel: string | null } {
  return {
    models: update.models ?? (JSON.parse(row.models) as ModelInfo[]),
    defaultModel: update.defaultModel === undefined ? row.default_model : update.defaultModel || null,
    fastModel: update.fastModel === undefined ? row.fast_model : update.fastModel || null,
  };
}
