/**
 * Settings in a narrow window (600 px, compiled app): the section list is a row above the section
 * instead of a column beside it, so the section gets the window's width; every section stays reachable.
 */
import { expect, test } from "./fixtures.ts";

test("below 768 px the settings sections are listed above the section, which gets the full width", async ({
  page,
  sage,
}) => {
  await page.setViewportSize({ width: 600, height: 800 });
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/storage`);
  const view = page.getByTestId("settings-storage");
  await expect(view).toBeVisible();
  const nav = await page.getByRole("navigation", { name: "Settings" }).boundingBox();
  const section = await view.boundingBox();
  expect(section?.y ?? 0).toBeGreaterThanOrEqual((nav?.y ?? 0) + (nav?.height ?? 0));
  expect(section?.width ?? 0).toBeGreaterThan(500);
  await page.getByTestId("settings-nav-about").click();
  await expect(page).toHaveURL(/\/settings\/about$/);

  await page.setViewportSize({ width: 1280, height: 800 });
  const wideNav = await page.getByRole("navigation", { name: "Settings" }).boundingBox();
  expect(wideNav?.height ?? 0).toBeGreaterThan(600);
  expect(wideNav?.width ?? 0).toBeLessThan(260);
});
