/**
 * Automated accessibility checks (axe-core, WCAG 2 A and AA rules) on every page of the compiled app,
 * in the light and the dark theme: a chat with a tool card waiting for approval, an error, the plan and
 * the workspace panel;
 * each Settings section; the skill library with a skill open; the tools page with a tool open; the
 * Tasks page (empty, the new-task form, a task with its history); the setup wizard. Axe finds what rules can find (names, roles, contrast, labels), not everything.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./chat-fixtures.ts";

async function violations(page: Page, where: string): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact}) ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(" | ")}`,
  );
}

// One walk through every page with ~15 axe runs: 20-28 s on a quiet machine, over the default 30 s
// limit when the machine is busy.
test.describe.configure({ timeout: 90_000 });

for (const theme of ["light", "dark"] as const) {
  test(`every page passes axe's WCAG A/AA rules (${theme} theme)`, async ({ chat, model, page }) => {
    // The theme follows the system by default.
    await page.emulateMedia({ colorScheme: theme });
    await page.reload();
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
    const found: string[] = [];

    // A chat with a finished turn (plan, tool card, error) and a pending approval.
    await model.enqueue(
      {
        toolCalls: [
          { name: "todo", arguments: { todos: [{ text: "Look around", status: "in_progress" }] } },
          { name: "list_dir", arguments: { path: "." } },
        ],
      },
      { error: { status: 400, message: "Something went wrong on the provider's side." } },
    );
    await chat.newChat();
    await chat.send("Look around");
    await expect(page.getByTestId("error-part")).toBeVisible();
    await chat.idle();
    await model.enqueue(
      { toolCalls: [{ name: "shell", arguments: { command: "echo hi" } }] },
      { text: "Understood, not running it." },
    );
    await chat.send("Run it");
    await expect(chat.toolCard("shell").getByTestId("approval-prompt")).toBeVisible();
    await page.getByTestId("toggle-workspace").click();
    await expect(page.getByTestId("workspace-panel")).toBeVisible();
    found.push(...(await violations(page, "chat")));
    await page.getByTestId("toggle-workspace").click();
    await chat.toolCard("shell").getByTestId("deny").click();
    await chat.toolCard("shell").getByTestId("confirm-deny").click();
    await chat.idle();

    for (const section of ["general", "providers", "agents", "tools", "environment", "about"]) {
      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByTestId(`settings-nav-${section}`).click();
      found.push(...(await violations(page, `settings/${section}`)));
    }

    await page.getByRole("link", { name: "Skills", exact: true }).click();
    await page.getByTestId("skill-row-code-review").click();
    await expect(page.getByTestId("skill-detail")).toBeVisible();
    found.push(...(await violations(page, "skills")));

    await page.getByRole("link", { name: "Tools", exact: true }).click();
    await page.getByTestId("tools-list").getByText("read_file", { exact: true }).first().click();
    found.push(...(await violations(page, "tools")));

    // Tasks: the empty state, the new-task form, and a task with a run in its history.
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    await expect(page.getByTestId("tasks-empty")).toBeVisible();
    found.push(...(await violations(page, "tasks (empty)")));
    await page.getByTestId("task-new").click();
    await page.getByTestId("task-name").fill("Weekly summary");
    await page.getByTestId("task-prompt").fill("Summarise the week");
    await expect(page.getByTestId("task-cron-preview")).toBeVisible();
    found.push(...(await violations(page, "tasks/new")));
    await page.getByTestId("task-save").click();
    await model.enqueue({ text: "The week in short." });
    await page.getByTestId("task-run-now").click();
    await expect(page.getByTestId("task-run").first()).toHaveAttribute("data-status", "completed", {
      timeout: 20_000,
    });
    found.push(...(await violations(page, "tasks/:id")));

    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("settings-nav-providers").click();
    await page.getByTestId("rerun-setup").click();
    await expect(page.getByTestId("setup-page")).toBeVisible();
    found.push(...(await violations(page, "setup")));

    expect(found).toEqual([]);
  });
}
