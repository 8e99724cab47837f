/**
 * GTK's file dialog as the fallback when no desktop portal answers, in the real window (compiled
 * executable under Xvfb; the display's session bus has no org.freedesktop.portal.Desktop): a "save as"
 * opens GTK's dialog in the window, in Downloads with the proposed name; typing another name and Enter
 * writes the file there; Escape cancels and writes nothing; an Open dialog returns the file whose path
 * was typed. The dialog is driven with the keyboard (xdotool) as a person would. Screenshots:
 * test-results/window/gtk-save-dialog.png, gtk-open-dialog.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenedFiles, SavedFile } from "../../src/shared/desktop.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import { captureScreen, captureWindow, drawOver, savePng } from "../support/screenshot.ts";
import { windowEnv } from "../support/window-app.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";
import { seedDataDir } from "./executable-app.ts";

let screen: VirtualDisplay;
let fake: FakeModel;
let app: AppProcess;
const home = mkdtempSync(join(tmpdir(), "sage-dialog-home-"));
let downloads: string;

beforeAll(async () => {
  if (!hasXvfb()) throw new Error("The window tests need Xvfb, xdotool and xwd");
  const executable = await ensureExecutable();
  screen = await startXvfb();
  fake = await startFakeModel({ apiKey: "test-key-0001" });
  // The app's HOME has no user-dirs.dirs: its Downloads is ~/Downloads.
  downloads = join(home, "Downloads");
  mkdirSync(downloads, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "sage-dialog-"));
  await seedDataDir(dataDir, fake);
  app = spawnApp({ executable, dataDir, env: { ...windowEnv(screen), HOME: home } });
  await app.waitForLock(30_000);
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await screen?.stop();
});

const xdotool = (...args: string[]) =>
  Bun.spawnSync(["xdotool", ...args], { env: { ...process.env, DISPLAY: screen.display }, stdout: "pipe" })
    .stdout.toString()
    .trim();

/**
 * The screen with GTK's dialog `id` drawn where it is (at the top-left corner without a window
 * manager), saved as test-results/window/<name>: a root dump alone misses the dialog's ARGB window.
 */
async function saveScreenWithDialog(id: string, name: string): Promise<void> {
  // Until GTK drew it, the dialog's window holds what was beneath it.
  const dialog = await waitUntil(
    "the dialog drawn",
    async () => {
      const own = await captureWindow(screen.display, id);
      const beneath = await captureScreen(screen.display, {
        x: 0,
        y: 0,
        width: own.width,
        height: own.height,
      });
      let differing = 0;
      for (let index = 0; index < own.pixels.length; index++)
        if (own.pixels[index] !== beneath.pixels[index]) differing++;
      return differing > 10_000 ? own : undefined;
    },
    10_000,
    250,
  );
  expect(dialog.width).toBeGreaterThan(300);
  savePng(
    drawOver(await captureScreen(screen.display), dialog, 0, 0),
    join(REPO_ROOT, "test-results", "window", name),
  );
}

/** The visible window titled `title` (GTK's dialog), focused for the keyboard. */
async function dialogTitled(title: string): Promise<string> {
  const id = await waitUntil(
    `the dialog "${title}"`,
    () => xdotool("search", "--onlyvisible", "--name", `^${title}$`).split("\n")[0] || undefined,
    20_000,
    200,
  );
  await Bun.sleep(1500); // drawn and ready for keys
  // Without a window manager nothing keeps a transient dialog above its window: raise it as one would.
  xdotool("windowraise", id);
  xdotool("windowfocus", "--sync", id);
  await Bun.sleep(300);
  return id;
}

function post(path: string, body: unknown): Promise<Response> {
  return app.api(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

test("save as: GTK's dialog opens in Downloads; the typed name is where the file lands", async () => {
  const saving = post("/api/settings/save-download", {
    fileName: "notes.json",
    base64: Buffer.from('{"a":1}').toString("base64"),
    ask: true,
    title: "Save the export",
  });
  await saveScreenWithDialog(await dialogTitled("Save the export"), "gtk-save-dialog.png");
  xdotool("key", "ctrl+a");
  xdotool("type", "--delay", "40", "picked.json");
  xdotool("key", "Return");
  const response = await saving;
  expect(response.status).toBe(200);
  const saved = (await response.json()) as SavedFile;
  expect(saved).toEqual({ path: join(downloads, "picked.json"), chosen: true });
  expect(readFileSync(join(downloads, "picked.json"), "utf8")).toBe('{"a":1}');
  expect(existsSync(join(downloads, "notes.json"))).toBe(false);
  expect(app.logText()).toContain("save dialog (window): chosen");
}, 60_000);

test("Escape cancels the save: nothing is written, not even into Downloads", async () => {
  const before = readdirSync(downloads).sort();
  const saving = post("/api/settings/save-download", {
    fileName: "cancelled.json",
    base64: Buffer.from("{}").toString("base64"),
    ask: true,
    title: "Save again",
  });
  await dialogTitled("Save again");
  xdotool("key", "Escape");
  const response = await saving;
  expect((await response.json()) as SavedFile).toEqual({ cancelled: true });
  expect(readdirSync(downloads).sort()).toEqual(before);
  await waitUntil("the dialog gone", () =>
    xdotool("search", "--onlyvisible", "--name", "^Save again$") === "" ? true : undefined,
  );
}, 60_000);

test("open: GTK's dialog returns the file whose path was typed, with its bytes", async () => {
  const folder = mkdtempSync(join(tmpdir(), "sage-dialog-open-"));
  const file = join(folder, "hello.txt");
  writeFileSync(file, "hello from GTK");
  const opening = post("/api/app/open-files", {
    title: "Attach files",
    multiple: true,
    filters: [{ name: "Text", patterns: ["*.txt"] }],
  });
  const dialog = await dialogTitled("Attach files");
  xdotool("key", "ctrl+l");
  await Bun.sleep(300);
  xdotool("type", "--delay", "30", file);
  await Bun.sleep(500);
  await saveScreenWithDialog(dialog, "gtk-open-dialog.png");
  xdotool("key", "Return");
  const response = await opening;
  expect(response.status).toBe(200);
  const opened = (await response.json()) as OpenedFiles;
  expect(opened.kind).toBe("chosen");
  if (opened.kind !== "chosen") return;
  expect(opened.files.map((chosen) => chosen.name)).toEqual(["hello.txt"]);
  expect(Buffer.from(opened.files[0]?.base64 ?? "", "base64").toString()).toBe("hello from GTK");
  expect(app.logText()).toContain("open dialog (window): chosen");
}, 60_000);
