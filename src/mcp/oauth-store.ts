/**
 * OAuth credentials of remote MCP servers, in the key store like API keys (OS keychain or the encrypted
 * file) — never the database, logs or exports:
 *   `mcp:<server>:oauth:tokens`  the tokens as the SDK saved them (access, refresh, expiry, issuer)
 *   `mcp:<server>:oauth:client`  the client registration (dynamic registration's answer)
 *
 * Contract: reads are cached in memory after the first (so `signedIn` is synchronous once `load` ran);
 * every token and client secret read or written goes to `onSecret` (log redaction); `clear` removes
 * both entries. A value that is not valid JSON reads as absent.
 */
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { SecretStore } from "../providers/secret-store.ts";

/** Tokens with the time Sage received them (to show when they expire). */
export interface StoredTokens {
  tokens: OAuthTokens;
  savedAt: number;
}

type Kind = "tokens" | "client";

export class McpOAuthStore {
  readonly #cache = new Map<string, string | undefined>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly onSecret: (value: string) => void = () => {},
  ) {}

  async tokens(server: string): Promise<StoredTokens | undefined> {
    return parse<StoredTokens>(await this.#read(server, "tokens"));
  }

  async saveTokens(server: string, tokens: OAuthTokens): Promise<void> {
    this.onSecret(tokens.access_token);
    if (tokens.refresh_token) this.onSecret(tokens.refresh_token);
    await this.#write(
      server,
      "tokens",
      JSON.stringify({ tokens, savedAt: Date.now() } satisfies StoredTokens),
    );
  }

  async deleteTokens(server: string): Promise<void> {
    await this.#delete(server, "tokens");
  }

  async client(server: string): Promise<OAuthClientInformationMixed | undefined> {
    return parse<OAuthClientInformationMixed>(await this.#read(server, "client"));
  }

  async saveClient(server: string, client: OAuthClientInformationMixed): Promise<void> {
    if (client.client_secret) this.onSecret(client.client_secret);
    await this.#write(server, "client", JSON.stringify(client));
  }

  async deleteClient(server: string): Promise<void> {
    await this.#delete(server, "client");
  }

  /** Sign out: tokens and registration gone. */
  async clear(server: string): Promise<void> {
    await this.deleteTokens(server);
    await this.deleteClient(server);
  }

  /** Whether tokens are stored (from the cache; `load` first). */
  signedIn(server: string): boolean {
    return this.#cache.get(ref(server, "tokens")) !== undefined;
  }

  /** Read a server's entries into the cache. */
  async load(server: string): Promise<void> {
    await this.tokens(server);
    await this.client(server);
  }

  async #read(server: string, kind: Kind): Promise<string | undefined> {
    const key = ref(server, kind);
    if (this.#cache.has(key)) return this.#cache.get(key);
    const value = await this.secrets.get(key).catch(() => undefined);
    this.#cache.set(key, value);
    if (value !== undefined) redact(value, this.onSecret);
    return value;
  }

  async #write(server: string, kind: Kind, value: string): Promise<void> {
    const key = ref(server, kind);
    await this.secrets.set(key, value);
    this.#cache.set(key, value);
  }

  async #delete(server: string, kind: Kind): Promise<void> {
    const key = ref(server, kind);
    this.#cache.set(key, undefined);
    await this.secrets.delete(key).catch(() => {});
  }
}

export function oauthRef(server: string, kind: Kind): string {
  return `mcp:${server}:oauth:${kind}`;
}
const ref = oauthRef;

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The secret parts of a stored entry, for log redaction. */
function redact(text: string, onSecret: (value: string) => void): void {
  const value = parse<Record<string, unknown>>(text);
  const tokens = (value?.tokens ?? value) as Record<string, unknown> | undefined;
  for (const key of ["access_token", "refresh_token", "client_secret"]) {
    const secret = tokens?.[key];
    if (typeof secret === "string" && secret) onSecret(secret);
  }
}
