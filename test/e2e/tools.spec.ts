/**
 * The Tools page and Settings → Tools & approvals end to end, against the compiled app: the catalogue
 * lists every tool (search and kind filters work), the try-it form writes a file and list_dir shows it,
 * a bad argument shows the server's message, and the settings page shows the sandbox mode and the
 * manual runs in the audit log.
 */
import { expect, test } from "./fixtures.ts";

test("the Tools page lists the tools; search and kind filters narrow the list", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/tools`);
  const list = page.getByTestId("tools-list");
  for (const name of [
    "read_file",
    "list_dir",
    "shell",
    "web_fetch",
    "browser_navigate",
    "browser_evaluate",
    "load_skill",
  ]) {
    await expect(list.getByTestId(`tool-row-${name}`)).toBeVisible();
  }
  await expect(list.getByTestId("tool-row-browser_evaluate")).toContainText("Always asks");

  await page.getByTestId("tools-search").fill("browser_");
  await expect(list.locator("[data-tool-row]")).toHaveCount(9);
  await page.getByTestId("tools-search").fill("");

  await page.getByTestId("tools-kind-write").click();
  await expect(page.getByTestId("tools-kind-write")).toHaveAttribute("aria-pressed", "true");
  // The file tools, and the scheduled-task tools that change what runs later.
  await expect(list.locator("[data-tool-row]")).toHaveCount(6);
  await expect(list.getByTestId("tool-row-apply_patch")).toBeVisible();
  await expect(list.getByTestId("tool-row-schedule_task")).toBeVisible();
  await page.getByTestId("tools-kind-all").click();
  await expect(list.getByTestId("tool-row-grep")).toBeVisible();
});

test("try it: write a file with the form, then list_dir shows it", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/tools/write_file`);
  await expect(page.getByTestId("tool-detail")).toContainText("write_file");
  await page.getByLabel(/^path/).fill("notes/from-e2e.txt");
  await page.getByLabel(/^content/).fill("written from the Tools page\n");
  await page.getByTestId("tool-run").click();
  await expect(page.getByTestId("tool-result-status")).toHaveText("Completed");
  await expect(page.getByTestId("tool-result-text")).toContainText("Created notes/from-e2e.txt");

  await page.getByTestId("tool-row-list_dir").click();
  await expect(page).toHaveURL(/\/tools\/list_dir$/);
  await page.getByTestId("tool-field-path").fill("notes");
  await page.getByTestId("tool-run").click();
  await expect(page.getByTestId("tool-result")).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("tool-result-text")).toContainText("from-e2e.txt");

  // Arguments the schema rejects: the server's message is shown, nothing runs.
  await page.getByTestId("tool-mode-json").click();
  await page.getByTestId("tool-json-editor").fill('{ "path": 42 }');
  await page.getByTestId("tool-run").click();
  await expect(page.getByTestId("tool-run-error")).toContainText("Invalid arguments for list_dir");
  await expect(page.getByTestId("tool-result")).toHaveCount(0);
});

test("Settings → Tools & approvals shows the sandbox mode, default rules and the audit log", async ({
  page,
  request,
  sage,
}) => {
  const run = await request.post(`${sage.baseURL}/api/tools/list_dir/run`, {
    headers: { authorization: `Bearer ${sage.token}` },
    data: { input: {} },
  });
  expect(run.status()).toBe(200);

  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/tools`);
  await expect(page.getByTestId("sandbox-mode")).toHaveText(/bubblewrap|none/);
  await expect(page.getByTestId("sandbox-reason")).not.toBeEmpty();
  await expect(page.getByTestId("rule-write_file")).toContainText("Asks first");
  await expect(page.getByTestId("rule-read_file")).toContainText("Allowed");
  await expect(page.getByTestId("approvals-empty")).toBeVisible();
  const row = page.getByTestId("audit-row").first();
  await expect(row).toContainText("list_dir");
  await expect(row).toContainText("Run by hand");
  await expect(row).toContainText("Tools page");
});
