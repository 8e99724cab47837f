/**
 * A narrow window (compiled app, 700 px wide): the sidebar is hidden and a menu button in the header
 * opens it as a drawer over the page (a modal dialog: focus moves in and stays in, Escape, a click
 * outside and choosing a chat close it, focus returns to the button); it passes axe while open. At
 * 400 px the chat header still shows the title and every button. Wide again, the sidebar is back.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./chat-fixtures.ts";

test("below 900 px the sidebar is a drawer opened from the header", async ({ chat, model, page }) => {
  await model.enqueue({ text: "First answer." }, { text: "Second answer." });
  const first = await chat.newChat();
  await chat.exchange("First question", "First answer.");
  await chat.newChat();
  await chat.exchange("Second question", "Second answer.");
  await page.setViewportSize({ width: 700, height: 700 });

  const sidebar = page.getByTestId("sidebar");
  const menu = page.getByRole("button", { name: "Open the chat list and menu" });
  await expect(sidebar).toBeHidden();
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  // The header shows the chat's title in full at this width.
  await expect(page.getByTestId("chat-title")).toHaveText("Fake chat title");
  await expect(page.getByTestId("export-md")).toContainText("Markdown");

  // Open: a modal dialog over the page, focus inside; Escape closes and gives the focus back.
  await menu.click();
  const dialog = page.getByRole("dialog", { name: "Sessions" });
  await expect(dialog).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(sidebar).toHaveAttribute("aria-modal", "true");
  await expect.poll(() => sidebar.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);
  // Tab keeps the focus in the drawer.
  for (let index = 0; index < 25; index++) await page.keyboard.press("Tab");
  expect(await sidebar.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(sidebar).toBeHidden();
  await expect(menu).toBeFocused();

  // A click outside (on the dimmed page) closes it.
  await menu.click();
  await expect(dialog).toBeVisible();
  await page.mouse.click(600, 350);
  await expect(sidebar).toBeHidden();

  // Choosing a chat opens it and closes the drawer.
  await menu.click();
  await page.locator(`[data-testid="session-row"][data-session-id="${first}"]`).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/s/${first}$`));
  await expect(sidebar).toBeHidden();
  await expect(chat.lastAssistant()).toContainText("First answer.");

  // So does a page link (Settings); the page has its own menu button.
  await menu.click();
  await dialog.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("settings-general")).toBeVisible();
  await expect(sidebar).toBeHidden();
  await expect(menu).toBeVisible();
  await page.goBack();

  // 400 px: the title and every header button are still there.
  await page.setViewportSize({ width: 400, height: 700 });
  const title = page.getByTestId("chat-title");
  await expect(title).toHaveText("Fake chat title");
  expect((await title.boundingBox())?.width ?? 0).toBeGreaterThan(100);
  for (const id of ["drawer-button", "export-md", "export-json", "toggle-workspace"]) {
    await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  }
  await expect(page.getByTestId("export-md")).toHaveAccessibleName("Markdown");

  // Wide again: the sidebar is a column and there is no menu button.
  await page.setViewportSize({ width: 1100, height: 700 });
  await expect(sidebar).toBeVisible();
  await expect(sidebar).not.toHaveAttribute("role", "dialog");
  await expect(menu).toHaveCount(0);
});

test("an address with no page says so and leads back, with the menu button in a narrow window", async ({
  chat,
  page,
}) => {
  await page.setViewportSize({ width: 700, height: 700 });
  await page.goto(`${chat.sage.baseURL}/no/such/page`);
  const notFound = page.getByTestId("not-found");
  await expect(notFound).toContainText("This page does not exist.");
  // The sidebar is hidden at this width: the page's own menu button opens it.
  await notFound.getByTestId("drawer-button").click();
  await expect(page.getByRole("dialog", { name: "Sessions" })).toBeVisible();
  await page.keyboard.press("Escape");
  await notFound.getByRole("link", { name: "Back to your chats" }).click();
  await expect(page).toHaveURL(new RegExp(`^${chat.sage.baseURL}/$`));
  await expect(notFound).toHaveCount(0);
});
