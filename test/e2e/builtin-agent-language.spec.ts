/**
 * The built-in agent in Chinese (compiled app): its description shows in the UI language on a new chat
 * and in its settings form while the user has not changed it; saving the form unchanged keeps the
 * stored (English) text, so the other language still translates it; a description the user wrote is
 * shown as written in every language.
 */
import { expect, test } from "./chat-fixtures.ts";

const ENGLISH = "A general assistant that works in its workspace with files, a shell, the web and a browser.";
const CHINESE = "通用助手，在自己的工作区里使用文件、命令行、网络和浏览器完成任务。";

interface AgentList {
  agents: { id: string; isDefault: boolean; config: { description: string } }[];
}

test("the built-in agent's description follows the UI language until the user edits it", async ({
  chat,
  page,
}) => {
  await chat.api("/api/settings", { method: "PATCH", json: { language: "zh" } });
  await page.reload();
  await expect(page.getByTestId("new-chat")).toHaveText("+ 新对话");

  await chat.newChat();
  const empty = page.getByTestId("empty-state");
  await expect(empty).toContainText(CHINESE);
  await expect(empty).not.toContainText(ENGLISH);

  // The form shows it in Chinese; saving without a change keeps the stored English text.
  await page.goto(`${chat.sage.baseURL}/settings/agents`);
  const description = page.getByTestId("agent-description");
  await expect(description).toHaveValue(CHINESE);
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("toast").first()).toBeVisible();
  const stored = await chat.api<AgentList>("/api/agents");
  expect(stored.agents.find((agent) => agent.isDefault)?.config.description).toBe(ENGLISH);

  // Back in English it reads in English.
  await chat.api("/api/settings", { method: "PATCH", json: { language: "en" } });
  await page.goto(chat.sage.baseURL);
  await expect(page.getByTestId("empty-state")).toContainText(ENGLISH);

  // A description the user wrote stays as written, in Chinese too.
  await page.goto(`${chat.sage.baseURL}/settings/agents`);
  await page.getByTestId("agent-description").fill("Writes my weekly report.");
  await page.getByTestId("agent-save").click();
  await expect
    .poll(async () => (await chat.api<AgentList>("/api/agents")).agents.find((a) => a.isDefault)?.config)
    .toMatchObject({ description: "Writes my weekly report." });
  await chat.api("/api/settings", { method: "PATCH", json: { language: "zh" } });
  await page.goto(chat.sage.baseURL);
  await expect(page.getByTestId("new-chat")).toHaveText("+ 新对话");
  await expect(page.getByTestId("empty-state")).toContainText("Writes my weekly report.");
});
