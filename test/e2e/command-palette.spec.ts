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
