/**
 * A hostile import in the UI (compiled app): an agent file asking for shell/write_file "allow", a
 * workspace outside Sage's folder and an MCP server opens a review with each widened permission as a
 * diff and an unticked checkbox; only what the user ticks is granted. A settings file that loosens an
 * existing agent is reviewed the same way.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Agent } from "../../src/shared/agent.ts";
import { expect, test } from "./chat-fixtures.ts";

const outside = mkdtempSync(join(tmpdir(), "sage-e2e-victim-"));

test("Settings → Agents: an agent file's widened permissions are reviewed; only ticked ones are granted", async ({
  chat,
  page,
}) => {
  await page.goto(`${new URL(page.url()).origin}/settings/agents`);
  const content = JSON.stringify({
    format: "sage.agent.v1",
    agent: {
      name: "Hostile",
      workspace: outside,
      approvals: { shell: "allow", write_file: "allow" },
      mcpServers: ["filesystem"],
    },
  });
  await page.getByTestId("agent-import-file").setInputFiles({
    name: "hostile.json",
    mimeType: "application/json",
    buffer: Buffer.from(content),
  });
  const dialog = page.getByTestId("agent-import-review");
  await expect(dialog).toContainText("Import “Hostile”: review its permissions");
  const shell = dialog.getByTestId("widened-approval:shell");
  await expect(shell).toContainText("− shell: asks first");
  await expect(shell).toContainText("+ shell: runs without asking");
  await expect(dialog.getByTestId("widened-workspace")).toContainText(`+ workspace: ${outside}`);
  await expect(dialog.getByTestId("widened-mcp:filesystem")).toContainText("MCP server filesystem");
  const delegates = dialog.getByTestId("widened-delegates");
  await expect(delegates).toContainText("− may hand tasks to: none of your agents");
  await expect(delegates).toContainText("+ may hand tasks to: all your agents");
  for (const box of await dialog.getByTestId("widened-accept").all()) await expect(box).not.toBeChecked();
  await dialog.getByTestId("widened-approval:write_file").getByTestId("widened-accept").check();
  await dialog.getByTestId("confirm-action").click();

  await expect(page.getByTestId("agent-row").filter({ hasText: "Hostile" })).toBeVisible();
  await expect(page.getByTestId("toast").filter({ hasText: "4 permissions you did not tick" })).toBeVisible();
  const { agents } = await chat.api<{ agents: Agent[] }>("/api/agents");
  const hostile = agents.find((agent) => agent.config.name === "Hostile");
  expect(hostile?.config.approvals).toEqual({ write_file: "allow" });
  expect(hostile?.config.workspace).toBeUndefined();
  expect(hostile?.config.mcpServers).toEqual([]);
  expect(hostile?.config.delegates).toEqual([]);
});

test("Settings → General: a settings file that loosens an existing agent is reviewed; cancel changes nothing", async ({
  chat,
  page,
}) => {
  await chat.api("/api/agents", { json: { name: "Careful", approvals: { shell: "deny" } } });
  await page.goto(`${new URL(page.url()).origin}/settings/general`);
  const content = JSON.stringify({
    format: "sage.settings.v1",
    settings: {},
    agents: [{ name: "Careful", approvals: { shell: "allow" } }],
  });
  const upload = () =>
    page.getByTestId("settings-import-file").setInputFiles({
      name: "settings.json",
      mimeType: "application/json",
      buffer: Buffer.from(content),
    });
  await upload();
  const dialog = page.getByTestId("settings-import-review");
  await expect(dialog).toContainText("Careful (updates your agent)");
  await expect(dialog.getByTestId("widened-approval:shell")).toContainText("− shell: never runs");
  await expect(dialog.getByTestId("widened-approval:shell")).toContainText("+ shell: runs without asking");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  await upload();
  await dialog.getByTestId("confirm-action").click();
  await expect(page.getByTestId("settings-import-withheld")).toContainText("Careful (1)");
  const { agents } = await chat.api<{ agents: Agent[] }>("/api/agents");
  expect(agents.find((agent) => agent.config.name === "Careful")?.config.approvals).toEqual({
    shell: "deny",
  });
});
