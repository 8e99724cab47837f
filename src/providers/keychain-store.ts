/**
 * API keys in the OS keychain through `Bun.secrets` (libsecret's Secret Service on Linux, Keychain on
 * macOS, Credential Manager on Windows). Each secret is stored under service "sage" with its ref as the
 * account name. Works in a Worker as well as on the main thread (window mode runs the backend in one).
 */
import type { SecretStore } from "./secret-store.ts";

export const KEYCHAIN_SERVICE = "sage";

export class KeychainStore implements SecretStore {
  readonly kind = "keychain" as const;

  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  async get(ref: string): Promise<string | undefined> {
    const value = await Bun.secrets.get({ service: this.service, name: ref });
    return value ?? undefined;
  }

  async set(ref: string, value: string): Promise<void> {
    await Bun.secrets.set({ service: this.service, name: ref, value });
  }

  async delete(ref: string): Promise<void> {
    await Bun.secrets.delete({ service: this.service, name: ref });
  }
}
