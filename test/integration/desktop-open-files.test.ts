/**
 * "Open" through the desktop portal's file chooser (attachments, imports), on a private session bus
 * with a fake portal (real HTTP, real D-Bus): without a portal the page is told to use its own file
 * input; with one, the dialog is asked with the title, `multiple` and the filters, and the chosen files
 * come back with their names and bytes; a cancelled dialog returns nothing; non-file answers are
 * dropped; a folder, or a file over the limits, is a 4xx naming it. Limits on sizes: unit-level below.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHOSEN_FILE_LIMITS, readChosenFiles } from "../../src/desktop/chosen-files.ts";
import { ATTACHMENT_MAX_BYTES } from "../../src/shared/workspace.ts";
import { FakeFileChooserPortal } from "../fixtures/fake-desktop/file-chooser-portal.ts";
import { type PrivateBus, startPrivateBus } from "../fixtures/fake-desktop/private-bus.ts";
import { useBackend } from "../support/backend.ts";

let bus: PrivateBus;
let portal: FakeFileChooserPortal | undefined;
const dir = mkdtempSync(join(tmpdir(), "sage-open-"));

type OpenResult =
  | { kind: "chosen"; files: { name: string; size: number; base64: string }[] }
  | { kind: "cancelled" }
  | { kind: "unavailable" };

beforeAll(async () => {
  bus = await startPrivateBus();
});
const app = useBackend(() => ({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address } }));
beforeAll(async () => {
  await app().running.desktop.ready;
});

afterAll(async () => {
  portal?.stop();
  await bus?.stop();
});

const open = (json: Record<string, unknown>) => app().api<OpenResult>("/api/app/open-files", { json });

describe("open through the portal", () => {
  test("without a portal the page is told to use its own file input", async () => {
    const { status, body } = await open({ title: "Attach files", multiple: true });
    expect(status).toBe(200);
    expect(body).toEqual({ kind: "unavailable" });
  });

  test("the dialog is asked with title, multiple and filters; the files come back with their bytes", async () => {
    portal = await FakeFileChooserPortal.start(bus.address);
    writeFileSync(join(dir, "notes one.md"), "# One");
    writeFileSync(join(dir, "data.bin"), Buffer.from([0, 255, 1, 254]));
    portal.openAnswer = [join(dir, "notes one.md"), join(dir, "data.bin")];
    const { status, body } = await open({
      title: "Attach files",
      multiple: true,
      filters: [{ name: "Markdown", patterns: ["*.md", "*.markdown"] }],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: "chosen",
      files: [
        { name: "notes one.md", size: 5, base64: Buffer.from("# One").toString("base64") },
        { name: "data.bin", size: 4, base64: Buffer.from([0, 255, 1, 254]).toString("base64") },
      ],
    });
    expect(portal.calls.at(-1)).toMatchObject({
      member: "OpenFile",
      title: "Attach files",
      multiple: true,
      filters: [
        [
          "Markdown",
          [
            [0, "*.md"],
            [0, "*.markdown"],
          ],
        ],
      ],
    });
  });

  test("a cancelled dialog returns nothing; only non-file answers count as cancelled", async () => {
    if (!portal) throw new Error("no portal");
    portal.openAnswer = "cancel";
    expect((await open({ title: "Import a chat" })).body).toEqual({ kind: "cancelled" });
    expect(portal.calls.at(-1)).toMatchObject({ member: "OpenFile", multiple: false });
    portal.openAnswer = ["https://example.com/x.json"];
    expect((await open({ title: "Import a chat" })).body).toEqual({ kind: "cancelled" });
  });

  test("a folder or a vanished file is a 4xx naming it", async () => {
    if (!portal) throw new Error("no portal");
    mkdirSync(join(dir, "a folder"), { recursive: true });
    portal.openAnswer = [join(dir, "a folder")];
    const folder = await open({ title: "Open" });
    expect(folder.status).toBe(400);
    expect(JSON.stringify(folder.body)).toContain("a folder is not a file Sage can open");
    portal.openAnswer = [join(dir, "gone.txt")];
    expect((await open({ title: "Open" })).status).toBe(400);
  });

  test("bad requests are refused before any dialog", async () => {
    if (!portal) throw new Error("no portal");
    const before = portal.calls.length;
    for (const json of [
      {},
      { title: "" },
      { title: "x", filters: [{ name: "none", patterns: [] }] },
      { title: "x", multiple: "yes" },
    ]) {
      const { status } = await open(json);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    expect(portal.calls.length).toBe(before);
  });
});

describe("size limits", () => {
  test("a chosen file may be as large as an attachment (the upload's own limit), no larger", () => {
    expect(CHOSEN_FILE_LIMITS.perFile).toBe(ATTACHMENT_MAX_BYTES);
  });

  test("a file over the per-file limit, or files over the total, are refused before reading", async () => {
    writeFileSync(join(dir, "big.txt"), "x".repeat(100));
    writeFileSync(join(dir, "small.txt"), "x".repeat(60));
    await expect(readChosenFiles([join(dir, "big.txt")], { perFile: 99, total: 1000 })).rejects.toMatchObject(
      {
        name: "ContentTooLargeError",
        message: expect.stringContaining("big.txt"),
      },
    );
    await expect(
      readChosenFiles([join(dir, "small.txt"), join(dir, "small.txt")], { perFile: 100, total: 100 }),
    ).rejects.toMatchObject({ name: "ContentTooLargeError", message: expect.stringContaining("together") });
    const ok = await readChosenFiles([join(dir, "small.txt")], { perFile: 100, total: 100 });
    expect(ok.map((file) => file.size)).toEqual([60]);
  });
});
