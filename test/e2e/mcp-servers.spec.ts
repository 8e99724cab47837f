/**
 * MCP servers end to end (compiled app, fake model process): paste a Claude Desktop `mcpServers` JSON
 * in Settings → MCP servers, see the server turn ready in the health panel, enable it for the agent,
 * a chat's turn calls its tool (after the approval MCP tools ask for) and shows the result; kill -9 of
 * the server shows the crash in the panel and the restart; a broken server shows its error, and the
 * sidebar says a server in use is not working. The server is the hand-written fixture
 * (test/fixtures/mcp/raw-server.ts) run by the Bun of this repository.
 */
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";
import { REPO_ROOT } from "./fixtures.ts";

const BUN = join(REPO_ROOT, "node_modules/bun/bin/bun.exe");
const RAW_SERVER = join(REPO_ROOT, "test/fixtures/mcp/raw-server.ts");

test("paste a Claude Desktop config, use its tool in a chat, see a crash and a broken server", async ({
  chat,
  model,
  page,
}) => {
  test.setTimeout(90_000);
  // The default agent comes with the first chat.
  await chat.newChat();
  await page.reload();
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("settings-nav-mcp").click();
  await expect(page.getByTestId("mcp-empty")).toBeVisible();

  // Paste, review (the token-looking variable goes to the key store), add.
  const config = {
    mcpServers: {
      helper: { command: BUN, args: [RAW_SERVER, "ok"], env: { MCP_TEST_TOKEN: "tok-9f8e7d6c5b4a39281706" } },
    },
  };
  await page.getByTestId("mcp-paste-open").click();
  await page.getByTestId("mcp-paste-text").fill(JSON.stringify(config, null, 2));
  await page.getByTestId("mcp-paste-read").click();
  const candidate = page.getByTestId("mcp-paste-server");
  await expect(candidate).toContainText("helper");
  await expect(candidate.getByTestId("mcp-paste-secret")).toBeChecked();
  await page.getByTestId("mcp-paste-add").click();

  const card = page.locator('[data-testid="mcp-server"][data-name="helper"]');
  await expect(card).toHaveAttribute("data-state", "stopped");
  await card.getByTestId("mcp-restart").click();
  await expect(card).toHaveAttribute("data-state", "ready");
  await expect(card.getByTestId("mcp-state")).toHaveText("Ready");
  await expect(card.getByTestId("mcp-server-info")).toContainText("raw-test-server 1.2.3");
  await expect(card.getByTestId("mcp-counts")).toContainText("7 tools");
  const firstPid = Number(await card.getByTestId("mcp-pid").textContent());
  expect(firstPid).toBeGreaterThan(0);
  // The secret is not in the page or the API.
  await card.getByTestId("mcp-edit").click();
  await expect(page.getByTestId("mcp-env-value")).toHaveValue("");
  await expect(page.getByTestId("mcp-env-value")).toHaveAttribute("placeholder", /saved/);
  await page.getByRole("button", { name: "Cancel" }).click();
  expect(JSON.stringify(await chat.api("/api/mcp/servers"))).not.toContain("tok-9f8e7d6c5b4a39281706");

  // Enable it for the agent.
  await page.getByTestId("settings-nav-agents").click();
  await page.getByTestId("agent-mcp-helper").check();
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("agent-mcp-helper")).toBeChecked();

  // A chat's turn calls its tool; MCP tools ask first.
  await model.enqueue(
    {
      text: "Asking the helper.",
      toolCalls: [{ name: "mcp__helper__ping", arguments: { note: "from-chat" } }],
    },
    { text: "The helper answered." },
  );
  await chat.newChat();
  await chat.send("Ping the helper");
  const toolCard = chat.toolCard("mcp__helper__ping");
  await expect(toolCard.getByTestId("approval-prompt")).toContainText('MCP server "helper"');
  await toolCard.getByTestId("approve-once").click();
  await expect(toolCard).toHaveAttribute("data-status", "completed", { timeout: 15_000 });
  await expect(chat.lastAssistant()).toContainText("The helper answered.");
  await chat.idle();
  const results = JSON.stringify((await model.requests()).at(-1)?.body?.messages ?? []);
  expect(results).toMatch(/pong \d+ from-chat/);

  // kill -9: the panel shows the crash, then the restart.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("settings-nav-mcp").click();
  await expect(card).toHaveAttribute("data-state", "ready");
  process.kill(firstPid, "SIGKILL");
  await expect(card.getByTestId("mcp-error")).toContainText("killed by SIGKILL");
  await expect(card.getByTestId("mcp-next-restart")).toBeVisible();
  await expect(card).toHaveAttribute("data-state", "ready", { timeout: 15_000 });
  await expect(card).toContainText("Restarts after a crash");
  expect(Number(await card.getByTestId("mcp-pid").textContent())).not.toBe(firstPid);

  // A broken server: its error in the panel, and the sidebar says a server in use is not working.
  await page.getByTestId("mcp-paste-open").click();
  await page
    .getByTestId("mcp-paste-text")
    .fill(JSON.stringify({ mcpServers: { broken: { command: "sage-no-such-command-xyz" } } }));
  await page.getByTestId("mcp-paste-read").click();
  await page.getByTestId("mcp-paste-add").click();
  const broken = page.locator('[data-testid="mcp-server"][data-name="broken"]');
  await broken.getByTestId("mcp-restart").click();
  await expect(broken.getByTestId("mcp-error")).toContainText('"sage-no-such-command-xyz" was not found');
  await page.getByTestId("settings-nav-agents").click();
  await page.getByTestId("agent-mcp-broken").check();
  await page.getByTestId("agent-save").click();
  await page.reload();
  await expect(page.getByTestId("mcp-indicator")).toContainText("1 MCP server(s) not working");
});

test("the composer attaches an MCP resource and expands an MCP prompt typed as a slash command", async ({
  chat,
  model,
  page,
}) => {
  test.setTimeout(90_000);
  const everything = join(REPO_ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
  await chat.api("/api/mcp/servers", {
    json: {
      name: "everything",
      transport: "stdio",
      command: BUN,
      args: [everything, "stdio"],
      initTimeoutSec: 30,
    },
  });
  const { agents } = await chat.api<{ agents: { id: string; config: Record<string, unknown> }[] }>(
    "/api/agents",
  );
  const agent = agents[0] as { id: string; config: Record<string, unknown> };
  await chat.api(`/api/agents/${agent.id}`, {
    method: "PUT",
    json: { ...agent.config, mcpServers: ["everything"] },
  });
  await page.reload();
  await chat.newChat();

  // A resource, attached like an uploaded file.
  await page.getByTestId("mcp-resource-button").click();
  const item = page.getByTestId("mcp-resource-item").first();
  await expect(item).toContainText("everything");
  await item.click();
  await expect(page.getByTestId("attachment-chip")).toHaveCount(1);

  // A prompt with an argument: picked from the slash menu, filled in, expanded by the server, then sent.
  await page.getByTestId("composer-input").fill("/everything:args");
  await expect(page.getByTestId("slash-menu")).toContainText("/everything:args-prompt");
  await page.getByTestId("composer-input").press("Tab");
  await expect(page.getByTestId("composer-input")).toHaveValue("/everything:args-prompt city= state=");
  await page.getByTestId("composer-input").fill('/everything:args-prompt city="Porto Alegre"');
  await page.getByTestId("composer-input").press("Enter");
  await expect(page.getByTestId("composer-input")).toHaveValue("What's weather in Porto Alegre?");
  await model.enqueue({ text: "Sunny in Porto Alegre." });
  await page.getByTestId("composer-input").press("Enter");
  await expect(chat.lastAssistant()).toContainText("Sunny in Porto Alegre.");
  const last = JSON.stringify((await model.requests()).at(-1)?.body?.messages ?? []);
  expect(last).toContain("What's weather in Porto Alegre?");
});
