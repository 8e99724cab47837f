/**
 * API keys held in memory between turns.
 *
 * Policy (the contract of `ProviderRepository.access`):
 * - A key is read from the key store (keychain round trip, or the encrypted file's AES-GCM decryption)
 *   only when first needed: the first model call of a provider, a connection test, or Settings →
 *   Providers showing its masked hint. Nothing reads keys at start-up.
 * - Once read, it stays in memory while it is in use: each use restarts an idle timer, and
 *   `idleMs` (10 minutes by default) after its last use the key is dropped, so an idle Sage holds no
 *   decrypted key. A busy chat therefore reads its key once per idle period, not once per turn.
 * - Replacing or deleting a provider's key drops the cached copy at once (`forget`); shutting down
 *   drops them all (`clear`).
 * Concurrent first reads of the same ref share one store read.
 */

export const KEY_IDLE_MS = 10 * 60_000;

interface Held {
  value: Promise<string | undefined>;
  timer: ReturnType<typeof setTimeout>;
}

export class KeyCache {
  readonly #held = new Map<string, Held>();
  #reads = 0;

  constructor(private readonly idleMs = KEY_IDLE_MS) {}

  /** The key under `ref`, read through `load` when not held; each call restarts its idle timer. */
  get(ref: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const held = this.#held.get(ref);
    if (held) {
      clearTimeout(held.timer);
      held.timer = this.#timer(ref);
      return held.value;
    }
    this.#reads++;
    const value = load();
    this.#held.set(ref, { value, timer: this.#timer(ref) });
    // A failed or empty read is not kept: the next use asks the store again.
    value.then(
      (key) => {
        if (key === undefined) this.forget(ref);
      },
      () => this.forget(ref),
    );
    return value;
  }

  /** Drop the cached key of `ref` (its key changed or was deleted). */
  forget(ref: string): void {
    const held = this.#held.get(ref);
    if (!held) return;
    clearTimeout(held.timer);
    this.#held.delete(ref);
  }

  /** Drop every cached key. */
  clear(): void {
    for (const ref of [...this.#held.keys()]) this.forget(ref);
  }

  /** How many keys are held now. */
  get size(): number {
    return this.#held.size;
  }

  /** How many times a key was read from the store (tests and benchmarks). */
  get storeReads(): number {
    return this.#reads;
  }

  #timer(ref: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.forget(ref), this.idleMs);
    timer.unref?.();
    return timer;
  }
}
