/**
 * The SDK's `OAuthClientProvider` for one remote MCP server, over `McpOAuthStore`.
 *
 * Two modes:
 * - `connect` (given to the Streamable HTTP / SSE transport when tokens are stored): the SDK sends the
 *   access token, refreshes it with the refresh token when the server answers 401, and saves the new
 *   tokens. When it would need the user (no refresh token, or the refresh was refused), the provider
 *   throws an `McpServerError` with `needsSignIn` instead of opening anything.
 * - `signIn` (src/mcp/oauth-sign-in.ts): the redirect URI is the sign-in's loopback listener; the
 *   authorization URL goes to `onAuthorizationUrl`; `state` and the PKCE verifier live in memory only.
 *
 * Client: a configured client id (the server's own settings) is used as is; otherwise the registration
 * the SDK made by dynamic client registration (RFC 7591) is kept. A sign-in whose loopback redirect
 * URI the stored registration does not list registers again (the port is random each time).
 *
 * A sign-in never touches what is stored until it succeeds: it ignores the stored tokens (it is the
 * interactive flow), keeps a new registration in memory, and writes registration and tokens together
 * when the code is exchanged; "invalidate" only forgets its own in-memory state. So a sign-in that
 * fails or is abandoned leaves the previous sign-in working.
 */
import type { OAuthClientProvider, OAuthDiscoveryState } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import type { McpOAuthStore } from "./oauth-store.ts";
import { McpServerError } from "./types.ts";

/** Where the redirect goes when nothing was registered yet (never used to listen). */
export const PLACEHOLDER_REDIRECT = "http://127.0.0.1/callback";

export interface OAuthProviderOptions {
  server: string;
  store: McpOAuthStore;
  /** A client id configured for this server (no dynamic registration). */
  clientId?: string;
  mode:
    | { kind: "connect"; client: OAuthClientInformationMixed | undefined }
    | { kind: "signIn"; redirectUrl: string; onAuthorizationUrl(url: URL): void };
}

export class SageOAuthProvider implements OAuthClientProvider {
  #verifier: string | undefined;
  /** signIn: the registration made by this sign-in, stored with the tokens. */
  #pendingClient: OAuthClientInformationMixed | undefined;
  #discovery: OAuthDiscoveryState | undefined;
  // Web Crypto, not node:crypto (which costs ~10 MB of resident memory to load at start-up).
  readonly #state = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

  constructor(private readonly options: OAuthProviderOptions) {}

  /** The `state` this sign-in sent (the callback must carry it back). */
  get expectedState(): string {
    return this.#state;
  }

  get redirectUrl(): string {
    const { mode } = this.options;
    if (mode.kind === "signIn") return mode.redirectUrl;
    return registeredRedirect(mode.client) ?? PLACEHOLDER_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "Sage",
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  state(): string {
    return this.#state;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    if (this.#pendingClient) return this.#pendingClient;
    const stored = await this.options.store.client(this.options.server);
    const { clientId, mode } = this.options;
    if (clientId) return stored?.client_id === clientId ? stored : { client_id: clientId };
    if (!stored) return undefined;
    if (mode.kind === "signIn" && !registeredRedirect(stored, mode.redirectUrl)) return undefined;
    return stored;
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    if (this.options.mode.kind === "signIn") this.#pendingClient = client;
    else await this.options.store.saveClient(this.options.server, client);
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    if (this.options.mode.kind === "signIn") return undefined;
    return (await this.options.store.tokens(this.options.server))?.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    const { store, server, mode } = this.options;
    if (mode.kind === "signIn") {
      const client = await this.clientInformation();
      if (client) await store.saveClient(server, client);
    }
    await store.saveTokens(server, tokens);
  }

  redirectToAuthorization(url: URL): void {
    const { mode } = this.options;
    if (mode.kind === "signIn") {
      mode.onAuthorizationUrl(url);
      return;
    }
    throw new McpServerError(
      this.options.server,
      `The sign-in to "${this.options.server}" has expired or was revoked: sign in again (Settings → MCP servers).`,
      { needsSignIn: true },
    );
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.#verifier) throw new Error("No PKCE code verifier: this sign-in was not started here.");
    return this.#verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discovery;
  }

  async invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): Promise<void> {
    const { store, server, mode } = this.options;
    const stored = mode.kind === "connect";
    if ((scope === "all" || scope === "tokens") && stored) await store.deleteTokens(server);
    if (scope === "all" || scope === "client") {
      this.#pendingClient = undefined;
      if (stored) await store.deleteClient(server);
    }
    if (scope === "all" || scope === "verifier") this.#verifier = undefined;
    if (scope === "all" || scope === "discovery") this.#discovery = undefined;
  }
}

/** The loopback redirect URI a registration lists (`wanted` when given and listed). */
function registeredRedirect(
  client: OAuthClientInformationMixed | undefined,
  wanted?: string,
): string | undefined {
  const uris = (client as { redirect_uris?: unknown } | undefined)?.redirect_uris;
  if (!Array.isArray(uris)) return undefined;
  const strings = uris.filter((uri): uri is string => typeof uri === "string");
  return wanted === undefined ? strings[0] : strings.find((uri) => uri === wanted);
}
