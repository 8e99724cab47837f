/**
 * Web search API keys, one per provider, in the SecretStore (the OS keychain, or the encrypted fallback)
 * under `web-search:<provider>`; never in settings or the database. Each key read or written is reported
 * to `onSecret` (log redaction).
 */
import type { SecretStore } from "../providers/secret-store.ts";
import type { WebSearchProviderId } from "../shared/settings.ts";

export const WEB_SEARCH_KEY_MAX = 500;

export class WebSearchKeys {
  constructor(
    private readonly secrets: SecretStore,
    private readonly onSecret: (value: string) => void = () => {},
  ) {}

  private ref(provider: WebSearchProviderId): string {
    return `web-search:${provider}`;
  }

  async get(provider: WebSearchProviderId): Promise<string | undefined> {
    const value = await this.secrets.get(this.ref(provider));
    if (value) this.onSecret(value);
    return value || undefined;
  }

  async has(provider: WebSearchProviderId): Promise<boolean> {
    return (await this.get(provider)) !== undefined;
  }

  /** Store a key; an empty one deletes it. */
  async set(provider: WebSearchProviderId, key: string): Promise<void> {
    const value = key.trim();
    if (value === "") {
      await this.secrets.delete(this.ref(provider));
      return;
    }
    this.onSecret(value);
    await this.secrets.set(this.ref(provider), value);
  }
}
