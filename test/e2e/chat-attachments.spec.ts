/**
 * Attachments end to end (compiled app, fake model process): files picked with the paperclip are
 * uploaded to the agent's workspace, shown as chips (removable before sending) and on the sent message,
 * and named to the model; files dropped on the composer are attached the same way; an image pasted
 * into the composer becomes an attachment too, is shown on the message, and reaches a vision model as
 * image content.
 */
import { expect, type RecordedRequest, test } from "./chat-fixtures.ts";

/** A 12×8 PNG: red left half, blue right half. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAwAAAAICAIAAABChommAAAAFUlEQVR42mO4YGCAhgwSLqAhhlFFANBCewGfLyrmAAAAAElFTkSuQmCC";

/** The user message of the model's last request, as JSON text. */
function lastUserContent(requests: RecordedRequest[]): string {
  const messages = requests.at(-1)?.body?.messages ?? [];
  return JSON.stringify(messages.filter((message) => message.role === "user").at(-1)?.content);
}

test("files from the picker: chips, removal, the sent message, the workspace and the model", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "I see the notes file." });
  const sessionId = await chat.newChat();

  const chooser = page.waitForEvent("filechooser");
  await page.getByTestId("attach").click();
  await (await chooser).setFiles([
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Buy milk.\nCall Ann.\n") },
    { name: "draft.md", mimeType: "text/markdown", buffer: Buffer.from("# Draft\n") },
  ]);
  const chips = page.getByTestId("attachment-chip");
  await expect(chips).toHaveCount(2);
  await expect(chips.filter({ hasText: "notes.txt" })).toContainText("20 B");
  await chips
    .filter({ hasText: "draft.md" })
    .getByRole("button", { name: /draft\.md/ })
    .click();
  await expect(chips).toHaveCount(1);

  // Sending with no text is allowed when something is attached.
  await expect(page.getByTestId("send")).toBeEnabled();
  await page.getByTestId("composer-input").fill("What is in the file?");
  await page.getByTestId("send").click();
  await expect(chips).toHaveCount(0);
  const sent = chat.messages("user").last();
  await expect(sent.getByTestId("user-text")).toHaveText("What is in the file?");
  await expect(sent.getByTestId("file-part")).toContainText("notes.txt");
  await expect(sent.getByTestId("file-part")).toContainText("20 B");
  await expect(chat.lastAssistant()).toContainText("I see the notes file.");
  await chat.idle();

  const content = lastUserContent(await model.requests());
  expect(content).toContain("What is in the file?");
  const path = /\[Attached file: (attachments\/[^ ]+\/notes\.txt) \(text\/plain, 20 bytes\)/.exec(
    content,
  )?.[1];
  expect(path, content).toBeDefined();
  expect(content).not.toContain("draft.md");

  const { agentId } = await chat.api<{ agentId: string }>(`/api/sessions/${sessionId}`);
  const file = await page.request.get(
    `${chat.sage.baseURL}/api/agents/${agentId}/workspace/file?path=${encodeURIComponent(path as string)}`,
    { headers: { authorization: `Bearer ${chat.sage.token}` } },
  );
  expect(file.status()).toBe(200);
  expect(await file.text()).toBe("Buy milk.\nCall Ann.\n");
});

test("a pasted image becomes an attachment, shows on the message and reaches the model", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({ text: "Red on the left, blue on the right." });
  await chat.newChat();
  const composer = page.getByTestId("composer-input");
  await composer.fill("Describe this picture");
  await composer.evaluate((element, base64) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], "image.png", { type: "image/png" }));
    element.dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, PNG_BASE64);

  const chip = page.getByTestId("attachment-chip");
  await expect(chip).toHaveCount(1);
  await expect(chip).toContainText(/pasted-[\w-]+\.png/);
  await expect(chip).toContainText("78 B");
  // Pasting a file does not paste its name into the text.
  await expect(composer).toHaveValue("Describe this picture");

  await composer.press("Enter");
  const sent = chat.messages("user").last();
  const image = sent.locator('img[data-testid="file-part"]');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(12);
  await expect(chat.lastAssistant()).toContainText("Red on the left, blue on the right.");
  await chat.idle();

  const content = lastUserContent(await model.requests());
  expect(content).toContain("Describe this picture");
  expect(content).toContain(`data:image/png;base64,${PNG_BASE64}`);
});

test("files dropped on the composer become attachments", async ({ chat, model, page }) => {
  await model.enqueue({ text: "Got the dropped notes." });
  await chat.newChat();
  const composer = page.getByTestId("composer-input");
  await composer.fill("Read the dropped file");
  // A real drop: dragover (the drop zone lights up), then drop with the files in its DataTransfer.
  const data = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["dropped line one\n"], "dropped-notes.txt", { type: "text/plain" }));
    return transfer;
  });
  await composer.dispatchEvent("dragover", { dataTransfer: data });
  await composer.dispatchEvent("drop", { dataTransfer: data });

  const chip = page.getByTestId("attachment-chip");
  await expect(chip).toHaveCount(1);
  await expect(chip).toContainText("dropped-notes.txt");
  await composer.press("Enter");
  await expect(chat.lastAssistant()).toContainText("Got the dropped notes.");
  await chat.idle();
  expect(lastUserContent(await model.requests())).toContain("dropped-notes.txt");
});

test("too many files at once are refused before upload, with a clear message", async ({ chat, page }) => {
  await chat.newChat();
  const files = Array.from({ length: 21 }, (_, index) => ({
    name: `part-${index}.txt`,
    mimeType: "text/plain",
    buffer: Buffer.from(`part ${index}\n`),
  }));
  await page.getByTestId("file-input").setInputFiles(files);
  await expect(page.getByTestId("toast")).toContainText("At most 20 files can be attached at once.");
  await expect(page.getByTestId("attachment-chip")).toHaveCount(0);
  // Twenty are fine.
  await page.getByTestId("file-input").setInputFiles(files.slice(0, 20));
  await expect(page.getByTestId("attachment-chip")).toHaveCount(20);
});
