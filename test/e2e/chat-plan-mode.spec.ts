/**
 * Plan mode in the compiled app (fake model process): the composer's Plan switch (and Alt+P) sends the
 * message in plan mode (the model is told so and offered submit_plan); a write is refused while
 * planning; the plan card survives a reload; Edit changes the steps and Approve continues the same turn
 * with them as the todo list; a second plan is rejected and the turn ends.
 */
import { expect, test } from "./chat-fixtures.ts";

const plan = (summary: string, steps: string[]) => ({
  toolCalls: [{ name: "submit_plan", arguments: { summary, steps } }],
});

test("plan, reload, edit and approve: the turn continues with the edited steps as the todo list", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    { toolCalls: [{ name: "write_file", arguments: { path: "early.txt", content: "too soon\n" } }] },
    plan("Add a README.", ["Write README.md", "Review it"]),
    { text: "Working on the approved plan." },
  );
  await chat.newChat();
  const toggle = page.getByTestId("plan-toggle");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await page.getByTestId("composer-input").focus();
  await page.keyboard.press("Alt+p");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await chat.send("Plan the README");
  // Per message: the switch is off again once sent.
  await expect(toggle).toHaveAttribute("aria-pressed", "false");

  const card = page.getByTestId("plan-card");
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card.getByTestId("plan-summary")).toHaveText("Add a README.");
  await expect(card.getByTestId("plan-steps").locator("li")).toHaveText(["Write README.md", "Review it"]);
  await expect(chat.toolCard("write_file")).toHaveAttribute("data-status", "denied");

  // The pending plan survives a reload.
  await page.reload();
  await expect(card).toBeVisible();
  await card.getByTestId("plan-edit-start").click();
  await card.getByTestId("plan-edit").fill("Write README.md with a title\nReview it\nTell the user");
  await card.getByTestId("plan-approve").click();
  await expect(card).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("Working on the approved plan.", { timeout: 20_000 });
  await chat.idle();
  const todos = page.getByTestId("todo-panel");
  await expect(todos).toContainText("Write README.md with a title");
  await expect(todos).toContainText("Tell the user");

  const requests = await model.requests();
  const agent = requests.filter((r) => r.body?.tools !== undefined);
  const system = (i: number) => JSON.stringify(agent[i]?.body?.messages?.[0] ?? {});
  expect(system(0)).toContain("PLAN MODE is on");
  expect(JSON.stringify(agent[0]?.body?.tools)).toContain("submit_plan");
  expect(JSON.stringify(agent[1]?.body?.messages)).toContain("Plan mode: write_file was refused");
  expect(system(2)).not.toContain("PLAN MODE");
  expect(JSON.stringify(agent[2]?.body?.messages)).toContain("1. Write README.md with a title");
});

test("a plan-mode message is marked Plan; editing it plans again", async ({ chat, model, page }) => {
  await model.enqueue(plan("First plan.", ["one"]), plan("Second plan.", ["two"]));
  await chat.newChat();
  await page.getByTestId("plan-toggle").click();
  await chat.send("Plan the move");
  const card = page.getByTestId("plan-card");
  await expect(card).toBeVisible({ timeout: 20_000 });
  const first = chat.messages("user").first();
  await expect(first.getByTestId("plan-marker")).toHaveText("Plan");
  await card.getByTestId("plan-reject").click();
  await card.getByTestId("plan-reject-confirm").click();
  await chat.idle();

  // Edit: the switch starts on (the message was sent in plan mode); the new version plans again.
  await first.hover();
  await first.getByTestId("edit-message").click();
  await expect(page.getByTestId("plan-toggle")).toHaveAttribute("aria-pressed", "true");
  await chat.send("Plan the move, carefully");
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card.getByTestId("plan-summary")).toHaveText("Second plan.");
  await expect(chat.messages("user").first().getByTestId("plan-marker")).toBeVisible();
  // Survives a reload (stored with the message).
  await page.reload();
  await expect(chat.messages("user").first().getByTestId("plan-marker")).toBeVisible();
  const agent = (await model.requests()).filter((r) => r.body?.tools !== undefined);
  expect(JSON.stringify(agent.at(-1)?.body?.messages?.[0] ?? {})).toContain("PLAN MODE is on");
});

test("rejecting a plan ends the turn", async ({ chat, model, page }) => {
  await model.enqueue(plan("Delete everything.", ["rm -rf ."]));
  await chat.newChat();
  await page.getByTestId("plan-toggle").click();
  await chat.send("Plan a cleanup");
  const card = page.getByTestId("plan-card");
  await expect(card).toBeVisible({ timeout: 20_000 });
  await card.getByTestId("plan-reject").click();
  await card.getByTestId("plan-reject-reason").fill("Too dangerous");
  await card.getByTestId("plan-reject-confirm").click();
  await expect(card).toHaveCount(0);
  await chat.idle();
  await expect(chat.toolCard("submit_plan")).toHaveAttribute("data-status", "completed");
  const agent = (await model.requests()).filter((r) => r.body?.tools !== undefined);
  expect(agent).toHaveLength(1);
});

test("a narrow window: the plan's steps are numbered, long words wrap inside the card, Reject focuses its reason", async ({
  chat,
  model,
  page,
}) => {
  const longWord = `review_${"x".repeat(120)}`;
  await model.enqueue(plan(`Summary ${"y".repeat(150)}`, ["Write README.md", longWord]));
  await chat.newChat();
  await page.setViewportSize({ width: 760, height: 800 });
  await page.getByTestId("plan-toggle").click();
  await chat.send("Plan narrowly");
  const card = page.getByTestId("plan-card");
  await expect(card).toBeVisible({ timeout: 20_000 });
  const steps = card.getByTestId("plan-steps");
  expect(await steps.evaluate((list) => getComputedStyle(list).listStyleType)).toBe("decimal");
  const cardBox = await card.boundingBox();
  for (const inner of [card.getByTestId("plan-summary"), steps.locator("li").last()]) {
    const overflow = await inner.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await inner.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual((cardBox?.x ?? 0) + (cardBox?.width ?? 0));
  }
  await card.getByTestId("plan-reject").click();
  await expect(card.getByTestId("plan-reject-reason")).toBeFocused();
  await page.keyboard.type("Not now");
  await card.getByTestId("plan-reject-confirm").click();
  await expect(card).toHaveCount(0);
  await chat.idle();
});

test("the keyboard shortcuts list names Alt+P for plan mode", async ({ chat, page }) => {
  await chat.newChat();
  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  const list = page.getByTestId("shortcuts-dialog");
  await expect(list).toContainText("Alt+P");
  await expect(list).toContainText("Plan mode for the next message");
});
