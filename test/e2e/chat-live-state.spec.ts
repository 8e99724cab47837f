/**
 * The server is the truth about a live session, end to end: a reload (and a second tab) at each live
 * moment — a pending approval, an ask_user question, the step-limit question, a back-off between
 * retries — shows the same controls as before, and the turn is finished from the reloaded page.
 * Stop with two queued messages puts both back into the message box.
 */
import type { Page } from "@playwright/test";
import { type ChatDriver, expect, numberedWords, test } from "./chat-fixtures.ts";

/** Reload and wait until the socket is back and the chat shows again. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId("chat-view")).toBeVisible();
}

/** Set the default agent's step limit through the API (as Settings → Agents does). */
async function setStepLimit(chat: ChatDriver, stepLimit: number): Promise<void> {
  const { agents } = await chat.api<{ agents: { id: string; isDefault: boolean; config: object }[] }>(
    "/api/agents",
  );
  const agent = agents.find((a) => a.isDefault) ?? agents[0];
  if (!agent) throw new Error("no agent");
  await chat.api(`/api/agents/${agent.id}`, { method: "PUT", json: { ...agent.config, stepLimit } });
}

test("a pending approval survives a reload and a second tab; allowing it in one tab resolves it in both", async ({
  chat,
  model,
  page,
  sage,
}) => {
  await model.enqueue(
    { toolCalls: [{ name: "write_file", arguments: { path: "live/a.txt", content: "hello\n" } }] },
    { text: "The file is written." },
  );
  const sessionId = await chat.newChat();
  await chat.send("Write a file");
  const prompt = chat.toolCard("write_file").getByTestId("approval-prompt");
  await expect(prompt).toBeVisible();

  await reload(page);
  await expect(prompt).toBeVisible();
  await expect(prompt.getByTestId("approve-once")).toBeVisible();
  await expect(page.getByTestId("stop")).toBeVisible();

  const second = await page.context().newPage();
  await second.goto(sage.launchUrl);
  await second.goto(`${sage.baseURL}/s/${sessionId}`);
  const secondPrompt = second
    .locator('[data-testid="tool-card"][data-tool="write_file"]')
    .getByTestId("approval-prompt");
  await expect(secondPrompt).toBeVisible();
  await expect(second.getByTestId("stop")).toBeVisible();

  await secondPrompt.getByTestId("approve-once").click();
  await expect(prompt).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("The file is written.");
  await chat.idle();
  await expect(second.getByTestId("stop")).toHaveCount(0);
  await second.close();
});

test("an ask_user question survives a reload and is answered from the reloaded page", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    {
      toolCalls: [
        {
          name: "ask_user",
          arguments: { questions: [{ id: "city", prompt: "Which city?", kind: "text" }] },
        },
      ],
    },
    { text: "Thanks for the city." },
  );
  await chat.newChat();
  await chat.send("Ask me something");
  const card = page.getByTestId("question-card");
  await expect(card).toContainText("Which city?");
  await reload(page);
  await expect(card).toContainText("Which city?");
  await expect(page.getByTestId("stop")).toBeVisible();
  await card.getByTestId("question-text").fill("Lisbon");
  await card.getByTestId("question-submit").click();
  await expect(chat.lastAssistant()).toContainText("Thanks for the city.");
  await chat.idle();
  const requests = await model.requests();
  expect(JSON.stringify(requests.at(-1)?.body?.messages)).toContain("Lisbon");
});

test("the step-limit question survives a reload; continuing from the reloaded page finishes the turn", async ({
  chat,
  model,
  page,
}) => {
  await setStepLimit(chat, 1);
  try {
    await model.enqueue(
      { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
      { text: "Finished after continuing." },
    );
    await chat.newChat();
    await chat.send("Keep going");
    const card = page.getByTestId("question-card");
    await expect(card).toBeVisible();
    await reload(page);
    await expect(card).toBeVisible();
    await expect(page.getByTestId("stop")).toBeVisible();
    await card.getByRole("radio", { name: "Continue" }).check();
    await card.getByTestId("question-submit").click();
    await expect(chat.lastAssistant()).toContainText("Finished after continuing.");
    await chat.idle();
  } finally {
    await setStepLimit(chat, 40);
  }
});

test("a back-off between retries survives a reload: the countdown and Stop are there, and Stop ends it", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ error: { status: 500, retryAfterSeconds: 8 } });
  await chat.newChat();
  await chat.send("This will fail once");
  const notice = page.getByTestId("retry-notice");
  await expect(notice).toBeVisible();
  await reload(page);
  await expect(notice).toBeVisible();
  // Counting down: the seconds shown go down while the page is open.
  const seconds = async () => Number(/(\d+)\s*s/.exec((await notice.textContent()) ?? "")?.[1]);
  const first = await seconds();
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(8);
  await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(first);
  await page.getByTestId("stop").click();
  await chat.idle();
  await expect(notice).toHaveCount(0);
});

test("Stop with two queued messages puts both back into the message box", async ({ chat, model, page }) => {
  await model.enqueue({ text: numberedWords("w", 200), tokenDelayMs: 40 });
  await chat.newChat();
  await chat.send("A long task");
  await expect(page.getByTestId("stop")).toBeVisible();
  await page.getByTestId("while-running-queue").click();
  await chat.send("First queued");
  await chat.send("Second queued");
  const queue = page.getByTestId("queued-turns");
  await expect(queue.locator("li")).toHaveCount(2);

  await reload(page);
  await expect(queue.locator("li")).toHaveCount(2);

  await page.getByTestId("stop").click();
  await chat.idle();
  await expect(queue).toHaveCount(0);
  await expect(page.getByTestId("composer-input")).toHaveValue("First queued\n\nSecond queued");
  // Neither ran.
  await expect(chat.messages("user").filter({ hasText: "queued" })).toHaveCount(0);
  expect(await model.requests()).toHaveLength(1);
});

test("Esc closes an open dialog without stopping the turn; Esc again stops it", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: numberedWords("e", 200), tokenDelayMs: 40 });
  await chat.newChat();
  await chat.send("A long task");
  await expect(page.getByTestId("stop")).toBeVisible();
  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await expect(page.getByTestId("shortcuts-dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("shortcuts-dialog")).toHaveCount(0);
  await expect(page.getByTestId("stop")).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Escape");
  await chat.idle();
});
