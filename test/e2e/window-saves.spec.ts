/**
 * Saving files from the native window (compiled app, fake model process). The window's engine cannot
 * download, so there every save goes through the server into the Downloads folder and a toast says
 * where. This page is told it runs in the window (the `window.__SAGE__` the window injects) and the
 * app gets its own HOME, so the files land in a Downloads folder the test can read: a chat exported
 * as Markdown and JSON, a workspace file, a skill's zip.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";

const home = mkdtempSync(join(tmpdir(), "sage-e2e-home-"));
const downloads = join(home, "Downloads");
test.use({ sageEnv: { HOME: home } });

test("exports, workspace files and skills land in Downloads, with a toast naming them", async ({
  chat,
  model,
  page,
}) => {
  await page.addInitScript(() => {
    window.__SAGE__ = { shell: "window" };
  });
  await page.reload();
  await model.enqueue({ text: "Saved answer." });
  await chat.newChat();
  await chat.exchange("Something to export", "Saved answer.");

  const toast = page.getByTestId("toast").last();
  await page.getByTestId("export-md").click();
  await expect(toast).toContainText(`Saved to ${downloads}/`);
  await page.getByTestId("export-json").click();
  await expect
    .poll(() => (existsSync(downloads) ? readdirSync(downloads).sort() : []))
    .toEqual(["Fake chat title.json", "Fake chat title.md"]);
  expect(readFileSync(join(downloads, "Fake chat title.md"), "utf8")).toContain("Saved answer.");
  expect(JSON.parse(readFileSync(join(downloads, "Fake chat title.json"), "utf8")).format).toBe(
    "sage.session.v1",
  );

  // A workspace file: copied by the server (no bytes through the page).
  const { agents } = await chat.api<{ agents: { id: string; isDefault: boolean }[] }>("/api/agents");
  const agentId = agents.find((agent) => agent.isDefault)?.id as string;
  const { root } = await chat.api<{ root: string }>(`/api/agents/${agentId}/workspace/tree?path=.`);
  writeFileSync(join(root, "table.csv"), "a,b\n1,2\n");
  await page.getByTestId("toggle-workspace").click();
  await page.locator('[data-testid="workspace-entry"][data-path="table.csv"]').click();
  await page.getByTestId("workspace-preview").getByRole("link", { name: "Download" }).click();
  await expect(toast).toContainText(`Saved to ${join(downloads, "table.csv")}`);
  expect(readFileSync(join(downloads, "table.csv"), "utf8")).toBe("a,b\n1,2\n");

  // A skill's zip, from the skill library.
  await page.getByRole("link", { name: "Skills", exact: true }).click();
  await page.getByTestId("skill-list").getByText("code-review", { exact: true }).click();
  await page.getByTestId("skill-export").click();
  await expect(toast).toContainText(`Saved to ${join(downloads, "code-review.zip")}`);
  expect(readFileSync(join(downloads, "code-review.zip")).subarray(0, 2).toString()).toBe("PK");
});
