/**
 * Environment variables the user hands to tools and skills (Settings → Environment).
 *
 * Storage: the list (name, secret flag, and the value of non-secret variables) is the settings entry
 * "environment"; secret values live in the SecretStore under `env:<NAME>`, never in the database.
 * `load()` reads the secret values once into memory so `values()` — called synchronously when a turn
 * starts — needs no keychain round trip. Every secret value is reported to `onSecret` (log redaction).
 */

import { throwFirstIssue } from "../core/errors.ts";
import type { SecretStore } from "../providers/secret-store.ts";
import {
  type EnvironmentUpdate,
  type EnvironmentVariableInput,
  type EnvironmentVariableView,
  environmentIssues,
} from "../shared/settings.ts";
import type { SettingsRepository } from "./repository.ts";

export const ENVIRONMENT_ENTRY = "environment";

interface StoredVariable {
  name: string;
  secret: boolean;
  /** Non-secret variables only. */
  value?: string;
}

export interface EnvironmentOptions {
  onSecret?(value: string): void;
}

export class EnvironmentVariables {
  private readonly secretValues = new Map<string, string>();
  private loaded = false;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly secrets: SecretStore,
    private readonly options: EnvironmentOptions = {},
  ) {}

  /** True when secret variables exist, i.e. `load()` has keychain work to do. */
  hasSecrets(): boolean {
    return this.stored().some((variable) => variable.secret);
  }

  /** Read secret values into memory (once; later calls do nothing). Unreadable ones stay unset. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    for (const variable of this.stored()) {
      if (!variable.secret) continue;
      try {
        const value = await this.secrets.get(secretRef(variable.name));
        if (value !== undefined) this.remember(variable.name, value);
      } catch {
        // Shown as "no value" in Settings; the user can enter it again.
      }
    }
  }

  list(): EnvironmentVariableView[] {
    return this.stored().map((variable) =>
      variable.secret
        ? { name: variable.name, secret: true, hasValue: this.secretValues.has(variable.name) }
        : { name: variable.name, secret: false, value: variable.value ?? "", hasValue: true },
    );
  }

  /** The variables a tool process gets (secret ones included, when their value could be read). */
  values(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const variable of this.stored()) {
      const value = variable.secret ? this.secretValues.get(variable.name) : variable.value;
      if (value !== undefined) values[variable.name] = value;
    }
    return values;
  }

  /** Every secret value held (for scans that prove they leak nowhere). */
  secretValueList(): string[] {
    return [...this.secretValues.values()];
  }

  /**
   * Replace the whole list. Validated first (names, duplicates, sizes); a secret given without a value
   * keeps its stored one. Secret values of removed or no-longer-secret variables are deleted.
   */
  async replace(update: EnvironmentUpdate): Promise<EnvironmentVariableView[]> {
    throwFirstIssue(environmentIssues(update));
    const previous = this.stored();
    const next: StoredVariable[] = update.variables.map((variable) => toStored(variable));
    for (const variable of update.variables) {
      if (variable.secret && variable.value !== undefined) {
        await this.secrets.set(secretRef(variable.name), variable.value);
        this.remember(variable.name, variable.value);
      }
    }
    const keptSecrets = new Set(next.filter((variable) => variable.secret).map((variable) => variable.name));
    for (const variable of previous) {
      if (variable.secret && !keptSecrets.has(variable.name)) {
        await this.secrets.delete(secretRef(variable.name)).catch(() => {});
        this.secretValues.delete(variable.name);
      }
    }
    this.settings.writeEntry(ENVIRONMENT_ENTRY, next);
    return this.list();
  }

  /**
   * Merge variables from a settings import (inside the caller's transaction; no secret store work):
   * non-secret values are set, secret names are added without a value unless one is stored already.
   */
  mergeImported(variables: readonly EnvironmentVariableInput[]): number {
    throwFirstIssue(environmentIssues({ variables: [...variables] }));
    const merged = new Map(this.stored().map((variable) => [variable.name, variable]));
    for (const variable of variables) {
      if (variable.secret) {
        merged.set(variable.name, { name: variable.name, secret: true });
      } else {
        merged.set(variable.name, { name: variable.name, secret: false, value: variable.value ?? "" });
      }
    }
    this.settings.writeEntry(ENVIRONMENT_ENTRY, [...merged.values()]);
    return variables.length;
  }

  private remember(name: string, value: string): void {
    this.secretValues.set(name, value);
    this.options.onSecret?.(value);
  }

  private stored(): StoredVariable[] {
    const entry = this.settings.readEntry(ENVIRONMENT_ENTRY);
    if (!Array.isArray(entry)) return [];
    return entry.filter(
      (variable): variable is StoredVariable =>
        typeof variable === "object" &&
        variable !== null &&
        typeof variable.name === "string" &&
        typeof variable.secret === "boolean",
    );
  }
}

function toStored(variable: EnvironmentVariableInput): StoredVariable {
  return variable.secret
    ? { name: variable.name, secret: true }
    : { name: variable.name, secret: false, value: variable.value ?? "" };
}

export function secretRef(name: string): string {
  return `env:${name}`;
}
