/**
 * sage://new?prompt=...&agent=... in the page (compiled app in serve mode, Chromium, fake model): the
 * running Sage opens a new chat whose message box holds the prompt, unsent, until the user presses
 * Enter; a Sage started by such a link gets `?draft=` in its first address, which lands in the box
 * and leaves the address.
 */
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";
import { REPO_ROOT } from "./fixtures.ts";

const SCREENSHOTS = join(REPO_ROOT, "test-results", "e2e-screens");

test("a sage://new link with a prompt opens a new chat with it in the message box, unsent", async ({
  page,
  chat,
  model,
}) => {
  const first = await chat.newChat();
  const { agents } = await chat.api<{ agents: { id: string; config: { name: string } }[] }>("/api/agents");
  const agent = agents[agents.length - 1];
  if (!agent) throw new Error("no agent");
  const prompt = "Draft from a link: list the TODOs & their owners";
  const link = `sage://new?${new URLSearchParams({ prompt, agent: agent.config.name })}`;
  const opened = await chat.api<{ sessionId: string }>("/api/app/open-url", { json: { url: link } });
  expect(opened.sessionId).not.toBe(first);

  await expect(page).toHaveURL(new RegExp(`/s/${opened.sessionId}$`));
  await expect(page.getByTestId("composer-input")).toHaveValue(prompt);
  await expect(page.getByTestId("composer-input")).toBeFocused();
  await page.screenshot({ path: join(SCREENSHOTS, "deep-link-prefill.png") });
  // Not sent: no message, no model request, even after a while.
  await page.waitForTimeout(500);
  await expect(chat.messages()).toHaveCount(0);
  expect(await model.requests()).toEqual([]);

  // The user sends it: an ordinary turn.
  await model.enqueue({ text: "Owners listed." });
  await page.getByTestId("send").click();
  await expect(chat.lastAssistant()).toContainText("Owners listed.", { timeout: 20_000 });
  await expect(chat.messages("user").first()).toContainText(prompt);
  await expect(page.getByTestId("composer-input")).toHaveValue("");
});

test("a first address with ?draft= fills the box once and leaves the address", async ({
  page,
  chat,
  sage,
}) => {
  const sessionId = await chat.newChat();
  await page.goto(
    `${sage.baseURL}/s/${sessionId}?draft=${encodeURIComponent("Started by a link")}&token=${sage.token}`,
  );
  await expect(page.getByTestId("composer-input")).toHaveValue("Started by a link");
  await expect(page).toHaveURL(new RegExp(`/s/${sessionId}$`));
  await page.reload();
  await expect(page.getByTestId("composer-input")).toHaveValue("");
});
