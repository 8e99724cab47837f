/**
 * MCP server configurations: the list lives in the settings table (entry "mcpServers"), each secret
 * variable or header value in the key store under `mcp:<server>:env:<NAME>` / `mcp:<server>:header:<name>`
 * — never in the database, logs, exports or API answers (views carry `hasValue` only).
 *
 * Contract:
 * - `create` refuses a taken name (`ConflictError`); `update` keeps the name; both validate first
 *   (`ValidationError` with the first field issue) and write secrets before the list, so a failed key
 *   store write leaves the list as it was.
 * - A secret sent without a value (or with "") keeps its stored value; a value that stops being secret,
 *   or a removed server, has its stored secret deleted.
 * - `values()` reads secrets once into memory (every value goes to `onSecret`, for log redaction).
 */

import { Value } from "@sinclair/typebox/value";
import { ConflictError, NotFoundError, ValidationError } from "../core/errors.ts";
import type { SecretStore } from "../providers/secret-store.ts";
import type { SettingsRepository } from "../settings/repository.ts";
import {
  type McpNamedValue,
  type McpNamedValueView,
  McpServerInput,
  type McpServerView,
  mcpServerIssues,
} from "../shared/mcp.ts";
import { issueMessage } from "../shared/validation.ts";

export const MCP_SERVERS_ENTRY = "mcpServers";

export interface McpConfigStoreOptions {
  onSecret?(value: string): void;
}

/** A server's variables and headers with every secret resolved (what a launch needs). */
export interface McpResolvedValues {
  env: Record<string, string>;
  headers: Record<string, string>;
  /** Secrets that have no stored value (the panel says so). */
  missing: string[];
}

export class McpConfigStore {
  readonly #secretCache = new Map<string, string>();

  constructor(
    private readonly settings: SettingsRepository,
    private readonly secrets: SecretStore,
    private readonly options: McpConfigStoreOptions = {},
  ) {}

  /** Every stored config, secret values absent. Entries the schema rejects are skipped. */
  list(): McpServerInput[] {
    const entry = this.settings.readEntry(MCP_SERVERS_ENTRY);
    if (!Array.isArray(entry)) return [];
    return entry
      .map((item) => Value.Default(McpServerInput, structuredClone(item)))
      .filter((item): item is McpServerInput => Value.Check(McpServerInput, item));
  }

  find(name: string): McpServerInput | undefined {
    return this.list().find((server) => server.name === name);
  }

  get(name: string): McpServerInput {
    const found = this.find(name);
    if (!found) throw new NotFoundError("MCP server", name);
    return found;
  }

  view(config: McpServerInput): McpServerView {
    const show = (kind: "env" | "header", list: McpNamedValue[]): McpNamedValueView[] =>
      list.map((item) =>
        item.secret
          ? { name: item.name, secret: true, hasValue: this.#hasSecret(config.name, kind, item.name) }
          : { name: item.name, secret: false, value: item.value ?? "", hasValue: true },
      );
    return { ...config, env: show("env", config.env), headers: show("header", config.headers) };
  }

  async create(input: McpServerInput): Promise<McpServerInput> {
    const clean = validated(input);
    if (this.find(clean.name)) throw new ConflictError(`An MCP server named "${clean.name}" already exists.`);
    const stored = await this.#storeSecrets(clean, undefined);
    this.settings.writeEntry(MCP_SERVERS_ENTRY, [...this.list(), stored]);
    return stored;
  }

  async update(name: string, input: McpServerInput): Promise<McpServerInput> {
    const previous = this.get(name);
    const clean = validated({ ...input, name });
    const stored = await this.#storeSecrets(clean, previous);
    this.settings.writeEntry(
      MCP_SERVERS_ENTRY,
      this.list().map((server) => (server.name === name ? stored : server)),
    );
    return stored;
  }

  /**
   * Add or replace a server from a settings import, synchronously (inside the import's transaction).
   * Secret values are never taken from a file: each secret keeps a value already stored here under
   * the same name, and the names of those without one are returned (`missing`). A server with a
   * missing secret is stored disabled, so it cannot start until the user enters them.
   */
  putImported(input: McpServerInput): { stored: McpServerInput; missing: string[] } {
    const clean = validated(input);
    const missing: string[] = [];
    const strip = (kind: "env" | "header", list: McpNamedValue[]): McpNamedValue[] =>
      list.map((item) => {
        if (!item.secret) return { name: item.name, value: item.value ?? "", secret: false };
        if (!this.#hasSecret(clean.name, kind, item.name)) missing.push(item.name);
        return { name: item.name, secret: true };
      });
    const stored: McpServerInput = {
      ...clean,
      env: strip("env", clean.env),
      headers: strip("header", clean.headers),
    };
    if (missing.length > 0) stored.enabled = false;
    const exists = this.find(stored.name) !== undefined;
    this.settings.writeEntry(
      MCP_SERVERS_ENTRY,
      exists
        ? this.list().map((server) => (server.name === stored.name ? stored : server))
        : [...this.list(), stored],
    );
    return { stored, missing };
  }

  async remove(name: string): Promise<void> {
    const previous = this.get(name);
    this.settings.writeEntry(
      MCP_SERVERS_ENTRY,
      this.list().filter((server) => server.name !== name),
    );
    for (const item of previous.env) if (item.secret) await this.#deleteSecret(name, "env", item.name);
    for (const item of previous.headers) if (item.secret) await this.#deleteSecret(name, "header", item.name);
  }

  /** Variables and headers with secrets read from the key store. */
  async values(config: McpServerInput): Promise<McpResolvedValues> {
    const missing: string[] = [];
    const resolve = async (kind: "env" | "header", list: McpNamedValue[]) => {
      const out: Record<string, string> = {};
      for (const item of list) {
        if (!item.secret) {
          out[item.name] = item.value ?? "";
          continue;
        }
        const value = await this.#readSecret(config.name, kind, item.name);
        if (value === undefined) missing.push(item.name);
        else out[item.name] = value;
      }
      return out;
    };
    return {
      env: await resolve("env", config.env),
      headers: await resolve("header", config.headers),
      missing,
    };
  }

  async #storeSecrets(next: McpServerInput, previous: McpServerInput | undefined): Promise<McpServerInput> {
    const strip = async (kind: "env" | "header", list: McpNamedValue[]) => {
      const out: McpNamedValue[] = [];
      for (const item of list) {
        if (!item.secret) {
          out.push({ name: item.name, value: item.value ?? "", secret: false });
          continue;
        }
        if (item.value) await this.#writeSecret(next.name, kind, item.name, item.value);
        out.push({ name: item.name, secret: true });
      }
      return out;
    };
    const stored: McpServerInput = {
      ...next,
      env: await strip("env", next.env),
      headers: await strip("header", next.headers),
    };
    if (previous) {
      const keep = (kind: "env" | "header", list: McpNamedValue[]) =>
        new Set(list.filter((item) => item.secret).map((item) => refName(kind, item.name)));
      const kept = new Set([...keep("env", stored.env), ...keep("header", stored.headers)]);
      for (const [kind, list] of [
        ["env", previous.env],
        ["header", previous.headers],
      ] as const) {
        for (const item of list) {
          if (item.secret && !kept.has(refName(kind, item.name)))
            await this.#deleteSecret(previous.name, kind, item.name);
        }
      }
    }
    return stored;
  }

  #hasSecret(server: string, kind: "env" | "header", name: string): boolean {
    return this.#secretCache.has(secretRef(server, kind, name));
  }

  async #readSecret(server: string, kind: "env" | "header", name: string): Promise<string | undefined> {
    const ref = secretRef(server, kind, name);
    const cached = this.#secretCache.get(ref);
    if (cached !== undefined) return cached;
    const value = await this.secrets.get(ref).catch(() => undefined);
    if (value !== undefined) this.#remember(ref, value);
    return value;
  }

  async #writeSecret(server: string, kind: "env" | "header", name: string, value: string): Promise<void> {
    const ref = secretRef(server, kind, name);
    await this.secrets.set(ref, value);
    this.#remember(ref, value);
  }

  async #deleteSecret(server: string, kind: "env" | "header", name: string): Promise<void> {
    const ref = secretRef(server, kind, name);
    this.#secretCache.delete(ref);
    await this.secrets.delete(ref).catch(() => {});
  }

  #remember(ref: string, value: string): void {
    this.#secretCache.set(ref, value);
    this.options.onSecret?.(value);
  }

  /** Every secret value stored for any server (leak scans). */
  async secretValues(): Promise<string[]> {
    await this.loadSecrets();
    return [...this.#secretCache.values()];
  }

  /** Read every secret once (start-up, in the background), so views know `hasValue`. */
  async loadSecrets(): Promise<void> {
    for (const config of this.list()) await this.values(config);
  }
}

/** Headers are case-insensitive: their refs use the lower-case name. */
function refName(kind: "env" | "header", name: string): string {
  return kind === "header" ? `header:${name.toLowerCase()}` : `env:${name}`;
}

export function secretRef(server: string, kind: "env" | "header", name: string): string {
  return `mcp:${server}:${refName(kind, name)}`;
}

function validated(input: McpServerInput): McpServerInput {
  const value = Value.Default(McpServerInput, structuredClone(input)) as McpServerInput;
  const first = mcpServerIssues(value)[0];
  if (first) throw new ValidationError(issueMessage(first), first.field);
  const trimmed: McpServerInput = { ...value };
  if (trimmed.command !== undefined) trimmed.command = trimmed.command.trim();
  if (trimmed.url !== undefined) trimmed.url = trimmed.url.trim();
  if (trimmed.cwd !== undefined) trimmed.cwd = trimmed.cwd.trim() || undefined;
  if (trimmed.transport === "stdio") delete trimmed.url;
  else {
    delete trimmed.command;
    delete trimmed.cwd;
  }
  return trimmed;
}
