/**
 * The workspace panel end to end (compiled app, fake model process): files written on disk and by the
 * agent's tools appear in the tree without a refresh; previews for code (highlighted, line numbers),
 * Markdown (rendered, or its source), images and PDF; downloads carry the file's bytes; delete asks
 * once more before it removes the file.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";

/** A 2x2 red PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAzqwMFtPq7ywAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

test("files appear live, preview by kind, download and delete", async ({ chat, model, page }) => {
  await chat.newChat();
  const { agents } = await chat.api<{ agents: { id: string; isDefault: boolean }[] }>("/api/agents");
  const agentId = agents.find((agent) => agent.isDefault)?.id as string;
  const { root } = await chat.api<{ root: string }>(`/api/agents/${agentId}/workspace/tree?path=.`);

  await page.getByTestId("toggle-workspace").click();
  const panel = page.getByTestId("workspace-panel");
  await expect(panel).toBeVisible();
  const entry = (path: string) => panel.locator(`[data-testid="workspace-entry"][data-path="${path}"]`);

  // Written by another program: shown without pressing refresh.
  mkdirSync(join(root, "notes"), { recursive: true });
  writeFileSync(join(root, "notes", "readme.md"), "# Project notes\n\nSome **bold** words.\n");
  writeFileSync(join(root, "add.ts"), "export function add(a: number, b: number) {\n  return a + b;\n}\n");
  writeFileSync(join(root, "pixel.png"), PNG);
  writeFileSync(join(root, "paper.pdf"), PDF);
  await expect(entry("add.ts")).toBeVisible({ timeout: 10_000 });
  await expect(entry("notes")).toHaveAttribute("data-type", "directory");

  // Code: line numbers and highlighting.
  await entry("add.ts").click();
  const preview = page.getByTestId("workspace-preview");
  await expect(preview).toHaveAttribute("data-path", "add.ts");
  await expect(preview.getByTestId("workspace-code")).toContainText("return a + b;");
  await expect(preview.getByTestId("workspace-code").locator("span[style]").first()).toBeVisible();

  // Markdown: rendered inside its folder.
  await entry("notes").click();
  await entry("notes/readme.md").click();
  await expect(preview.getByRole("heading", { name: "Project notes" })).toBeVisible();
  await expect(preview.locator("strong")).toHaveText("bold");

  // Image: decoded and drawn.
  await entry("pixel.png").click();
  const image = preview.getByRole("img", { name: "pixel.png" });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

  // PDF: the browser's viewer in a frame, served as a PDF.
  await entry("paper.pdf").click();
  const frame = preview.locator("iframe[title='paper.pdf']");
  await expect(frame).toBeVisible();
  const src = (await frame.getAttribute("src")) ?? "";
  const served = await page.request.get(new URL(src, page.url()).toString());
  expect(served.headers()["content-type"]).toContain("application/pdf");

  // Download: the same bytes as on disk.
  await entry("add.ts").click();
  const downloading = page.waitForEvent("download");
  await preview.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("add.ts");
  expect(readFileSync((await download.path()) as string, "utf8")).toBe(
    readFileSync(join(root, "add.ts"), "utf8"),
  );

  // Written by the agent's tool: appears live too.
  await model.enqueue(
    {
      toolCalls: [
        { name: "write_file", arguments: { path: "from-agent.txt", content: "hello from the agent\n" } },
      ],
    },
    { text: "Wrote it." },
  );
  await chat.send("Write a file");
  await chat.toolCard("write_file").getByTestId("approve-once").click();
  await expect(chat.lastAssistant()).toContainText("Wrote it.");
  await expect(entry("from-agent.txt")).toBeVisible({ timeout: 10_000 });

  // Delete asks once more, then the file is gone from disk and from the tree.
  await entry("from-agent.txt").click();
  const remove = preview.getByTestId("workspace-delete");
  await remove.click();
  await expect(remove).toHaveText("Really delete?");
  await remove.click();
  await expect(entry("from-agent.txt")).toHaveCount(0);
  expect(() => readFileSync(join(root, "from-agent.txt"))).toThrow();
});
