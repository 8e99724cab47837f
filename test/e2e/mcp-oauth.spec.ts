/**
 * OAuth sign-in of a remote MCP server in the panel (compiled app, serve mode): the server answers 401
 * with OAuth metadata, so its card offers "Sign in"; signing in shows the authorization page as a link
 * (serve mode opens nothing itself); the test plays the browser by following that link (the fixture
 * auto-approves and redirects to Sage's loopback listener); the card turns ready and signed in, and
 * "Sign out" offers "Sign in" again. The authorization server + MCP server is
 * test/fixtures/mcp/oauth-server.ts, run by the Bun of this repository.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { expect, REPO_ROOT, test } from "./fixtures.ts";

const BUN = join(REPO_ROOT, "node_modules/bun/bin/bun.exe");
const FIXTURE = join(REPO_ROOT, "test/fixtures/mcp/oauth-server.ts");

let fixture: ChildProcess | undefined;
test.afterEach(() => {
  fixture?.kill("SIGKILL");
});

async function startFixture(): Promise<string> {
  const child = spawn(BUN, [FIXTURE], { stdio: ["ignore", "pipe", "inherit"] });
  fixture = child;
  return new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the OAuth fixture printed nothing: ${output}`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((text) => text.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
  });
}

test("Sign in to a remote MCP server that wants OAuth, then sign out", async ({ page, sage }) => {
  test.setTimeout(60_000);
  const url = await startFixture();
  await page.goto(sage.launchUrl);
  const added = await page.request.post(`${sage.baseURL}/api/mcp/servers`, {
    headers: { authorization: `Bearer ${sage.token}` },
    data: { name: "remote", transport: "http", url, initTimeoutSec: 5 },
  });
  expect(added.status()).toBe(200);
  await page.goto(`${sage.baseURL}/settings/mcp`);

  const card = page.locator('[data-testid="mcp-server"][data-name="remote"]');
  await card.getByTestId("mcp-restart").click();
  await expect(card).toHaveAttribute("data-state", "error");
  const auth = card.getByTestId("mcp-auth");
  await expect(auth.getByTestId("mcp-auth-state")).toHaveText("This server wants you to sign in.");
  await auth.getByTestId("mcp-sign-in").click();

  // Serve mode: the panel shows the authorization page as a link; the test is the browser.
  const link = auth.getByTestId("mcp-sign-in-link");
  await expect(link).toBeVisible();
  await expect(auth.getByTestId("mcp-auth-state")).toHaveText("Waiting for the sign-in in your browser…");
  const authorizationUrl = (await link.getAttribute("href")) ?? "";
  expect(authorizationUrl.startsWith(new URL(url).origin)).toBe(true);
  const approval = await fetch(authorizationUrl, { redirect: "manual" });
  const callback = approval.headers.get("location") ?? "";
  expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
  const answer = await fetch(callback);
  expect(await answer.text()).toContain("Sage is signed in to remote");

  await expect(card).toHaveAttribute("data-state", "ready", { timeout: 15_000 });
  await expect(auth).toHaveAttribute("data-signed-in", "true");
  await expect(auth.getByTestId("mcp-auth-state")).toHaveText("Signed in (tokens stored like API keys).");
  await expect(card.getByTestId("mcp-counts")).toContainText("1 tools");

  await auth.getByTestId("mcp-sign-out").click();
  await expect(auth).toHaveAttribute("data-signed-in", "false");
  await expect(auth.getByTestId("mcp-sign-in")).toHaveText("Sign in");
});
