/**
 * Importing a chat exported as JSON, end to end (compiled app, fake model process): from Settings →
 * General (and the command palette) a picked export becomes a new chat with the same messages; a file
 * that is not JSON, or JSON that is not an export, is refused with a toast and creates nothing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, TITLE, test } from "./chat-fixtures.ts";

test("an exported chat comes back as a new chat; bad files are refused", async ({ chat, model, page }) => {
  await model.enqueue({ text: "An answer worth keeping." });
  await chat.newChat();
  await chat.exchange("A question worth keeping", "An answer worth keeping.");
  const original = await chat.sessionId();
  const exported = await chat.api<unknown>(`/api/sessions/${original}/export?format=json`);
  const folder = mkdtempSync(join(tmpdir(), "sage-e2e-import-"));
  const files = {
    good: join(folder, "chat.json"),
    text: join(folder, "notes.txt"),
    other: join(folder, "other.json"),
  };
  writeFileSync(files.good, JSON.stringify(exported));
  writeFileSync(files.text, "not json at all");
  writeFileSync(files.other, JSON.stringify({ hello: "world" }));

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("settings-general").click();
  const importFile = async (path: string) => {
    const chooser = page.waitForEvent("filechooser");
    await page.getByTestId("chat-import").click();
    await (await chooser).setFiles(path);
  };
  const rows = page.getByTestId("session-row");
  await expect(rows).toHaveCount(1);

  await importFile(files.text);
  await expect(page.getByTestId("toast").last()).toContainText(
    "Could not import notes.txt: The file is not JSON.",
  );
  await importFile(files.other);
  await expect(page.getByTestId("toast").last()).toContainText("This is not a Sage session export");
  await expect(rows).toHaveCount(1);

  await importFile(files.good);
  await expect(page.getByTestId("toast").last()).toContainText(`Imported “${TITLE}”`);
  await expect(page).not.toHaveURL(new RegExp(original));
  await expect(page).toHaveURL(/\/s\/ses_/);
  await expect(rows).toHaveCount(2);
  await expect(chat.messages("user")).toHaveCount(1);
  await expect(chat.messages("user")).toContainText("A question worth keeping");
  await expect(chat.lastAssistant()).toContainText("An answer worth keeping.");

  // The palette offers it too.
  await page.keyboard.press("Control+k");
  await expect(page.getByTestId("palette-input")).toBeFocused();
  await page.keyboard.type("import a chat");
  await expect(page.getByTestId("command-palette").getByRole("option")).toHaveCount(1);
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Enter");
  expect((await chooser).isMultiple()).toBe(false);
});
