/**
 * The approval prompt says what "for this chat" / "always" will cover and lets the user choose (compiled
 * app, fake model process): a write offers this file, this folder and every write_file call, with the
 * narrowest preselected; choosing "this folder" with "Always" lets a later write in the folder run
 * without asking while a write elsewhere asks again; Settings → Tools & approvals lists the folder
 * approval and revokes it.
 */
import { expect, test } from "./chat-fixtures.ts";

const write = (path: string) => ({
  toolCalls: [{ name: "write_file", arguments: { path, content: `${path}\n` } }],
});

test("a write offers this file / this folder / all writes; 'always' for the folder covers the folder only", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(write("docs/guide/intro.md"), write("docs/guide/more/deep.md"), write("other.md"), {
    text: "Three files written.",
  });
  await chat.newChat();
  await chat.send("Write the docs");

  const cards = chat.toolCard("write_file");
  const prompt = cards.first().getByTestId("approval-prompt");
  await expect(prompt).toBeVisible();
  const choices = prompt.getByTestId("approval-scopes");
  await expect(choices).toContainText("cover:");
  await expect(choices.getByTestId("approval-scope-file")).toBeChecked();
  await expect(choices).toContainText("This file only: docs/guide/intro.md");
  await expect(choices).toContainText("Any file in the folder docs/guide/");
  await expect(choices).toContainText("Every write_file call, whatever it touches");
  await choices.getByTestId("approval-scope-folder").check();
  await prompt.getByTestId("approve-always").click();

  // The write deeper in the folder runs without asking; the one outside it asks.
  await expect(cards).toHaveCount(3);
  await expect(cards.nth(1)).toHaveAttribute("data-status", "completed");
  const third = cards.nth(2);
  await expect(third).toHaveAttribute("data-status", "awaiting-approval");
  await expect(third.getByTestId("approval-scopes")).toContainText("This file only: other.md");
  // A file at the workspace root: "this folder" would be everything, so it is not offered.
  await expect(third.getByTestId("approval-scope-folder")).toHaveCount(0);
  await third.getByTestId("approve-once").click();
  await expect(chat.lastAssistant()).toContainText("Three files written.");
  await chat.idle();

  await page.goto(`${new URL(page.url()).origin}/settings/tools`);
  const table = page.getByTestId("approvals-table");
  await expect(table).toContainText("write_file");
  await expect(table).toContainText(/Any file in \/.+\/docs\/guide\//);
  await table.getByTestId("approval-revoke").first().click();
  await expect(page.getByTestId("approvals-empty")).toBeVisible();
});

test("a shell command offers the exact command and, for a simple one, its program", async ({
  chat,
  model,
}) => {
  await model.enqueue(
    { toolCalls: [{ name: "shell", arguments: { command: "ls -la" } }] },
    { text: "Listed." },
  );
  await chat.newChat();
  await chat.send("List the files");
  const prompt = chat.toolCard("shell").getByTestId("approval-prompt");
  await expect(prompt.getByTestId("approval-scope-command")).toBeChecked();
  await expect(prompt).toContainText("This exact command: ls -la");
  await expect(prompt).toContainText("Any command starting with ls (with any arguments)");
  await prompt.getByTestId("deny").click();
  await prompt.getByTestId("confirm-deny").click();
  await chat.idle();
});
