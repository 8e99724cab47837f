/**
 * Settings → Agents in the compiled app: the delegation limits (sub-agent depth, delegations per
 * message) show their defaults as placeholders, refuse values out of range with the field's message
 * (nothing saved), save valid values, and an emptied field goes back to the default.
 */
import { expect, test } from "./chat-fixtures.ts";

interface AgentList {
  agents: { isDefault: boolean; config: { delegationDepth?: number; delegationsPerTurn?: number } }[];
}

test("delegation limits: defaults, validation, save, back to the default", async ({ chat, page }) => {
  const stored = async () =>
    (await chat.api<AgentList>("/api/agents")).agents.find((a) => a.isDefault)?.config;
  await page.goto(`${chat.sage.baseURL}/settings/agents`);
  const depth = page.getByTestId("agent-delegation-depth");
  const perTurn = page.getByTestId("agent-delegations-per-turn");
  await expect(depth).toHaveValue("");
  await expect(depth).toHaveAttribute("placeholder", "2");
  await expect(perTurn).toHaveAttribute("placeholder", "8");

  await depth.fill("9");
  await perTurn.fill("0");
  await expect(page.getByTestId("error-agent-delegation-depth")).toHaveText("Must be at most 5.");
  await expect(page.getByTestId("error-agent-delegations-per-turn")).toHaveText("Must be at least 1.");
  await page.getByTestId("agent-save").click();
  expect((await stored())?.delegationDepth).toBeUndefined();

  await depth.fill("3");
  await perTurn.fill("4");
  await expect(page.getByTestId("error-agent-delegation-depth")).toBeHidden();
  await page.getByTestId("agent-save").click();
  await expect.poll(stored).toMatchObject({ delegationDepth: 3, delegationsPerTurn: 4 });
  await page.reload();
  await expect(page.getByTestId("agent-delegation-depth")).toHaveValue("3");

  await page.getByTestId("agent-delegation-depth").fill("");
  await page.getByTestId("agent-save").click();
  await expect.poll(async () => (await stored())?.delegationDepth).toBeUndefined();
  expect((await stored())?.delegationsPerTurn).toBe(4);
});
