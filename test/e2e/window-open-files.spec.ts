/**
 * Opening files from the native window through the desktop's own "Open" dialog (the portal), end to
 * end: compiled app in serve mode on a private session bus with a fake portal
 * (test/fixtures/fake-desktop/cli.ts --portal), the page told it runs in the window. Attach files:
 * the portal is asked (title, multiple) and the picked files become chips and are sent; Import a chat:
 * the portal is asked with a JSON filter and the picked export becomes a new chat; a cancelled dialog
 * changes nothing and opens no page file chooser. Without a portal the page's own input is used (the
 * browser specs, e.g. chat-attachments.spec.ts, cover that path).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";
import { BUN } from "./fake-model-process.ts";
import { REPO_ROOT } from "./fixtures.ts";

const socket = join(tmpdir(), `sage-e2e-portal-${process.pid}`);
const files = mkdtempSync(join(tmpdir(), "sage-e2e-open-"));
let desktop: ChildProcess;
let output = "";
test.use({ sageEnv: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` } });

test.beforeAll(async () => {
  rmSync(socket, { force: true });
  desktop = spawn(
    BUN,
    [join(REPO_ROOT, "test/fixtures/fake-desktop/cli.ts"), "--socket", socket, "--portal"],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  desktop.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  await expect.poll(() => output.includes("address "), { timeout: 10_000 }).toBe(true);
});
test.afterAll(() => {
  desktop?.kill("SIGTERM");
});

const portalCalls = () =>
  [...output.matchAll(/^portal (.+)$/gm)].map(
    (match) =>
      JSON.parse(match[1] as string) as {
        member: string;
        title: string;
        multiple?: boolean;
        filters?: unknown;
      },
  );

test("attachments and a chat import come from the desktop's Open dialog", async ({ page, chat, model }) => {
  await page.addInitScript(() => {
    window.__SAGE__ = { ...window.__SAGE__, shell: "window" };
  });
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  let pageChooser = false;
  page.on("filechooser", () => {
    pageChooser = true;
  });

  writeFileSync(join(files, "notes.txt"), "Buy milk.\n");
  writeFileSync(join(files, "plan.md"), "# Plan\n");
  desktop.stdin?.write(`open ${JSON.stringify([join(files, "notes.txt"), join(files, "plan.md")])}\n`);
  await chat.newChat();
  await page.getByTestId("attach").click();
  const chips = page.getByTestId("attachment-chip");
  await expect(chips).toHaveCount(2);
  await expect(chips.filter({ hasText: "notes.txt" })).toContainText("10 B");
  expect(portalCalls().at(-1)).toMatchObject({ member: "OpenFile", title: "Attach files", multiple: true });
  await model.enqueue({ text: "Got both files." });
  await page.getByTestId("composer-input").fill("Read these");
  await page.getByTestId("send").click();
  await expect(chat.messages("user").last().getByTestId("file-part")).toHaveCount(2);
  await expect(chat.lastAssistant()).toContainText("Got both files.");
  await chat.idle();

  // Cancelled: nothing attached, and the page's own chooser does not open instead.
  desktop.stdin?.write("open cancel\n");
  const before = portalCalls().length;
  await page.getByTestId("attach").click();
  await expect.poll(() => portalCalls().length).toBe(before + 1);
  await page.waitForTimeout(300);
  await expect(chips).toHaveCount(0);

  // Import a chat: the export of this chat, picked in the dialog.
  const sessionId = await chat.sessionId();
  const exported = await chat.api<unknown>(`/api/sessions/${sessionId}/export?format=json`);
  writeFileSync(join(files, "chat.json"), JSON.stringify(exported));
  desktop.stdin?.write(`open ${JSON.stringify([join(files, "chat.json")])}\n`);
  await page.keyboard.press("Control+k");
  await page.getByRole("option", { name: /Import a chat/ }).click();
  await expect(page).not.toHaveURL(new RegExp(`/s/${sessionId}$`));
  await expect(chat.messages("user").first()).toContainText("Read these");
  expect(portalCalls().at(-1)).toMatchObject({
    member: "OpenFile",
    multiple: false,
    filters: [["JSON", [[0, "*.json"]]]],
  });
  expect(pageChooser).toBe(false);
});
