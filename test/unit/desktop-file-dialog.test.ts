/**
 * Which file dialog answers (src/desktop/file-dialog.ts): the portal first, the window's GTK dialog only
 * when no portal answers, none when neither; and the mailbox that carries a request to the window thread
 * (src/shell/worker-channel.ts).
 */
import { describe, expect, test } from "bun:test";
import type { OpenChoice, SaveChoice } from "../../src/desktop/file-chooser.ts";
import {
  chooseOpen,
  chooseSave,
  type FileDialogAnswer,
  type FileDialogRequest,
} from "../../src/desktop/file-dialog.ts";
import { DialogMailbox } from "../../src/shell/worker-channel.ts";

const SAVE: Extract<FileDialogRequest, { kind: "save" }> = {
  kind: "save",
  title: "Save",
  currentName: "a.json",
  folder: "/home/u/Downloads",
};
const OPEN: Extract<FileDialogRequest, { kind: "open" }> = {
  kind: "open",
  title: "Open",
  multiple: false,
  filters: [],
};

/** A window dialog that records what it was asked and answers `answer`. */
function windowDialog(answer: FileDialogAnswer) {
  const asked: FileDialogRequest[] = [];
  return {
    asked,
    show: async (request: FileDialogRequest) => {
      asked.push(request);
      return answer;
    },
  };
}

const portalSaving = (choice: SaveChoice) => ({ saveFile: async () => choice });
const portalOpening = (choice: OpenChoice) => ({ openFiles: async () => choice });

describe("save dialogs", () => {
  test("the portal's answer wins; the window's dialog is not asked, not even after a cancel", async () => {
    const window = windowDialog({ kind: "chosen", paths: ["/elsewhere"] });
    expect(await chooseSave(portalSaving({ kind: "chosen", path: "/p/a.json" }), window.show, SAVE)).toEqual({
      choice: { kind: "chosen", path: "/p/a.json" },
      source: "portal",
    });
    expect(await chooseSave(portalSaving({ kind: "cancelled" }), window.show, SAVE)).toEqual({
      choice: { kind: "cancelled" },
      source: "portal",
    });
    expect(window.asked).toEqual([]);
  });

  test("no portal (none on the bus, or no bus): the window's dialog is asked with the request", async () => {
    const window = windowDialog({ kind: "chosen", paths: ["/home/u/Downloads/b.json", "/ignored"] });
    for (const portal of [portalSaving({ kind: "unavailable" }), undefined]) {
      expect(await chooseSave(portal, window.show, SAVE)).toEqual({
        choice: { kind: "chosen", path: "/home/u/Downloads/b.json" },
        source: "window",
      });
    }
    expect(window.asked).toEqual([SAVE, SAVE]);
  });

  test("a window answer without a path is a cancel; no window dialog at all leaves it unavailable", async () => {
    expect(
      (await chooseSave(undefined, windowDialog({ kind: "chosen", paths: [] }).show, SAVE)).choice,
    ).toEqual({
      kind: "cancelled",
    });
    expect(await chooseSave(undefined, windowDialog({ kind: "unavailable" }).show, SAVE)).toEqual({
      choice: { kind: "unavailable" },
      source: "none",
    });
    expect(await chooseSave(undefined, undefined, SAVE)).toEqual({
      choice: { kind: "unavailable" },
      source: "none",
    });
  });
});

describe("open dialogs", () => {
  test("the window's dialog after an unavailable portal; one file only unless several were asked for", async () => {
    const window = windowDialog({ kind: "chosen", paths: ["/a.txt", "/b.txt"] });
    expect((await chooseOpen(portalOpening({ kind: "unavailable" }), window.show, OPEN)).choice).toEqual({
      kind: "chosen",
      paths: ["/a.txt"],
    });
    expect((await chooseOpen(undefined, window.show, { ...OPEN, multiple: true })).choice).toEqual({
      kind: "chosen",
      paths: ["/a.txt", "/b.txt"],
    });
    expect((await chooseOpen(portalOpening({ kind: "cancelled" }), window.show, OPEN)).source).toBe("portal");
    expect(window.asked).toHaveLength(2);
  });

  test("a cancelled window dialog is a cancel", async () => {
    expect(await chooseOpen(undefined, windowDialog({ kind: "cancelled" }).show, OPEN)).toEqual({
      choice: { kind: "cancelled" },
      source: "window",
    });
  });
});

describe("the dialog mailbox", () => {
  test("a request is taken once, across two views of the same memory", () => {
    const worker = new DialogMailbox();
    const window = new DialogMailbox(worker.buffer);
    expect(window.take()).toBeUndefined();
    expect(worker.post({ id: 7, request: { ...SAVE, currentName: "名前 ✓.json" } })).toBe(true);
    expect(window.take()).toEqual({ id: 7, request: { ...SAVE, currentName: "名前 ✓.json" } });
    expect(window.take()).toBeUndefined();
  });

  test("a request too large for the mailbox is refused and leaves nothing behind", () => {
    const mailbox = new DialogMailbox();
    const huge = { ...OPEN, filters: [{ name: "x".repeat(70_000), patterns: ["*"] }] };
    expect(mailbox.post({ id: 1, request: huge })).toBe(false);
    expect(mailbox.take()).toBeUndefined();
  });
});
