/**
 * Where keys go on this machine, decided once, on first use: the OS keychain when a round trip through
 * it works (set, get, delete of a probe secret, within a short timeout), else the encrypted file in the
 * data dir. Deciding on first use (not at start) keeps start-up free of D-Bus and never makes a desktop
 * keyring prompt appear before the user touches keys; every operation (and `ready()`) waits for it. Keys left in the encrypted file by an earlier run without a keychain
 * are moved into the keychain once one is reachable.
 */
import type { Logger } from "../core/logger.ts";
import type { EncryptedFileStore } from "./encrypted-file-store.ts";
import type { SecretStore } from "./secret-store.ts";

export const KEYCHAIN_PROBE_TIMEOUT_MS = 3000;

export class KeychainUnavailableError extends Error {
  override readonly name = "KeychainUnavailableError";
}

export interface SecretStoreSelectionOptions {
  /** The OS keychain (a `KeychainStore`), or undefined to use the fallback without probing. */
  keychain: SecretStore | undefined;
  fallback: EncryptedFileStore;
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * Ask the keychain for a secret that does not exist; throws `KeychainUnavailableError` with the reason.
 * Read-only on purpose: writing a probe makes desktop keyrings without a default collection pop up a
 * "create a new keyring" dialog before the user has done anything. Whether writes work is learnt on
 * the first real write (see `SelectedSecretStore.set`).
 */
export async function probeKeychain(
  keychain: SecretStore,
  timeoutMs = KEYCHAIN_PROBE_TIMEOUT_MS,
): Promise<void> {
  const ref = `probe:${crypto.randomUUID()}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KeychainUnavailableError(`the keychain did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const roundTrip = async () => {
    if ((await keychain.get(ref)) !== undefined) {
      throw new KeychainUnavailableError("the keychain answered a lookup for a secret that does not exist");
    }
  };
  try {
    await Promise.race([roundTrip(), timeout]);
  } catch (error) {
    if (error instanceof Error && error.name === "KeychainUnavailableError") throw error;
    throw new KeychainUnavailableError(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

export class SelectedSecretStore implements SecretStore {
  private selected: SecretStore | undefined;
  private selection: Promise<SecretStore> | undefined;
  /** Why the keychain is not used (undefined while deciding or when it is used). */
  fallbackReason: string | undefined;

  constructor(private readonly options: SecretStoreSelectionOptions) {}

  private chosen(): Promise<SecretStore> {
    this.selection ??= this.select();
    return this.selection;
  }

  /** "keychain" or "encrypted-file"; "encrypted-file" until the decision is made (see `ready`). */
  get kind(): SecretStore["kind"] {
    return this.selected?.kind ?? "encrypted-file";
  }

  /** The chosen store, once decided. */
  ready(): Promise<SecretStore> {
    return this.chosen();
  }

  async get(ref: string): Promise<string | undefined> {
    return (await this.chosen()).get(ref);
  }

  /** A keychain that refuses the write (locked, no collection, dialog cancelled): the key goes to the file. */
  async set(ref: string, value: string): Promise<void> {
    const store = await this.chosen();
    try {
      await store.set(ref, value);
    } catch (error) {
      if (store === this.options.fallback) throw error;
      this.fallbackReason = `the keychain refused to store a key (${(error as Error).message})`;
      this.options.logger?.warn(`${this.fallbackReason}; keys go to the encrypted file store`);
      this.selected = this.options.fallback;
      this.selection = Promise.resolve(this.options.fallback);
      await this.options.fallback.set(ref, value);
    }
  }

  async delete(ref: string): Promise<void> {
    await (await this.chosen()).delete(ref);
  }

  private async select(): Promise<SecretStore> {
    const { keychain, fallback, logger } = this.options;
    if (!keychain) {
      this.fallbackReason = "no keychain was offered";
      this.selected = fallback;
      return fallback;
    }
    try {
      await probeKeychain(keychain, this.options.timeoutMs);
    } catch (error) {
      this.fallbackReason = (error as Error).message;
      logger?.warn(`OS keychain unavailable (${this.fallbackReason}); keys go to the encrypted file store`);
      this.selected = fallback;
      return fallback;
    }
    await this.moveIntoKeychain(keychain, fallback);
    logger?.info("API keys are kept in the OS keychain");
    this.selected = keychain;
    return keychain;
  }

  /** Move secrets an earlier keychain-less run stored in the file; a failed move leaves them there. */
  private async moveIntoKeychain(keychain: SecretStore, fallback: EncryptedFileStore): Promise<void> {
    let refs: string[];
    try {
      refs = fallback.refs();
    } catch (error) {
      this.options.logger?.warn("could not read the encrypted key file to move its keys", error);
      return;
    }
    for (const ref of refs) {
      try {
        const value = await fallback.get(ref);
        if (value === undefined) continue;
        await keychain.set(ref, value);
        if ((await keychain.get(ref)) !== value) continue;
        await fallback.delete(ref);
      } catch (error) {
        this.options.logger?.warn(`could not move ${ref} into the keychain`, error);
      }
    }
  }
}

/**
 * The store the runtime reads when a secret is missing from the selected one: keys written to the
 * keychain by an earlier run stay unreadable when the keychain is gone (e.g. over SSH). Used to word
 * the error.
 */
export function missingKeyHint(kind: SecretStore["kind"]): string {
  return kind === "encrypted-file"
    ? "The OS keychain is not reachable now, and the key may have been saved there by an earlier run."
    : "The key is missing from the OS keychain.";
}
