/**
 * User settings in the `settings` table (user_id, key, value JSON): the typed keys of `UserSettings`
 * plus internal entries (the environment variable list) read and written through `readEntry` /
 * `writeEntry`. Missing or unreadable values fall back to their defaults, so a hand-edited database
 * never stops the app from starting.
 */
import type { Database } from "bun:sqlite";
import { Value } from "@sinclair/typebox/value";
import { throwFirstIssue } from "../core/errors.ts";
import {
  DEFAULT_SETTINGS,
  SettingsPatch,
  type UserSettings,
  UserSettings as UserSettingsSchema,
} from "../shared/settings.ts";
import { schemaIssues } from "../shared/validation.ts";

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof UserSettings)[];

export class SettingsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  get(): UserSettings {
    const settings: UserSettings = structuredClone(DEFAULT_SETTINGS);
    for (const key of SETTING_KEYS) {
      const value = this.readEntry(key);
      const schema = UserSettingsSchema.properties[key];
      if (value !== undefined && Value.Check(schema, value)) Object.assign(settings, { [key]: value });
    }
    return settings;
  }

  value<K extends keyof UserSettings>(key: K): UserSettings[K] {
    return this.get()[key];
  }

  /** Validate the whole patch first; an invalid value changes nothing. */
  update(patch: Partial<UserSettings>): UserSettings {
    throwFirstIssue(schemaIssues(SettingsPatch, patch));
    this.db.transaction(() => {
      for (const key of SETTING_KEYS) {
        if (patch[key] !== undefined) this.writeEntry(key, patch[key]);
      }
    })();
    return this.get();
  }

  /** A raw entry (parsed JSON), or undefined when absent or not JSON. */
  readEntry(key: string): unknown {
    const row = this.db
      .query("SELECT value FROM settings WHERE user_id = ? AND key = ?")
      .get(this.userId, key) as { value: string } | null;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value);
    } catch {
      return undefined;
    }
  }

  writeEntry(key: string, value: unknown): void {
    this.db
      .query(
        `INSERT INTO settings (user_id, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(this.userId, key, JSON.stringify(value), Date.now());
  }

  /** Run `work` in one transaction (for imports that must change all or nothing). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}
