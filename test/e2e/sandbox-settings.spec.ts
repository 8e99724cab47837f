/**
 * The sandbox settings in the UI (compiled app): an agent's network for shell commands — the three
 * modes with what each means, a plain warning for "this computer's network", kept after a reload — a
 * forbidden workspace refused with the reason, and the editable list of folders hidden from tools.
 * Screenshots go to test-results/ for people to look at.
 */
import { expect, test } from "./chat-fixtures.ts";

test("agent network modes: explained, the unsafe one warned about, saved", async ({ chat, page, sage }) => {
  void chat;
  await page.goto(`${sage.baseURL}/settings/agents`);
  const network = page.getByTestId("agent-network");
  await expect(network).toHaveValue("internet");
  const hint = page.getByTestId("agent-network-hint");
  await expect(hint).toContainText("127.0.0.1");
  await expect(hint).toContainText("out of reach");
  await expect(network.locator("option")).toHaveText([
    "Internet only (recommended)",
    "Isolated: no network at all",
    "This computer's network, local services included",
  ]);

  await network.selectOption("host");
  await expect(hint).toContainText("Warning");
  await expect(hint).toContainText("Sage's own port");
  await network.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("agent-network-host.png"), fullPage: false });

  await page.getByTestId("agent-workspace").fill("/etc");
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("error-agent-workspace")).toContainText("/etc is a system folder");
  await page.getByTestId("agent-workspace").fill("");
  await network.selectOption("isolated");
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("error-agent-workspace")).toBeHidden();

  await page.reload();
  await expect(page.getByTestId("agent-network")).toHaveValue("isolated");
  await expect(page.getByTestId("agent-network-hint")).toContainText("no network");
});

test("folders hidden from tools: listed, validated, saved, restored", async ({ chat, page, sage }) => {
  void chat;
  await page.goto(`${sage.baseURL}/settings/tools`);
  const section = page.getByTestId("protected-section");
  await expect(section).toContainText("Sage's own folders");
  const list = page.getByTestId("protected-folders");
  await expect(list).toHaveValue(/^~\/\.ssh$/m);
  await expect(list).toHaveValue(/^~\/\.aws$/m);
  await expect(page.getByTestId("sandbox-internet")).toContainText("slirp4netns");

  const original = await list.inputValue();
  await list.fill(`${original}\nrelative/keys`);
  await expect(page.getByTestId("protected-folders-invalid")).toContainText("relative/keys");
  await expect(page.getByTestId("protected-folders-save")).toBeDisabled();
  await list.fill(`${original}\n~/.config/my-vault`);
  await page.getByTestId("protected-folders-save").click();
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("hidden-from-tools.png"), fullPage: false });

  await page.reload();
  await expect(page.getByTestId("protected-folders")).toHaveValue(/^~\/\.config\/my-vault$/m);
  await page.getByTestId("protected-folders-defaults").click();
  await expect(page.getByTestId("protected-folders")).not.toHaveValue(/my-vault/);
  await expect(page.getByTestId("protected-folders")).toHaveValue(original);
});
