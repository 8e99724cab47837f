/**
 * One OAuth sign-in to a remote MCP server (authorization code + PKCE, RFC 8252 loopback redirect):
 *
 * 1. a short-lived listener on 127.0.0.1 at a random port: its `/callback` is the redirect URI;
 * 2. the SDK's `auth()` discovers the metadata (RFC 9728 protected resource metadata, RFC 8414
 *    authorization server metadata), registers Sage when needed (RFC 7591) and builds the
 *    authorization URL with the PKCE challenge and a random `state`;
 * 3. the URL is opened in the system browser (window mode) and shown to the user as a link (always);
 * 4. the authorization server redirects the browser to the listener: `error` -> failed, a `state`
 *    other than this sign-in's -> refused and failed, a `code` -> exchanged at the token endpoint; the
 *    tokens go to the key store (McpOAuthStore);
 * 5. the listener closes on success, failure, `cancel()` or the timeout.
 *
 * Contract: `start()` resolves once the browser step is reached (or the sign-in ended without one, e.g.
 * a refresh token did the job); `finished` resolves when the sign-in succeeded and rejects with a
 * `McpSignInError` saying why it did not. `phase` is what the panel shows. Never leaves a listener open.
 */
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import type { Server } from "bun";
import { errorMessage } from "../core/errors.ts";
import { SageOAuthProvider } from "./oauth-provider.ts";
import type { McpOAuthStore } from "./oauth-store.ts";

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export type SignInPhase =
  | { phase: "starting" }
  | { phase: "waiting"; url: string; expiresAt: number }
  | { phase: "signedIn" }
  | { phase: "failed"; message: string };

export class McpSignInError extends Error {
  override readonly name = "McpSignInError";
}

export interface SignInOptions {
  server: string;
  /** The MCP server's URL (the protected resource). */
  url: URL;
  store: McpOAuthStore;
  clientId?: string;
  timeoutMs?: number;
  /** Opens the authorization URL in the system browser (window mode); absent in serve mode. */
  openBrowser?(url: string): boolean;
  /** The phase changed. */
  onChange(): void;
}

export class McpSignIn {
  #phase: SignInPhase = { phase: "starting" };
  #listener: Server<undefined> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #provider: SageOAuthProvider | undefined;
  #exchanging = false;
  #settle!: { resolve(): void; reject(error: McpSignInError): void };
  readonly finished: Promise<void>;

  constructor(private readonly options: SignInOptions) {
    this.finished = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Callers that only read `phase` must not see an unhandled rejection.
    this.finished.catch(() => {});
  }

  get phase(): SignInPhase {
    return this.#phase;
  }

  async start(): Promise<SignInPhase> {
    try {
      this.#listener = Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        fetch: (request) => this.#callback(request),
      });
      const redirectUrl = `http://127.0.0.1:${this.#listener.port}/callback`;
      let authorizationUrl: URL | undefined;
      this.#provider = new SageOAuthProvider({
        server: this.options.server,
        store: this.options.store,
        clientId: this.options.clientId,
        mode: { kind: "signIn", redirectUrl, onAuthorizationUrl: (url) => (authorizationUrl = url) },
      });
      const result = await auth(this.#provider, { serverUrl: this.options.url });
      if (result === "AUTHORIZED") {
        this.#succeed();
        return this.#phase;
      }
      if (!authorizationUrl) throw new Error("the SDK asked for a redirect without an authorization URL");
      const timeoutMs = this.options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
      this.#timer = setTimeout(
        () =>
          this.#fail(
            `No answer from the browser within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} (was the sign-in page closed?). Try again.`,
          ),
        timeoutMs,
      );
      this.#set({ phase: "waiting", url: authorizationUrl.href, expiresAt: Date.now() + timeoutMs });
      this.options.openBrowser?.(authorizationUrl.href);
    } catch (error) {
      this.#fail(`Could not start the sign-in: ${explain(error)}`);
    }
    return this.#phase;
  }

  cancel(): void {
    this.#fail("The sign-in was cancelled.");
  }

  async #callback(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/callback" || request.method !== "GET")
      return new Response("Not found", { status: 404 });
    if (this.#phase.phase !== "waiting" || this.#exchanging)
      return page(409, "This sign-in is no longer waiting for an answer. Go back to Sage.");
    const error = url.searchParams.get("error");
    const state = url.searchParams.get("state");
    const code = url.searchParams.get("code");
    if (state !== this.#provider?.expectedState) {
      this.#fail(
        "The answer to the sign-in did not carry this sign-in's state (state mismatch); Sage refused it. Try again.",
      );
      return page(400, "Sage refused this answer: its state does not match the sign-in Sage started.");
    }
    if (error) {
      const description = url.searchParams.get("error_description");
      this.#fail(
        `The authorization server did not sign you in: ${error}${description ? ` (${description.slice(0, 300)})` : ""}.`,
      );
      return page(400, "The sign-in did not complete. Sage shows why; you can close this tab.");
    }
    if (!code) {
      this.#fail("The authorization server answered without an authorization code.");
      return page(400, "No authorization code in the answer.");
    }
    this.#exchanging = true;
    try {
      if (!this.#provider) throw new Error("no sign-in in progress");
      await auth(this.#provider, { serverUrl: this.options.url, authorizationCode: code });
      this.#succeed();
      return page(200, `Sage is signed in to ${this.options.server}. You can close this tab.`);
    } catch (exchangeError) {
      this.#fail(`The token endpoint refused the authorization code: ${explain(exchangeError)}`);
      return page(502, "Sage could not finish the sign-in. It shows why; you can close this tab.");
    }
  }

  #succeed(): void {
    this.#set({ phase: "signedIn" });
    this.#close();
    this.#settle.resolve();
  }

  #fail(message: string): void {
    if (this.#phase.phase === "signedIn" || this.#phase.phase === "failed") return;
    this.#set({ phase: "failed", message });
    this.#close();
    this.#settle.reject(new McpSignInError(message));
  }

  #set(phase: SignInPhase): void {
    this.#phase = phase;
    this.options.onChange();
  }

  #close(): void {
    clearTimeout(this.#timer);
    const listener = this.#listener;
    this.#listener = undefined;
    // After the answer in flight is sent.
    if (listener) setTimeout(() => listener.stop(true), 50);
  }
}

function explain(error: unknown): string {
  const text = errorMessage(error);
  if (/does not support dynamic client registration/i.test(text))
    return "the authorization server does not support dynamic client registration; enter a client id for this server.";
  return text;
}

function page(status: number, text: string): Response {
  const escaped = text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c,
  );
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>Sage</title><body style="font-family:sans-serif;padding:2rem"><p>${escaped}</p></body>`,
    { status, headers: { "content-type": "text/html; charset=utf-8" } },
  );
}
