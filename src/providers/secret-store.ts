/**
 * Where API keys live. Never in the database, logs, events or exports: a provider row holds only a
 * `key_ref` naming the secret here.
 */
export interface SecretStore {
  /** "keychain": the OS keychain (Secret Service); "encrypted-file": the fallback in the data dir. */
  readonly kind: "keychain" | "encrypted-file";
  get(ref: string): Promise<string | undefined>;
  set(ref: string, value: string): Promise<void>;
  delete(ref: string): Promise<void>;
  /** Resolves once `kind` is final (a store chosen at start decides in the background). */
  ready?(): Promise<unknown>;
}

/** "sk-abc…wxyz": enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 8) return "••••";
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}
