/**
 * `sage --serve` in a real browser: the printed URL opens the UI, the socket connects, the theme
 * toggles, a reload stays signed in through origin-scoped storage (no cookie), and About shows the
 * version.
 */
import { expect, test, VERSION } from "./fixtures.ts";

test.use({ colorScheme: "light" });

test("the printed URL opens the UI; the token leaves the address bar for origin storage, never a cookie", async ({
  page,
  context,
  sage,
}) => {
  const response = await page.goto(sage.launchUrl);
  expect(response?.status()).toBe(200);
  // No token in the address; a first start then moves on to the setup wizard.
  await expect(page.locator("aside")).toBeVisible();
  expect(page.url()).toMatch(new RegExp(`^${sage.baseURL}/(setup)?$`));
  await expect(page.getByTestId("about-button")).toBeVisible();
  await expect(page.getByTestId("theme-toggle")).toBeVisible();

  expect(await context.cookies(sage.baseURL)).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem("sage.token"))).toBe(sage.token);
});

test("the socket connects and the status says so", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  const status = page.getByTestId("connection-status");
  await expect(status).toHaveAttribute("data-state", "connected");
  await expect(status).toBeVisible();
});

test("the theme toggle cycles light -> dark -> system and sets the dark class", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  const toggle = page.getByTestId("theme-toggle");
  const html = page.locator("html");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await expect(toggle).toHaveAttribute("data-theme", "system");
  await expect(html).not.toHaveClass(/\bdark\b/);
  const lightBackground = await background();

  await toggle.click();
  await expect(toggle).toHaveAttribute("data-theme", "light");
  await expect(html).not.toHaveClass(/\bdark\b/);

  await toggle.click();
  await expect(toggle).toHaveAttribute("data-theme", "dark");
  await expect(html).toHaveClass(/\bdark\b/);
  expect(await background()).not.toBe(lightBackground);

  // The choice survives a reload (kept in localStorage, applied before the first paint).
  await page.reload();
  await expect(page.getByTestId("theme-toggle")).toHaveAttribute("data-theme", "dark");
  await expect(html).toHaveClass(/\bdark\b/);

  await page.getByTestId("theme-toggle").click();
  await expect(page.getByTestId("theme-toggle")).toHaveAttribute("data-theme", "system");
  await expect(html).not.toHaveClass(/\bdark\b/);
  expect(await background()).toBe(lightBackground);
});

test("the system theme follows the OS setting live", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  const html = page.locator("html");
  await expect(page.getByTestId("theme-toggle")).toHaveAttribute("data-theme", "system");
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).not.toHaveClass(/\bdark\b/);
});

test("a reload stays signed in; a browser without the token sees how to get in and the API refuses it", async ({
  page,
  browser,
  sage,
}) => {
  await page.goto(sage.launchUrl);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");

  const reloaded = await page.reload();
  expect(reloaded?.status()).toBe(200);
  expect(page.url()).not.toContain("token=");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  const health = await page.evaluate(async () => (await fetch("/api/health")).status);
  expect(health).toBe(401); // the page's own calls send the header; a bare fetch has no credential

  const stranger = await browser.newContext();
  try {
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(sage.baseURL);
    await expect(strangerPage.getByTestId("signed-out")).toBeVisible();
    await expect(strangerPage.getByTestId("signed-out")).toContainText("?token=");
    const refused = await strangerPage.evaluate(async () => (await fetch("/api/sessions")).status);
    expect(refused).toBe(401);
  } finally {
    await stranger.close();
  }
});

test("a stale token (Sage restarted with a new one) shows the restarted screen", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await page.evaluate(() => localStorage.setItem("sage.token", "a-token-from-an-earlier-start"));
  await page.reload();
  await expect(page.getByTestId("signed-out")).toBeVisible();
  await expect(page.getByTestId("signed-out")).toContainText("restarted");
});

test("About shows the version", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await page.getByTestId("about-button").click();
  await expect(page.getByTestId("about-dialog")).toBeVisible();
  await expect(page.getByTestId("about-version")).toContainText(VERSION);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("about-dialog")).toBeHidden();
});
