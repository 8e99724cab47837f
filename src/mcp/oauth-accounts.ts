/**
 * The OAuth side of every remote MCP server: the sign-in in progress per server (at most one), the
 * provider a connection gets when tokens are stored, sign out, and the `auth` part of the panel's
 * status. The manager (manager.ts) owns one and restarts a server after it signed in or out.
 *
 * Contract: `signIn` cancels an earlier sign-in of the same server; `signOut` cancels one in progress
 * and deletes the tokens and the client registration from the key store; `status` is synchronous
 * (from the store's cache: `load` or a connection attempt reads it first).
 */
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { ValidationError } from "../core/errors.ts";
import type { McpAuthStatus, McpServerInput } from "../shared/mcp.ts";
import { SageOAuthProvider } from "./oauth-provider.ts";
import { McpSignIn } from "./oauth-sign-in.ts";
import type { McpOAuthStore } from "./oauth-store.ts";

export interface OAuthAccountsOptions {
  store: McpOAuthStore;
  /** Window mode: open a URL in the system browser. Serve mode: absent (the panel shows a link). */
  openBrowser?(url: string): boolean;
  signInTimeoutMs?: number;
  onChange(): void;
}

export class McpOAuthAccounts {
  readonly #signIns = new Map<string, McpSignIn>();
  /** Signed out since Sage started: the panel offers "Sign in" without a new connection attempt. */
  readonly #signedOut = new Set<string>();

  constructor(private readonly options: OAuthAccountsOptions) {}

  /** The provider for a connection of `config`, when a sign-in is stored (http/sse only). */
  async providerFor(config: McpServerInput): Promise<OAuthClientProvider | undefined> {
    if (config.transport === "stdio") return undefined;
    const { store } = this.options;
    await store.load(config.name);
    if (!store.signedIn(config.name)) return undefined;
    return new SageOAuthProvider({
      server: config.name,
      store,
      clientId: config.oauthClientId,
      mode: { kind: "connect", client: await store.client(config.name) },
    });
  }

  /**
   * Start a sign-in; resolves once the browser step is reached (or it ended). `onSignedIn` runs after
   * the tokens are stored.
   */
  async signIn(config: McpServerInput, onSignedIn: () => void): Promise<void> {
    if (config.transport === "stdio" || !config.url)
      throw new ValidationError(`"${config.name}" is not a remote (HTTP) server: it has no sign-in.`, "name");
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new ValidationError(`"${config.url}" is not a valid address.`, "url");
    }
    this.#signIns.get(config.name)?.cancel();
    this.#signedOut.delete(config.name);
    const signIn = new McpSignIn({
      server: config.name,
      url,
      store: this.options.store,
      clientId: config.oauthClientId,
      timeoutMs: this.options.signInTimeoutMs,
      openBrowser: this.options.openBrowser,
      onChange: () => this.options.onChange(),
    });
    this.#signIns.set(config.name, signIn);
    signIn.finished.then(onSignedIn, () => {});
    await signIn.start();
  }

  cancel(name: string): void {
    this.#signIns.get(name)?.cancel();
  }

  async signOut(name: string): Promise<void> {
    this.#signIns.get(name)?.cancel();
    this.#signIns.delete(name);
    this.#signedOut.add(name);
    await this.options.store.clear(name);
    this.options.onChange();
  }

  /** The server was removed: its sign-in goes, and nothing about it is remembered. */
  async forget(name: string): Promise<void> {
    await this.signOut(name);
    this.#signedOut.delete(name);
  }

  /** Read a server's stored sign-in into the cache (start-up). */
  async load(config: McpServerInput): Promise<void> {
    if (config.transport !== "stdio") await this.options.store.load(config.name);
  }

  status(config: McpServerInput, failedForSignIn: boolean): McpAuthStatus | undefined {
    if (config.transport === "stdio") return undefined;
    const needsSignIn = failedForSignIn || this.#signedOut.has(config.name);
    const signedIn = this.options.store.signedIn(config.name);
    const phase = this.#signIns.get(config.name)?.phase;
    if (!signedIn && !needsSignIn && !phase) return undefined;
    const status: McpAuthStatus = { signedIn, needsSignIn };
    if (phase?.phase === "waiting")
      status.signIn = { state: "waiting", url: phase.url, expiresAt: phase.expiresAt };
    else if (phase?.phase === "starting") status.signIn = { state: "starting" };
    else if (phase?.phase === "failed") status.signIn = { state: "failed", error: phase.message };
    return status;
  }

  dispose(): void {
    for (const signIn of this.#signIns.values()) signIn.cancel();
  }
}
