/**
 * OAuth for remote MCP servers against a local authorization server + protected MCP server
 * (test/fixtures/mcp/oauth-server.ts), through the real backend's API: a 401 with OAuth metadata asks
 * for a sign-in; signing in discovers the metadata (RFC 9728 + RFC 8414), registers Sage (RFC 7591),
 * and the test plays the browser (fetches the authorization URL, follows the auto-approval's redirect
 * to Sage's loopback listener); tokens land in the key store (never the database, log or export); an
 * expired access token is refreshed; a wrong state, a refusal and a bad code end the sign-in with a
 * clear error; sign out deletes everything; a configured client id works without registration; the
 * wait ends at its timeout and closes the listener.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { McpSignIn, type McpSignInError } from "../../src/mcp/oauth-sign-in.ts";
import { McpOAuthStore } from "../../src/mcp/oauth-store.ts";
import type { SecretStore } from "../../src/providers/secret-store.ts";
import type { McpServerEntry, McpServerStatus } from "../../src/shared/mcp.ts";
import { type OAuthFixture, startOAuthFixture } from "../fixtures/mcp/oauth-server.ts";
import { useBackend } from "../support/backend.ts";

let fixture: OAuthFixture;

const backend = useBackend({ provider: false });
beforeAll(async () => {
  fixture = startOAuthFixture();
});
afterAll(async () => {
  fixture.stop();
});

async function entry(name: string): Promise<McpServerEntry> {
  const { body } = await backend().api<{ servers: McpServerEntry[] }>("/api/mcp/servers");
  const found = body.servers.find((server) => server.config.name === name);
  if (!found) throw new Error(`no server ${name}`);
  return found;
}

async function until(name: string, check: (entry: McpServerEntry) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await entry(name);
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(last.status)}`);
    await Bun.sleep(50);
    last = await entry(name);
  }
  return last;
}

async function addRemote(name: string, url: string, extra: Record<string, unknown> = {}) {
  const { status } = await backend().api("/api/mcp/servers", {
    json: {
      name,
      transport: "http",
      url,
      initTimeoutSec: 5,
      ...extra,
    },
  });
  expect(status).toBe(200);
}

async function startSignIn(name: string): Promise<URL> {
  const { status, body } = await backend().api<McpServerStatus>(`/api/mcp/servers/${name}/sign-in`, {
    json: {},
  });
  expect(status).toBe(200);
  expect(body.auth?.signIn?.state).toBe("waiting");
  return new URL(body.auth?.signIn?.url ?? "");
}

/** The browser's part: the authorization page auto-approves; its redirect is the loopback URL. */
async function approve(authorizationUrl: URL): Promise<URL> {
  const response = await fetch(authorizationUrl, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

function dataFilesText(): string {
  return readdirSync(backend().paths.data)
    .filter((file) => file.startsWith("sage.db"))
    .map((file) => readFileSync(join(backend().paths.data, file)).toString("latin1"))
    .join("\n");
}

describe("OAuth sign-in to a remote MCP server", () => {
  test("a 401 with OAuth metadata asks for a sign-in", async () => {
    await addRemote("remote", fixture.url);
    await backend().api(`/api/mcp/servers/remote/restart`, { json: {} });
    const failed = await until("remote", (e) => e.status.state === "error");
    expect(failed.status.auth).toEqual({ signedIn: false, needsSignIn: true });
    expect(failed.status.lastError).toContain("wants you to sign in");
  });

  test("sign in: discovery, registration, PKCE, the loopback redirect; tokens only in the key store", async () => {
    const authorizationUrl = await startSignIn("remote");
    expect(authorizationUrl.origin).toBe(fixture.origin);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("state")?.length).toBeGreaterThan(30);
    const redirectUri = authorizationUrl.searchParams.get("redirect_uri") ?? "";
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(fixture.registrations.map((client) => client.redirect_uris)).toEqual([[redirectUri]]);

    const callback = await approve(authorizationUrl);
    expect(callback.href.startsWith(redirectUri)).toBe(true);
    const answer = await fetch(callback);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("signed in to remote");

    const ready = await until("remote", (e) => e.status.state === "ready");
    expect(ready.status.auth?.signedIn).toBe(true);
    expect(ready.status.tools.map((tool) => tool.name)).toEqual(["whoami"]);
    const stored = await backend().running.backend.context.mcp.oauthStore.tokens("remote");
    const accessToken = stored?.tokens.access_token ?? "";
    expect(fixture.validAccessTokens()).toContain(accessToken);
    // Never the database, the log or an export.
    expect(dataFilesText()).not.toContain(accessToken);
    expect(backend().logText()).not.toContain(accessToken);
    const exported = await backend().http("/api/settings/export");
    const text = await exported.text();
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(stored?.tokens.refresh_token ?? "-");
    // The listener is gone.
    expect(fetch(callback)).rejects.toThrow();
  });

  test("an expired access token is refreshed with the refresh token", async () => {
    const before = (await backend().running.backend.context.mcp.oauthStore.tokens("remote"))?.tokens;
    fixture.expireAccessTokens();
    await backend().api(`/api/mcp/servers/remote/restart`, { json: {} });
    await until("remote", (e) => e.status.state === "ready");
    expect(fixture.grants.refresh).toBe(1);
    const after = (await backend().running.backend.context.mcp.oauthStore.tokens("remote"))?.tokens;
    expect(after?.access_token).not.toBe(before?.access_token);
    expect(fixture.validAccessTokens()).toContain(after?.access_token ?? "");
  });

  test("an answer with another state is refused and ends the sign-in", async () => {
    const grantsBefore = fixture.grants.authorizationCode;
    const callback = await approve(await startSignIn("remote"));
    const forged = new URL(callback);
    forged.searchParams.set("state", "not-the-state-sage-sent");
    const answer = await fetch(forged);
    expect(answer.status).toBe(400);
    const failed = await until("remote", (e) => e.status.auth?.signIn?.state === "failed");
    expect(failed.status.auth?.signIn?.error).toContain("state mismatch");
    expect(fixture.grants.authorizationCode).toBe(grantsBefore);
    // The stored sign-in is untouched.
    expect(failed.status.auth?.signedIn).toBe(true);
  });

  test("a code the token endpoint refuses is a clear error", async () => {
    const callback = await approve(await startSignIn("remote"));
    callback.searchParams.set("code", "code-made-up");
    expect((await fetch(callback)).status).toBe(502);
    const failed = await until("remote", (e) => e.status.auth?.signIn?.state === "failed");
    expect(failed.status.auth?.signIn?.error).toContain("token endpoint refused");
    expect(failed.status.auth?.signIn?.error).toContain("invalid_grant");
  });

  test("sign out deletes the tokens and the registration; the server asks again", async () => {
    const { body } = await backend().api<McpServerStatus>(`/api/mcp/servers/remote/sign-out`, { json: {} });
    expect(body.auth).toEqual({ signedIn: false, needsSignIn: true });
    const store = backend().running.backend.context.mcp.oauthStore;
    expect(await store.tokens("remote")).toBeUndefined();
    expect(await store.client("remote")).toBeUndefined();
    await backend().api(`/api/mcp/servers/remote/restart`, { json: {} });
    const failed = await until("remote", (e) => e.status.state === "error");
    expect(failed.status.auth?.needsSignIn).toBe(true);
  });
});

describe("authorization servers that refuse or do not register", () => {
  test("a refusal at the authorization page is shown", async () => {
    const denying = startOAuthFixture({ deny: true });
    try {
      await addRemote("denied", denying.url);
      const callback = await approve(await startSignIn("denied"));
      expect(callback.searchParams.get("error")).toBe("access_denied");
      expect((await fetch(callback)).status).toBe(400);
      const failed = await until("denied", (e) => e.status.auth?.signIn?.state === "failed");
      expect(failed.status.auth?.signIn?.error).toContain("access_denied");
    } finally {
      denying.stop();
    }
  });

  test("without dynamic registration: a clear error, then a configured client id works", async () => {
    const fixed = startOAuthFixture({ dynamicRegistration: false, clients: ["sage-fixed"] });
    try {
      await addRemote("fixed", fixed.url);
      const { body } = await backend().api<McpServerStatus>(`/api/mcp/servers/fixed/sign-in`, { json: {} });
      expect(body.auth?.signIn?.state).toBe("failed");
      expect(body.auth?.signIn?.error).toContain("enter a client id");
      const current = (await entry("fixed")).config;
      const saved = await backend().http("/api/mcp/servers/fixed", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...current, oauthClientId: "sage-fixed" }),
      });
      expect(saved.status).toBe(200);
      const authorizationUrl = await startSignIn("fixed");
      expect(authorizationUrl.searchParams.get("client_id")).toBe("sage-fixed");
      expect((await fetch(await approve(authorizationUrl))).status).toBe(200);
      await until("fixed", (e) => e.status.state === "ready");
      expect(fixed.registrations).toEqual([]);
    } finally {
      fixed.stop();
    }
  });
});

describe("the wait for the browser", () => {
  test("ends at the timeout and closes the loopback listener", async () => {
    const memory = new Map<string, string>();
    const secrets: SecretStore = {
      kind: "encrypted-file",
      get: async (ref) => memory.get(ref),
      set: async (ref, value) => void memory.set(ref, value),
      delete: async (ref) => void memory.delete(ref),
    };
    const signIn = new McpSignIn({
      server: "slow",
      url: new URL(fixture.url),
      store: new McpOAuthStore(secrets),
      timeoutMs: 300,
      onChange: () => {},
    });
    const phase = await signIn.start();
    if (phase.phase !== "waiting") throw new Error(`not waiting: ${JSON.stringify(phase)}`);
    const redirect = new URL(phase.url).searchParams.get("redirect_uri") ?? "";
    const error = await signIn.finished.then(
      () => undefined,
      (reason: McpSignInError) => reason,
    );
    expect(error?.message).toContain("No answer from the browser within 300 ms");
    expect(signIn.phase.phase).toBe("failed");
    await Bun.sleep(100);
    expect(fetch(`${redirect}?code=x&state=y`)).rejects.toThrow();
    expect([...memory.keys()].some((key) => key.endsWith(":oauth:tokens"))).toBe(false);
  });
});
