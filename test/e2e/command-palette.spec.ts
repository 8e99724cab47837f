/**
 * Ctrl+K then typing at once (no pause, as a fast typist does): every key lands in the palette's query,
 * in order — while its code is still loading (first use, here slowed down on purpose), and when it is
 * already loaded. Keys typed in the message box's focus never reach the message box. A Backspace and
 * an Enter typed before the box shows are kept too; an Escape typed then closes the palette.
 */
import type { Page } from "@playwright/test";
import { type ChatDriver, expect, test } from "./chat-fixtures.ts";

/**
 * A new chat with the focus in its message box, the palette's code held back 400 ms on its first load
 * (a slow disk or a busy machine). Returns the message box.
 */
async function composerWithSlowPalette(chat: ChatDriver, page: Page) {
  await page.route(/command-palette-[^/]*\.js$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await page.goto(chat.sage.launchUrl);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await chat.newChat();
  const composer = page.getByTestId("composer-input");
  await composer.click();
  return composer;
}

test("keys typed right after Ctrl+K all land in the palette's query", async ({ chat, page }) => {
  const composer = await composerWithSlowPalette(chat, page);

  await page.keyboard.press("Control+k");
  await page.keyboard.type("settx");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("ings");
  const input = page.getByTestId("palette-input");
  await expect(input).toHaveValue("settings");
  await expect(input).toBeFocused();
  await expect(composer).toHaveValue("");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("command-palette")).toHaveCount(0);

  // Loaded now: still nothing lost between the shortcut and the box taking the focus.
  for (const word of ["tools", "new chat", "switch theme"]) {
    await composer.click();
    await page.keyboard.press("Control+k");
    await page.keyboard.type(word);
    await expect(input).toHaveValue(word);
    await expect(composer).toHaveValue("");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("command-palette")).toHaveCount(0);
  }

  // Enter typed with the rest runs the command that matches.
  await composer.click();
  await page.keyboard.press("Control+k");
  await page.keyboard.type("tools");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tools$/);
  await expect(page.getByTestId("command-palette")).toHaveCount(0);
});

test("an Escape typed before the palette shows closes it, and typing goes on in place", async ({
  chat,
  page,
}) => {
  const composer = await composerWithSlowPalette(chat, page);
  await page.keyboard.press("Control+k");
  await page.keyboard.type("se");
  await page.keyboard.press("Escape");
  await page.keyboard.type("hello");
  await expect(composer).toHaveValue("hello");
  // The palette does not show up later, once its code arrived.
  await page.waitForTimeout(700);
  await expect(page.getByTestId("command-palette")).toHaveCount(0);
});

test("the highlighted command is visibly marked and kept in sight; a query that matches nothing says so", async ({
  chat,
  page,
}) => {
  await chat.newChat();
  await page.keyboard.press("Control+k");
  const input = page.getByTestId("palette-input");
  await expect(input).toBeFocused();
  const options = page.getByTestId("command-palette").getByRole("option");
  const background = (index: number) =>
    options.nth(index).evaluate((element) => getComputedStyle(element).backgroundColor);
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  // The row Enter would run looks different from the others.
  expect(await background(0)).not.toBe(await background(1));
  await page.keyboard.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  expect(await background(1)).not.toBe(await background(0));
  // Up from the first row wraps to the last one (the chat, below the box's fold): it scrolls into view.
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  const last = options.last();
  await expect(last).toHaveAttribute("aria-selected", "true");
  await expect(last).toBeInViewport({ ratio: 1 });
  expect(await last.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe(
    await background(0),
  );

  await input.fill("zzqq-nothing");
  await expect(options).toHaveCount(0);
  await expect(page.getByTestId("palette-empty")).toHaveText(
    "No command or chat title matches “zzqq-nothing”.",
  );
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("command-palette")).toBeVisible();
  await input.fill("tools");
  await expect(page.getByTestId("palette-empty")).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tools$/);
});
