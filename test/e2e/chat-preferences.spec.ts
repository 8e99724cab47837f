/**
 * Language and theme end to end (compiled app): switched in Settings → General, from the command
 * palette (Ctrl+K) and the sidebar's theme button; every string and colour follows at once, the choice
 * is saved on the server and survives a reload, and "system" follows the OS scheme live.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./chat-fixtures.ts";

interface Settings {
  language: string;
  theme: string;
}

/** Luminance (0–255) of the app frame's background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const color = await page
    .locator("#root > div")
    .first()
    .evaluate((element) => getComputedStyle(element).backgroundColor);
  const [r = 0, g = 0, b = 0] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function runPaletteCommand(page: Page, filter: string): Promise<void> {
  await page.keyboard.press("Control+k");
  const input = page.getByTestId("palette-input");
  await expect(input).toBeFocused();
  await input.fill(filter);
  await input.press("Enter");
  await expect(page.getByTestId("command-palette")).toHaveCount(0);
}

test("language: Settings → General, then the command palette; saved and kept on reload", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "Hello." });
  await chat.newChat();
  await chat.exchange("Hi", "Hello.");
  const newChat = page.getByTestId("new-chat");
  await expect(newChat).toHaveText("+ New chat");

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("settings-general")).toBeVisible();
  await page.getByTestId("setting-language").selectOption("zh");
  await expect(newChat).toHaveText("+ 新对话");
  await expect(page.getByTestId("connection-status")).toContainText("已连接");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect.poll(async () => (await chat.api<Settings>("/api/settings")).language).toBe("zh");

  // The chat is in Chinese too, and stays so after a reload.
  await page.getByTestId("session-row").first().getByTestId("session-title").click();
  await expect(page.getByTestId("turn-footer").getByTestId("copy-turn")).toHaveText("复制");
  await page.reload();
  await expect(newChat).toHaveText("+ 新对话");
  await expect(page.getByTestId("composer-input")).toHaveAttribute("placeholder", /^给 Sage 发消息/);

  // The palette's language command (its label names both languages).
  await runPaletteCommand(page, "English");
  await expect(newChat).toHaveText("+ New chat");
  await expect(page.getByTestId("turn-footer").getByTestId("copy-turn")).toHaveText("Copy");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect.poll(async () => (await chat.api<Settings>("/api/settings")).language).toBe("en");
  await page.reload();
  await expect(newChat).toHaveText("+ New chat");
});

test("theme: the sidebar button, the palette and Settings; system follows the OS", async ({ chat, page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await chat.newChat();
  const toggle = page.getByTestId("theme-toggle");
  const html = page.locator("html");
  await expect(toggle).toHaveAttribute("data-theme", "system");
  await expect(html).not.toHaveClass(/\bdark\b/);
  expect(await backgroundLuminance(page)).toBeGreaterThan(200);

  // system → light → dark
  await toggle.click();
  await expect(toggle).toHaveAttribute("data-theme", "light");
  await toggle.click();
  await expect(toggle).toHaveAttribute("data-theme", "dark");
  await expect(html).toHaveClass(/\bdark\b/);
  expect(await backgroundLuminance(page)).toBeLessThan(50);
  await expect.poll(async () => (await chat.api<Settings>("/api/settings")).theme).toBe("dark");
  await page.reload();
  await expect(toggle).toHaveAttribute("data-theme", "dark");
  expect(await backgroundLuminance(page)).toBeLessThan(50);

  // dark → system: light while the OS is light, dark as soon as it turns dark.
  await runPaletteCommand(page, "theme");
  await expect(toggle).toHaveAttribute("data-theme", "system");
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).not.toHaveClass(/\bdark\b/);

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("setting-theme").selectOption("dark");
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(toggle).toHaveAttribute("data-theme", "dark");
  await page.getByTestId("setting-theme").selectOption("light");
  await expect(html).not.toHaveClass(/\bdark\b/);
  await expect.poll(async () => (await chat.api<Settings>("/api/settings")).theme).toBe("light");
  expect(await backgroundLuminance(page)).toBeGreaterThan(200);
});
