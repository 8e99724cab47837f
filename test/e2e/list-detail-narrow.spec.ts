/**
 * The Skills, Tools and Tasks pages in a narrow window (600 px, compiled app): one column — the list,
 * then, once an item is chosen, its detail alone under a Back control — and nothing wider than the
 * window. Back, Escape and Alt+Left return to the list with the focus on the chosen item; from the
 * keyboard alone the detail opens with the focus on Back. At 1280 px the list and the detail are side by
 * side again and there is no Back control.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

const NARROW = { width: 600, height: 800 };

/** Nothing sticks out on the right: the page does not scroll sideways and the shown pane fits. */
async function expectFits(page: Page): Promise<void> {
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY,
    innerWidth: window.innerWidth,
  }));
  expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.innerWidth);
  for (const testId of ["list-pane", "detail-pane"]) {
    const pane = page.getByTestId(testId);
    if (!(await pane.isVisible())) continue;
    const box = await pane.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(sizes.innerWidth);
    // Its content does not stick out either, unless a box that fits scrolls or clips it (an editor's
    // long lines): what sticks out of the window unclipped is out of reach.
    const outside = await pane.evaluate((element, width) => {
      const fits = (box: Element) => box.getBoundingClientRect().right <= width + 0.5;
      return [...element.querySelectorAll<HTMLElement>("*")]
        .filter((child) => child.offsetParent !== null && !fits(child))
        .filter((child) => {
          for (let up = child.parentElement; up && up !== element.parentElement; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible" && fits(up)) return false;
          }
          return true;
        })
        .map((child) => `${child.tagName.toLowerCase()}.${child.className} ${child.dataset.testid ?? ""}`);
    }, sizes.innerWidth);
    expect(outside).toEqual([]);
  }
}

/** Only the list shows, full width. */
async function expectList(page: Page): Promise<void> {
  await expect(page.getByTestId("list-pane")).toBeVisible();
  await expect(page.getByTestId("detail-pane")).toBeHidden();
  expect((await page.getByTestId("list-pane").boundingBox())?.width ?? 0).toBeGreaterThan(NARROW.width - 10);
  await expectFits(page);
}

/** Only the detail shows, full width, under the Back control. */
async function expectDetail(page: Page): Promise<void> {
  await expect(page.getByTestId("detail-pane")).toBeVisible();
  await expect(page.getByTestId("list-pane")).toBeHidden();
  await expect(page.getByTestId("list-detail-back")).toBeVisible();
  expect((await page.getByTestId("detail-pane").boundingBox())?.width ?? 0).toBeGreaterThan(
    NARROW.width - 10,
  );
  await expectFits(page);
}

test("Tools below 768 px: the list, then the tool alone with Back; Escape and Alt+Left go back", async ({
  page,
  sage,
}) => {
  await page.setViewportSize(NARROW);
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/tools`);
  await expectList(page);

  // Chosen with the pointer: the detail, then Back.
  await page.getByTestId("tool-row-read_file").click();
  await expect(page).toHaveURL(/\/tools\/read_file$/);
  await expect(page.getByTestId("tool-detail")).toBeVisible();
  await expectDetail(page);
  await expect(page.getByTestId("list-detail-back")).toHaveAccessibleName("Back to Tools");
  // The list's header is hidden, its menu button is not: the sidebar drawer still opens.
  await expect(page.getByTestId("detail-pane").getByTestId("drawer-button")).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);
  await page.getByTestId("list-detail-back").click();
  await expect(page).toHaveURL(/\/tools$/);
  await expectList(page);
  await expect(page.getByTestId("tool-row-read_file")).toBeFocused();

  // From the keyboard: Enter opens it with the focus on Back; Escape returns to the same row.
  await page.getByTestId("tool-row-read_file").press("Enter");
  await expect(page).toHaveURL(/\/tools\/read_file$/);
  await expect(page.getByTestId("list-detail-back")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/tools$/);
  await expectList(page);
  await expect(page.getByTestId("tool-row-read_file")).toBeFocused();

  // Alt+Left too, from inside the detail (not from a text field, where the keys edit).
  await page.getByTestId("tool-row-write_file").press("Enter");
  await expect(page).toHaveURL(/\/tools\/write_file$/);
  await expectDetail(page);
  await page.keyboard.press("Alt+ArrowLeft");
  await expect(page).toHaveURL(/\/tools$/);
  await expect(page.getByTestId("tool-row-write_file")).toBeFocused();

  // Opened by its address, the detail shows alone too.
  await page.goto(`${sage.baseURL}/tools/shell`);
  await expectDetail(page);

  // Wide: side by side, no Back.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId("list-pane")).toBeVisible();
  await expect(page.getByTestId("detail-pane")).toBeVisible();
  await expect(page.getByTestId("list-detail-back")).toBeHidden();
  expect((await page.getByTestId("list-pane").boundingBox())?.width ?? 0).toBeLessThan(340);
  // Escape does nothing there.
  await page.getByTestId("tool-detail").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/tools\/shell$/);
});

test("Skills below 768 px: the list, then the skill alone with Back", async ({ page, sage }) => {
  await page.setViewportSize(NARROW);
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/skills`);
  await expect(page.getByTestId("skill-row-code-review")).toBeVisible();
  await expectList(page);

  await page.getByTestId("skill-row-code-review").click();
  await expect(page).toHaveURL(/\/skills\/code-review$/);
  await expect(page.getByTestId("skill-title")).toBeVisible();
  await expectDetail(page);
  // Escape inside the editor stays in the editor (it is a text field).
  const editor = page.getByTestId("skill-detail").locator("textarea").first();
  // The files are listed above the editor, not beside it: the editor gets (nearly) the window's width.
  expect((await editor.boundingBox())?.width ?? 0).toBeGreaterThan(450);
  await editor.click();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Alt+ArrowLeft");
  await expect(page).toHaveURL(/\/skills\/code-review$/);
  await expect(editor).toBeFocused();
  // Outside it, Escape goes back.
  await page.getByTestId("skill-title").click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/skills$/);
  await expect(page.getByTestId("skill-row-code-review")).toBeFocused();
  await page.getByTestId("skill-row-code-review").press("Enter");
  await expect(page).toHaveURL(/\/skills\/code-review$/);
  await expect(page.getByTestId("list-detail-back")).toBeFocused();
  await page.getByTestId("list-detail-back").click();
  await expect(page).toHaveURL(/\/skills$/);
  await expectList(page);
  await expect(page.getByTestId("skill-row-code-review")).toBeFocused();

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId("list-pane")).toBeVisible();
  await expect(page.getByTestId("detail-pane")).toBeVisible();
});

test("Tasks below 768 px: the list, a task alone with Back, the new-task form with Back", async ({
  page,
  request,
  sage,
}) => {
  const created = await request.post(`${sage.baseURL}/api/scheduled-tasks`, {
    headers: { authorization: `Bearer ${sage.token}` },
    data: {
      name: "Weekday digest of everything that changed in the project folders since yesterday morning",
      prompt: "Summarise what changed.",
      kind: "cron",
      cron: "0 9 * * 1-5",
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const task = (await created.json()) as { id: string };

  await page.setViewportSize(NARROW);
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/tasks`);
  await expect(page.getByTestId("task-item")).toHaveCount(1);
  await expectList(page);

  await page.getByTestId("task-item").click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${task.id}$`));
  await expect(page.getByTestId("task-detail")).toBeVisible();
  await expectDetail(page);
  await page.getByTestId("task-edit").click();
  await expect(page.getByTestId("task-prompt-view")).toHaveCount(0);
  await expectFits(page);
  await page.getByTestId("list-detail-back").click();
  await expect(page).toHaveURL(/\/tasks$/);
  await expectList(page);
  await expect(page.getByTestId("task-item")).toBeFocused();

  await page.getByTestId("task-new").click();
  await expect(page).toHaveURL(/\/tasks\/new$/);
  await expectDetail(page);
  await page.getByTestId("list-detail-back").press("Enter");
  await expect(page).toHaveURL(/\/tasks$/);
  await expectList(page);
});

test("Tasks with none yet: a narrow window's list says so (the detail's empty state is hidden there); wide shows it once", async ({
  page,
  sage,
}) => {
  await page.setViewportSize(NARROW);
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/tasks`);
  await expectList(page);
  const listEmpty = page.getByTestId("tasks-list-empty");
  await expect(listEmpty).toBeVisible();
  await expect(listEmpty).toContainText("No scheduled tasks yet");
  await expect(listEmpty).toContainText("Each run is a chat you can open");
  await expect(page.getByTestId("tasks-empty")).toBeHidden();
  await expectFits(page);

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId("tasks-empty")).toBeVisible();
  await expect(listEmpty).toBeHidden();
});
