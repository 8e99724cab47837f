/**
 * Empty chats do not pile up (compiled app, fake model process): New chat pressed twice (or Ctrl+N twice
 * at once) makes one chat; leaving it untouched removes it from the sidebar, also after a reload; a
 * reload on it keeps it (it is still open); a chat with a message stays.
 */
import type { Page } from "@playwright/test";
import type { SessionSummary } from "../../src/shared/session.ts";
import { type ChatDriver, expect, test } from "./chat-fixtures.ts";

const rowOf = (page: Page, id: string) =>
  page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);

async function sessionIds(chat: ChatDriver): Promise<string[]> {
  const { sessions } = await chat.api<{ sessions: SessionSummary[] }>("/api/sessions?limit=500");
  return sessions.map((session) => session.id);
}

test("an untouched New chat leaves the sidebar when the user leaves it, and stays gone after a reload", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "A kept answer." });
  const used = await chat.newChat();
  await chat.exchange("Keep this chat", "A kept answer.");

  const empty = await chat.newChat();
  await expect(rowOf(page, empty)).toBeVisible();
  // Pressing New chat again stays on the same empty chat.
  await page.getByTestId("new-chat").click();
  await expect(page).toHaveURL(new RegExp(`/s/${empty}$`));
  await expect(page.getByTestId("session-row")).toHaveCount(2);

  // A reload on it keeps it: the user is still there.
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await expect(rowOf(page, empty)).toBeVisible();

  // Leaving it (to the other chat) removes it.
  await rowOf(page, used).getByTestId("session-title").click();
  await expect(page).toHaveURL(new RegExp(`/s/${used}$`));
  await expect(rowOf(page, empty)).toHaveCount(0);
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  expect(await sessionIds(chat)).toEqual([used]);
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await expect(rowOf(page, used)).toBeVisible();

  // Leaving for another page (Settings) removes one too.
  const another = await chat.newChat();
  await expect(rowOf(page, another)).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(rowOf(page, another)).toHaveCount(0);
  expect(await sessionIds(chat)).toEqual([used]);
});

test("Ctrl+N pressed twice at once makes one chat", async ({ chat, page }) => {
  // The app (and its chats) is shared by the tests of a worker: count from here.
  const before = await sessionIds(chat);
  await expect(page.getByTestId("session-row")).toHaveCount(before.length);
  // A slow server: the second press comes while the first chat is still being created.
  await page.route("**/api/sessions", async (route) => {
    if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  await page.getByTestId("search-input").click();
  await page.keyboard.press("Control+n");
  await page.keyboard.press("Control+n");
  const id = await chat.sessionId();
  await expect(rowOf(page, id)).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page.getByTestId("session-row")).toHaveCount(before.length + 1);
  expect((await sessionIds(chat)).filter((other) => !before.includes(other))).toEqual([id]);
});
