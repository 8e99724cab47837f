/**
 * Memory end to end (compiled app, fake model): an agent's memory settings — the search switch and the
 * notes — are edited in Settings and kept; in a new chat the model's search_memory call finds a fact
 * from an old chat, and the notes reach the model's system prompt.
 */
import { expect, test } from "./chat-fixtures.ts";

interface AgentList {
  agents: { id: string; isDefault: boolean; config: { memory?: { search: boolean; notes: string } } }[];
}

test("memory: notes and the search switch in Settings; search_memory finds an old chat's fact", async ({
  chat,
  model,
  page,
  sage,
}) => {
  test.setTimeout(90_000);
  // An old chat with the fact.
  await chat.newChat();
  await model.enqueue({ text: "Noted the gate code." });
  await chat.exchange("For later: the garden gate code is 4417-KESTREL.", "Noted the gate code.");
  const oldSession = await chat.sessionId();

  // Settings → Agents: write notes, switch search off, save; both are kept after a reload.
  await page.goto(`${sage.baseURL}/settings/agents`);
  const search = page.getByTestId("agent-memory-search");
  await expect(search).toBeChecked();
  await page.getByTestId("agent-memory-notes").fill("Remember that the user signs as Robin.");
  await search.uncheck();
  await page.getByTestId("agent-save").click();
  await page.reload();
  await expect(page.getByTestId("agent-memory-notes")).toHaveValue("Remember that the user signs as Robin.");
  await expect(page.getByTestId("agent-memory-search")).not.toBeChecked();
  const saved = await chat.api<AgentList>("/api/agents");
  expect(saved.agents.find((agent) => agent.isDefault)?.config.memory).toEqual({
    search: false,
    notes: "Remember that the user signs as Robin.",
  });

  // Search on again, then ask in a new chat: the model searches and the old chat is cited.
  await page.getByTestId("agent-memory-search").check();
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("agent-memory-search")).toBeChecked();
  await page.goto(sage.baseURL);
  await chat.newChat();
  await model.reset();
  await model.enqueue(
    { toolCalls: [{ id: "call_e2e_mem", name: "search_memory", arguments: { query: "garden gate code" } }] },
    { text: "The gate code is 4417-KESTREL." },
  );
  await chat.exchange("What was the garden gate code?", "The gate code is 4417-KESTREL.");
  // The card cites the old chat as a link to the message, the matched words marked.
  const card = chat.toolCard("search_memory");
  await card.locator('button[aria-expanded="false"]').click();
  const cited = card.getByTestId("memory-chat").first();
  await expect(cited).toBeVisible();
  await expect(card.getByTestId("memory-results").locator("mark").first()).toBeVisible();
  const requests = await model.requests();
  const afterTool = JSON.stringify(requests[1]?.body?.messages ?? []);
  expect(afterTool).toContain("4417-KESTREL");
  expect(afterTool).toContain(oldSession);
  expect(JSON.stringify(requests[0]?.body?.messages?.[0] ?? {})).toContain("the user signs as Robin");
  await cited.click();
  await expect(page).toHaveURL(new RegExp(`/s/${oldSession}\\?m=`));
  await expect(page.getByText("For later: the garden gate code is 4417-KESTREL.")).toBeVisible();
});
